"""Server-side sessions: the server ends them, and a copied cookie then opens nothing."""

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import PASSWORD, login, page_and_statements
from veiligthuis.auth.models import WebSession
from veiligthuis.auth.web_session import hash_id
from veiligthuis.extensions import db
from veiligthuis.models import utcnow


def _cookie(client):
    return client.get_cookie("session").value


def _replay(app, value):
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def test_cookie_replayed_after_logout_opens_nothing(app, client, make_user):
    boss = make_user("coordinator")
    login(client, boss)
    stolen = _cookie(client)
    assert _replay(app, stolen).get("/beheer/medewerkers").status_code == 200
    client.post("/uitloggen", data={})
    thief = _replay(app, stolen)
    response = thief.get("/beheer/medewerkers")
    assert response.status_code == 302 and response.location.startswith("/inloggen")
    assert thief.post("/beheer/medewerkers/nieuw", data={}).status_code == 302


def test_cookie_holds_only_a_random_id_and_the_table_only_its_hash(client, make_user):
    login(client, make_user("facilitator"))
    value = _cookie(client)
    assert "." not in value and len(value) >= 40  # not a signed payload
    stored = db.session.scalars(sa.select(WebSession.id_hash)).all()
    assert hash_id(value) in stored and value not in stored


def test_logging_out_ends_her_sessions_everywhere(app, make_user):
    user = make_user("facilitator")
    desk, laptop = app.test_client(), app.test_client()
    login(desk, user)
    login(laptop, user)
    desk.post("/uitloggen", data={})
    assert laptop.get("/groepen").status_code == 302


def test_password_change_ends_her_other_sessions(app, make_user):
    user = make_user("case_worker")
    desk, laptop = app.test_client(), app.test_client()
    login(desk, user)
    login(laptop, user)
    old = _cookie(desk)
    response = desk.post(
        "/account/wachtwoord",
        data={"pw-current_password": PASSWORD, "pw-new_password": "een nieuwe lange zin 42"},
    )
    assert response.status_code == 302
    assert laptop.get("/account").status_code == 302
    assert desk.get("/account").status_code == 200
    assert _cookie(desk) != old  # a new id for the one that stays
    assert _replay(app, old).get("/account").status_code == 302


def test_role_change_and_deactivation_end_her_sessions(app, make_user):
    boss, user, other = (
        make_user("coordinator"),
        make_user("facilitator"),
        make_user("facilitator"),
    )
    admin, hers, theirs = app.test_client(), app.test_client(), app.test_client()
    login(admin, boss)
    login(hers, user)
    login(theirs, other)
    admin.post(
        f"/beheer/medewerkers/{user.id}",
        data={"name": user.name, "roles": ["case_worker"], "is_enabled": "y"},
    )
    assert hers.get("/account").status_code == 302
    admin.post(
        f"/beheer/medewerkers/{other.id}", data={"name": other.name, "roles": ["facilitator"]}
    )
    assert theirs.get("/account").status_code == 302
    assert admin.get("/account").status_code == 200


def _age(**changes):
    db.session.execute(sa.update(WebSession).values(**changes))
    db.session.commit()


def test_idle_staff_session_ends_after_the_idle_timeout(app, client, make_user):
    login(client, make_user("facilitator"))
    idle = app.config["STAFF_IDLE_MINUTES"]
    _age(last_seen_dt=utcnow() - timedelta(minutes=idle - 1))
    assert client.get("/account").status_code == 200
    _age(last_seen_dt=utcnow() - timedelta(minutes=idle + 1))
    assert client.get("/account").status_code == 302


def test_session_ends_after_a_working_day_however_busy(app, client, make_user):
    login(client, make_user("facilitator"))
    hours = app.config["STAFF_SESSION_HOURS"]
    assert hours == 10
    _age(created_dt=utcnow() - timedelta(hours=hours, minutes=1))
    assert client.get("/account").status_code == 302


def test_account_lists_her_sessions_and_ends_one(app, make_user):
    user = make_user("facilitator")
    desk, phone = app.test_client(), app.test_client()
    phone.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (iPhone) Testbrowser"
    login(desk, user)
    login(phone, user)
    page = desk.get("/account").get_data(as_text=True)
    assert "iPhone) Testbrowser" in page and "(deze sessie)" in page
    phone_hash = hash_id(_cookie(phone))
    desk.post("/account/sessies/beeindigen", data={"session": phone_hash})
    assert phone.get("/account").status_code == 302
    assert desk.get("/account").status_code == 200


def test_she_cannot_end_someone_elses_session(app, make_user):
    a, b = make_user("facilitator"), make_user("facilitator")
    ca, cb = app.test_client(), app.test_client()
    login(ca, a)
    login(cb, b)
    ca.post("/account/sessies/beeindigen", data={"session": hash_id(_cookie(cb))})
    assert cb.get("/account").status_code == 200


def test_sessions_nobody_uses_are_purged_at_the_next_login(client, make_user):
    db.session.add(WebSession(id_hash="0" * 64, data={}, last_seen_dt=utcnow() - timedelta(days=2)))
    db.session.commit()
    login(client, make_user("editor"))
    assert db.session.get(WebSession, "0" * 64) is None


def test_static_files_do_not_touch_the_session_store(client, make_user):
    from tests.conftest import count_queries

    login(client, make_user("editor"))
    with count_queries(db.engine) as queries:
        response = client.get("/static/css/print-fonts.css")
        response.close()
    assert response.status_code == 200 and queries() == 0


def test_account_page_title_is_plain_text(client, make_user):
    user = make_user("coordinator")
    login(client, user)
    page = client.get("/account").get_data(as_text=True)
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and title.startswith("Mijn account")
    assert page.count("Waar u bent ingelogd") == 1


def _session_writes(client, url) -> list[str]:
    statements: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        if "web_sessions" in statement and not statement.lstrip().startswith("SELECT"):
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return statements


def test_a_page_seen_again_within_the_minute_writes_no_session_row(client, make_user):
    # Every page view used to UPDATE (and commit) her session row: a disk write per GET.
    login(client, make_user("facilitator"))
    client.get("/account")  # the first page after login stores her new CSRF token
    assert _session_writes(client, "/account") == []
    assert _session_writes(client, "/groepen") == []


def test_activity_after_the_minute_moves_the_idle_clock(client, make_user):
    login(client, make_user("facilitator"))
    _age(last_seen_dt=utcnow() - timedelta(minutes=2))
    assert len(_session_writes(client, "/account")) == 1
    seen = db.session.scalars(sa.select(WebSession.last_seen_dt)).one()
    assert utcnow() - seen < timedelta(seconds=30)


def test_a_changed_session_is_stored_at_once(client, make_user):
    login(client, make_user("facilitator"))
    with client.session_transaction() as session:
        session["note"] = "x"  # what a flash message or a form's state does
    stored = db.session.scalars(sa.select(WebSession.data)).one()
    assert stored.get("note") == "x"


def test_every_role_of_a_staff_member_counts_on_each_page(client, make_user):
    # her roles are loaded with her account in one statement: all of them, not the first row's
    user = make_user("facilitator", "case_worker", "coordinator")
    login(client, user)
    page = client.get("/").get_data(as_text=True)
    assert "Ondersteuning" in page and "Beheer" in page and "Mijn agenda" in page


def test_a_page_reads_her_session_in_its_own_one_transaction(client, make_user, make_group):
    group = make_group(participants=2)
    login(client, make_user("coordinator"))
    assert client.get(f"/groepen/{group.id}").status_code == 200  # stores her CSRF secret
    seen: list[str] = []

    def checkout(*_args):
        seen.append("checkout")

    def begin(*_args):
        seen.append("begin")

    sa.event.listen(db.engine.pool, "checkout", checkout)
    sa.event.listen(db.engine, "begin", begin)
    try:
        assert client.get(f"/groepen/{group.id}").status_code == 200
    finally:
        sa.event.remove(db.engine.pool, "checkout", checkout)
        sa.event.remove(db.engine, "begin", begin)
    # a connection and a transaction of its own for the session cost PostgreSQL three trips
    assert seen == ["checkout", "begin"]


def test_her_account_and_roles_are_read_in_the_statement_of_her_session(client, make_user):
    # every staff page needs both: one statement is one round trip fewer on PostgreSQL
    user = make_user("facilitator", "case_worker", "coordinator", email="anna@example.org")
    login(client, user)
    client.get("/account")
    page, statements = page_and_statements(client, "/account")
    assert "anna@example.org" in page
    assert "Ondersteuning" in page and "Beheer" in page and "Mijn agenda" in page
    her_account = [s for s in statements if re.search(r"\b(FROM|JOIN) users\b", s)]
    assert len(her_account) == 1 and "FROM web_sessions" in her_account[0], statements


def test_a_session_row_naming_another_account_opens_only_the_one_she_logged_in_as(
    client, make_user
):
    # The account comes with her session row's user_id; flask-login asks for the one in her
    # session's data. Should the two ever differ, she gets hers, never the row's.
    her = make_user("facilitator", email="her@example.org")
    other = make_user("coordinator", email="other@example.org")
    login(client, her)
    client.get("/account")
    db.session.execute(sa.update(WebSession).values(user_id=other.id))
    db.session.commit()
    page = client.get("/account").get_data(as_text=True)
    assert "her@example.org" in page and "other@example.org" not in page
    assert client.get("/beheer/medewerkers").status_code == 403


def test_a_session_between_password_and_code_loads_no_account(app, make_user):
    user = make_user("coordinator")
    visitor = app.test_client()
    response = visitor.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert response.location in ("/inloggen/code", "/inloggen/instellen")
    # her session row is stored, with no account yet: the code step has not been passed
    assert db.session.scalars(sa.select(WebSession.user_id)).all() == [None]
    response = visitor.get("/account")
    assert response.status_code == 302 and response.location.startswith("/inloggen")
