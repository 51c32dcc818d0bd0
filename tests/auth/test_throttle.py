"""Login throttling: guessing slows down, but no one can lock a colleague out of her browser."""

from tests.conftest import PASSWORD, login
from veiligthuis.auth import throttle

WRONG = {"password": "fout-wachtwoord"}


def _post(client, email, password, address):
    client.environ_base["REMOTE_ADDR"] = address  # this browser's address from now on
    return client.post("/inloggen", data={"email": email, "password": password})


def test_guessing_from_one_client_waits_longer_and_longer(client, make_user):
    user = make_user("facilitator")
    for _ in range(throttle.FREE_ATTEMPTS):
        assert "klopt niet" in _post(client, user.email, "fout", "10.0.0.9").get_data(as_text=True)
    # even the right password waits now, from the guessing client
    page = _post(client, user.email, PASSWORD, "10.0.0.9").get_data(as_text=True)
    assert "Wacht 1 seconden" in page
    assert throttle.delay_after(throttle.FREE_ATTEMPTS + 4) == 2 * throttle.delay_after(
        throttle.FREE_ATTEMPTS + 3
    )
    assert throttle.delay_after(100) == throttle.MAX_DELAY


def test_attacker_elsewhere_does_not_lock_her_out_of_her_own_browser(app, make_user):
    victim = make_user("coordinator")
    her_browser = app.test_client()
    her_browser.environ_base["REMOTE_ADDR"] = "10.1.1.1"
    login(her_browser, victim)  # this browser now carries her known-device cookie
    her_browser.post("/uitloggen", data={})
    attacker = app.test_client()
    # many wrong passwords from many addresses: the account is closed to unknown browsers ...
    for n in range(throttle.ACCOUNT_LIMIT):
        _post(attacker, victim.email, "fout", f"192.0.2.{n % 250}")
    page = _post(attacker, victim.email, PASSWORD, "198.51.100.7").get_data(as_text=True)
    assert "vaak een verkeerd wachtwoord" in page
    # ... but she, in the browser she logged in with, gets in at once
    assert _post(her_browser, victim.email, PASSWORD, "10.1.1.1").location == "/inloggen/code"


def test_same_office_address_does_not_lock_her_out_either(app, make_user):
    victim = make_user("facilitator")
    her_browser = app.test_client()
    her_browser.environ_base["REMOTE_ADDR"] = "10.2.2.2"
    login(her_browser, victim)
    her_browser.post("/uitloggen", data={})
    colleague = app.test_client()  # behind the same NAT address
    for _ in range(10):
        _post(colleague, victim.email, "fout", "10.2.2.2")
    assert "Wacht" in _post(colleague, victim.email, PASSWORD, "10.2.2.2").get_data(as_text=True)
    assert _post(her_browser, victim.email, PASSWORD, "10.2.2.2").location == "/inloggen/code"


def test_a_forged_device_cookie_counts_for_nothing(app, make_user):
    victim = make_user("facilitator")
    attacker = app.test_client()
    attacker.set_cookie("vt_device", "eyJlIjoieCJ9.forged.sig", path="/inloggen")
    for _ in range(throttle.FREE_ATTEMPTS):
        _post(attacker, victim.email, "fout", "10.3.3.3")
    assert "Wacht" in _post(attacker, victim.email, PASSWORD, "10.3.3.3").get_data(as_text=True)


def test_spraying_one_password_over_many_accounts_is_stopped(app, make_user):
    target = make_user("case_worker")
    sprayer = app.test_client()
    for n in range(throttle.SPRAY_LIMIT):
        _post(sprayer, f"iemand{n}@example.org", "Zomer2026!", "203.0.113.5")
    page = _post(sprayer, target.email, PASSWORD, "203.0.113.5").get_data(as_text=True)
    assert "vanaf dit adres" in page
    # the accounts themselves are not touched: from elsewhere she logs in
    assert _post(app.test_client(), target.email, PASSWORD, "10.4.4.4").location.startswith(
        "/inloggen/"
    )


def test_the_code_step_is_throttled_too(client, make_user):
    import pyotp

    from veiligthuis.auth import service
    from veiligthuis.extensions import db

    user = make_user("facilitator")
    secret = service.new_totp_secret()
    user.totp_secret = secret
    db.session.commit()
    assert _post(client, user.email, PASSWORD, "10.5.5.5").location == "/inloggen/code"
    for _ in range(throttle.FREE_ATTEMPTS):
        client.post(
            "/inloggen/code", data={"code": "000000"}, environ_base={"REMOTE_ADDR": "10.5.5.5"}
        )
    page = client.post(
        "/inloggen/code",
        data={"code": pyotp.TOTP(secret).now()},
        environ_base={"REMOTE_ADDR": "10.5.5.5"},
    ).get_data(as_text=True)
    assert "Wacht" in page
