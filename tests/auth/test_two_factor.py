"""Two-step login is required for roles that see participant data, and hard to switch off."""

import re
from datetime import timedelta

import pyotp
import sqlalchemy as sa

from tests.conftest import PASSWORD, login, two_step_secret
from veiligthuis.auth.models import AuditEntry, User
from veiligthuis.extensions import db
from veiligthuis.models import utcnow
from veiligthuis.settings import set_setting


def _password_step(client, user, password=PASSWORD):
    return client.post("/inloggen", data={"email": user.email, "password": password})


def test_her_role_sees_participants_so_she_sets_up_the_app_before_she_is_in(client, make_user):
    user = make_user("facilitator")
    assert _password_step(client, user).location == "/inloggen/instellen"
    assert client.get("/groepen").status_code == 302  # not in with the password alone
    page = client.get("/inloggen/instellen").get_data(as_text=True)
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)
    assert "klopt niet" in client.post("/inloggen/instellen", data={"code": "000000"}).get_data(
        as_text=True
    )
    done = client.post("/inloggen/instellen", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code>", done.get_data(as_text=True))
    assert len(codes) == 10
    assert client.get("/groepen").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret


def test_a_recovery_code_works_once(app, client, make_user):
    user = make_user("case_worker")
    _password_step(client, user)
    secret = re.search(
        r"<code>([A-Z2-7]+)</code>", client.get("/inloggen/instellen").get_data(as_text=True)
    ).group(1)
    page = client.post("/inloggen/instellen", data={"code": pyotp.TOTP(secret).now()})
    code = re.findall(r"<li><code>([0-9a-f-]+)</code>", page.get_data(as_text=True))[0]
    client.post("/uitloggen", data={})
    other = app.test_client()
    assert _password_step(other, user).location == "/inloggen/code"
    assert other.post("/inloggen/code", data={"code": code}).status_code == 302
    other.post("/uitloggen", data={})
    _password_step(other, user)
    assert "klopt niet" in other.post("/inloggen/code", data={"code": code}).get_data(as_text=True)


def test_editors_are_not_required_and_the_setting_switches_it_off(client, make_user):
    editor = make_user("editor")
    assert _password_step(client, editor).location == "/"
    client.post("/uitloggen", data={})
    set_setting(db.session, "require_two_factor", False)
    db.session.commit()
    boss = make_user("coordinator")
    assert _password_step(client, boss).location == "/"
    assert "niet verplicht" in client.get("/").get_data(as_text=True)  # she is warned


def test_switching_off_needs_password_and_a_current_code(client, make_user):
    user = make_user("facilitator")
    login(client, user)
    secret = db.session.get(User, user.id).totp_secret
    # a stolen session alone cannot switch it off
    assert client.post("/account/tweestaps/uit", data={}).status_code == 422
    wrong = client.post(
        "/account/tweestaps/uit",
        data={"off-password": "fout-wachtwoord-x", "off-code": pyotp.TOTP(secret).now()},
    )
    assert "wachtwoord klopt niet" in wrong.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret
    next_code = pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=30))  # .now() was used
    ok = client.post(
        "/account/tweestaps/uit", data={"off-password": PASSWORD, "off-code": next_code}
    )
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None
    assert db.session.scalar(
        sa.select(AuditEntry.action).where(AuditEntry.action == "two_factor_off")
    )


def test_coordinator_resets_a_colleagues_two_steps_with_an_audit_entry(app, make_user):
    boss, user = make_user("coordinator"), make_user("facilitator")
    admin, hers = app.test_client(), app.test_client()
    login(admin, boss)
    login(hers, user)
    url = f"/beheer/medewerkers/{user.id}/tweestaps-herstellen"
    # Without the tick nothing changes: her app and her sessions stay.
    page = admin.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Vink aan dat u inloggen in twee stappen wilt herstellen" in page
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is not None
    assert hers.get("/account").status_code == 200
    assert admin.post(url, data={"confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None
    assert hers.get("/account").status_code == 302  # her sessions ended
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "two_factor_reset")
    ).one()
    assert entry.actor_id == boss.id and entry.object_id == user.id
    assert _password_step(app.test_client(), user).location == "/inloggen/instellen"


def test_only_a_coordinator_resets(client, make_user):
    victim = make_user("facilitator")
    two_step_secret(victim)
    login(client, make_user("facilitator"))
    assert client.post(f"/beheer/medewerkers/{victim.id}/tweestaps-herstellen").status_code == 403


def test_the_demo_logs_in_with_a_password_and_says_so(runner, app_ctx):
    from veiligthuis.settings import get_setting

    assert get_setting(db.session, "require_two_factor") is True  # a new install
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "twee stappen niet verplicht" in result.output
    db.session.expire_all()
    assert get_setting(db.session, "require_two_factor") is False


def test_requiring_two_steps_ends_password_only_sessions(app, make_user):
    set_setting(db.session, "require_two_factor", False)
    db.session.commit()
    boss, user, editor = make_user("coordinator"), make_user("facilitator"), make_user("editor")
    admin, hers, theirs = app.test_client(), app.test_client(), app.test_client()
    login(admin, boss)
    assert _password_step(hers, user).location == "/"  # password only, allowed for now
    assert _password_step(theirs, editor).location == "/"
    from veiligthuis.settings import DEFAULTS

    form = {k: ("on" if v is True else str(v)) for k, (v, _l) in DEFAULTS.items() if v is not False}
    assert admin.post("/beheer/instellingen", data=form).status_code == 302
    assert hers.get("/account").status_code == 302
    assert theirs.get("/account").status_code == 200  # editors are not asked for two steps
    assert admin.get("/account").status_code == 200
