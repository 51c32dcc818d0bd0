from tests.conftest import login
from veiligthuis.extensions import db


def test_login_and_dashboard(client, make_user, make_group):
    user = make_user("coordinator")
    group = make_group(participants=6)
    login(client, user)
    response = client.get("/")
    assert response.status_code == 200
    assert group.name in response.get_data(as_text=True)
    assert f"<td>{group.location.name}</td>" in response.get_data(as_text=True)
    for url in (
        "/groepen",
        f"/groepen/{group.id}",
        f"/groepen/{group.id}/deelnemers",
        f"/groepen/{group.id}/presentie",
        f"/groepen/{group.id}/bijeenkomsten/1",
        "/groepen/nieuw",
        "/beheer",
        "/beheer/locaties",
        "/beheer/medewerkers",
        "/beheer/sluitingen",
        "/beheer/instellingen",
        "/beheer/audit",
    ):
        assert client.get(url).status_code == 200, url


def test_forwarded_address_is_read_only_behind_trusted_proxies(app):
    from flask import request

    from veiligthuis import create_app

    def seen(application):
        @application.get("/_adres")
        def _address():
            return request.remote_addr or ""

        client = application.test_client()
        try:
            return client.get(
                "/_adres",
                headers={"X-Forwarded-For": "203.0.113.9"},
                environ_base={"REMOTE_ADDR": "127.0.0.5"},
            ).get_data(as_text=True)
        finally:
            # Close this app's pool now: once the app is unreachable a collection can drop it
            # from Flask-SQLAlchemy's weak mapping before the conftest disposes other apps, and
            # its open connection then lingers until the collector warns in some later test.
            with application.app_context():
                db.engine.dispose()

    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    assert seen(create_app({**config, "TRUSTED_PROXIES": 0})) == "127.0.0.5"
    assert seen(create_app({**config, "TRUSTED_PROXIES": 1})) == "203.0.113.9"
