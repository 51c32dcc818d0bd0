"""Passwords, login throttling and accounts."""

import pytest

from tests.conftest import PASSWORD
from veiligthuis.auth import service
from veiligthuis.extensions import db
from veiligthuis.models import DomainError


def test_passwords_are_argon2_hashes(make_user):
    user = make_user("facilitator")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert service.authenticate(db.session, user.email.upper(), PASSWORD) == user
    assert service.authenticate(db.session, user.email, "fout-wachtwoord") is None


def test_update_user_keeps_password_unless_given(make_user):
    user = make_user("facilitator")
    old_hash = user.password_hash
    service.update_user(user, name="Nieuw", roles={"editor"}, is_enabled=True)
    assert user.password_hash == old_hash and user.roles == {"editor"}
    with pytest.raises(DomainError, match="minstens 12"):
        service.update_user(user, name="Nieuw", roles={"editor"}, is_enabled=True, password="kort")
    with pytest.raises(DomainError, match="rol"):
        service.update_user(user, name="Nieuw", roles=set(), is_enabled=True)


def test_login_redirects_only_to_our_own_pages(client, make_user):
    user = make_user("editor")
    for target, expected in [
        ("/groepen", "/groepen"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
    ]:
        response = client.post(
            f"/inloggen?next={target}", data={"email": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response.location == expected
        client.post("/uitloggen", data={})


def test_two_step_login_codes(make_user):
    import pyotp

    user = make_user("facilitator")
    secret = service.new_totp_secret()
    with pytest.raises(DomainError, match="klopt niet"):
        service.enable_two_factor(user, secret, "000000")
    service.enable_two_factor(user, secret, pyotp.TOTP(secret).now())
    assert user.totp_secret == secret
    # the code used to switch it on cannot be used again
    assert not service.verify_two_factor(db.session, user, pyotp.TOTP(secret).now())
    with pytest.raises(DomainError, match="wachtwoord klopt niet"):
        service.disable_two_factor(db.session, user, "fout", pyotp.TOTP(secret).now())
    with pytest.raises(DomainError, match="code klopt niet"):
        service.disable_two_factor(db.session, user, PASSWORD, "000000")
    assert user.totp_secret == secret
    codes = service.new_recovery_codes(db.session, user)
    service.disable_two_factor(db.session, user, PASSWORD, codes[0])
    assert user.totp_secret is None
