"""Two app servers (gunicorn, two ports) on one database: what a second server must not break.

On PostgreSQL (TEST_DATABASE_URL) both share it; on SQLite both share one database file, which is
a valid multi-process set-up too. Sessions live in the database, so they hold, and end, on
both.
"""

import copy
import threading

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.documents.conftest import make_version, pdf_text  # noqa: F401
from tests.evaluations.conftest import (  # noqa: F401
    SECRET,
    Phone,
    eval_group,
    methodiek_version,
    open_round,
)
from tests.servers import Browser, Server
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group

# its servers are other processes, on the real clock (two-step login codes)
pytestmark = pytest.mark.real_clock


@pytest.fixture(scope="module")
def servers(app, tmp_path_factory):
    """Started once for the module: each test makes its own data (tables are emptied after)."""
    folder = tmp_path_factory.mktemp("servers")
    started = [
        Server(app.config["SQLALCHEMY_DATABASE_URI"], SECRET, folder / name) for name in "ab"
    ]
    try:
        for server in started:
            server.wait_healthy()
        yield started
    finally:
        for server in started:
            server.stop()


def _count(table: str) -> int:
    db.session.remove()
    return db.session.scalar(sa.select(sa.func.count()).select_from(sa.table(table)))


def test_one_code_sent_to_both_servers_at_once_is_stored_once(
    servers,
    eval_group,  # noqa: F811
    open_round,  # noqa: F811
):
    a, b = servers
    round_, codes = open_round(eval_group(), count=8)
    answers_before = _count("evaluation_answers")
    for code in codes[:3]:
        phones = [Phone(server.base) for server in servers]
        barrier = threading.Barrier(2)
        opened = []

        def open_form(phone, code=code, barrier=barrier, opened=opened):
            barrier.wait()
            opened.append((phone, phone.open_form(code)))

        threads = [threading.Thread(target=open_form, args=(phone,)) for phone in phones]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        winners = [phone for phone, ok in opened if ok]
        assert len(winners) == 1, opened  # the code opens one form, on whichever server
        assert winners[0].send({"q-veilig_in_groep": "5", "q-opmerking": "samen"})
    assert _count("evaluation_answers") - answers_before == 3 * 2


def test_a_login_on_one_server_works_on_the_other(servers, make_user):
    a, b = servers
    user = make_user("coordinator")
    browser = Browser()
    assert browser.log_in(a.base, user, PASSWORD) == 302
    assert browser.request(f"{b.base}/beheer/medewerkers")[0] == 200
    assert browser.request(f"{a.base}/beheer/medewerkers")[0] == 200
    assert Browser().request(f"{b.base}/beheer/medewerkers")[0] == 302  # not without it


def test_failed_logins_count_across_both_servers(servers, make_user):
    """Wrong passwords spread over both servers add up: a guesser gains nothing from a second
    server. (Today: ten failures lock the address; the throttle redesign keeps this check.)"""
    a, b = servers
    user = make_user("facilitator")
    guesser = Browser()
    for attempt in range(10):
        server = servers[attempt % 2]
        status, _, _ = guesser.post_form(
            f"{server.base}/inloggen", email=user.email, password=f"fout-{attempt}-wachtwoord"
        )
        assert status == 200
    for server in servers:
        status, html, _ = guesser.post_form(
            f"{server.base}/inloggen", email=user.email, password=PASSWORD
        )
        assert status != 302, "the right password got in after ten guesses over two servers"
        assert "Deze combinatie van e-mailadres en wachtwoord klopt niet." not in html


def test_logout_on_one_server_ends_the_session_on_both(servers, make_user):
    a, b = servers
    user = make_user("coordinator")
    browser = Browser()
    assert browser.log_in(a.base, user, PASSWORD) == 302
    assert browser.request(f"{b.base}/beheer/medewerkers")[0] == 200
    stolen = Browser()
    for cookie in browser.jar:
        stolen.jar.set_cookie(copy.copy(cookie))

    status, _, _ = browser.post_form(f"{b.base}/account", f"{b.base}/uitloggen")
    assert status == 302
    for server in servers:
        # the old cookie, replayed, answers with the login page on either server
        status, _, headers = stolen.request(f"{server.base}/beheer/medewerkers")
        assert status == 302 and "/inloggen" in headers["Location"]


def test_a_password_change_on_one_server_ends_other_sessions_on_both(servers, make_user):
    a, b = servers
    user = make_user("coordinator")
    laptop, phone = Browser(), Browser()
    for browser, server in ((laptop, a), (phone, b)):
        assert browser.log_in(server.base, user, PASSWORD) == 302
    new = "een-heel-ander-lang-wachtwoord-2026"
    token = laptop.token(f"{a.base}/account")
    status, _, _ = laptop.request(
        f"{a.base}/account/wachtwoord",
        {"pw-csrf_token": token, "pw-current_password": PASSWORD, "pw-new_password": new},
    )
    assert status == 302
    for server in servers:
        assert phone.request(f"{server.base}/beheer/medewerkers")[0] == 302


def test_a_cached_draaiboek_is_never_served_after_its_group_changed(
    servers,
    make_group,
    make_version,  # noqa: F811
):
    a, b = servers
    make_version()
    group = make_group(name="Linde voorjaar")
    browser = Browser()
    assert browser.log_in(a.base, group.facilitator_a, PASSWORD) == 302  # valid on both
    url = f"/groepen/{group.id}/draaiboek.pdf"
    for server in servers:
        status, data = browser.raw(server.base + url)
        assert status == 200 and "Draaiboek Linde voorjaar" in pdf_text(data)
        assert "Draaiboek Linde voorjaar" in pdf_text(browser.raw(server.base + url)[1])  # cached
    renamed = db.session.get(Group, group.id)
    renamed.name = "Linde najaar"  # a change, made anywhere, is in the shared database
    db.session.commit()
    for server in servers:
        text = pdf_text(browser.raw(server.base + url)[1])
        assert "Draaiboek Linde najaar" in text and "voorjaar" not in text
