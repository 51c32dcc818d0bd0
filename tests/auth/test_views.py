"""Login in two steps and the account page."""

import re
from datetime import timedelta

import pyotp

from tests.conftest import PASSWORD, login
from veiligthuis.auth.models import User
from veiligthuis.extensions import db
from veiligthuis.models import utcnow


def _code(secret, offset=0):
    totp = pyotp.TOTP(secret)
    return totp.at(utcnow() + timedelta(seconds=offset))


def test_switch_on_two_steps_then_login_needs_the_code(client, make_user):
    user = make_user("editor")  # not required for her role: she chooses it
    client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    client.post("/account/tweestaps", data={})
    page = client.get("/account").get_data(as_text=True)
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)
    assert 'src="data:image/svg+xml' in page
    wrong = client.post("/account/tweestaps", data={"totp-code": "123"})
    assert "klopt niet" in wrong.get_data(as_text=True)
    ok = client.post("/account/tweestaps", data={"totp-code": _code(secret)})
    assert ok.status_code == 200
    assert (
        len(re.findall(r"<li><code>[0-9a-f]{6}-[0-9a-f]{6}</code>", ok.get_data(as_text=True)))
        == 10
    )
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret

    client.post("/uitloggen", data={})
    response = client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert response.location == "/inloggen/code"
    assert client.get("/account").status_code == 302  # not logged in yet
    assert "klopt niet" in client.post("/inloggen/code", data={"code": "000000"}).get_data(
        as_text=True
    )
    response = client.post("/inloggen/code", data={"code": _code(secret, 30)})
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/account").status_code == 200


def test_code_page_without_password_step_sends_back_to_login(client):
    assert client.get("/inloggen/code").location == "/inloggen"


def test_change_own_password(client, make_user):
    user = make_user("case_worker")
    login(client, user)
    bad = client.post(
        "/account/wachtwoord",
        data={"pw-current_password": "fout", "pw-new_password": "nieuw-wachtwoord-1"},
    )
    assert "huidige wachtwoord klopt niet" in bad.get_data(as_text=True)
    short = client.post(
        "/account/wachtwoord", data={"pw-current_password": PASSWORD, "pw-new_password": "kort"}
    )
    assert "minstens 12 tekens" in short.get_data(as_text=True)
    assert (
        client.post(
            "/account/wachtwoord",
            data={"pw-current_password": PASSWORD, "pw-new_password": "nieuw-wachtwoord-1"},
        ).status_code
        == 302
    )
    client.post("/uitloggen", data={})
    login(client, user, "nieuw-wachtwoord-1")
