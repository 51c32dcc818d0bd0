"""Her open signals, and the groups whose women are her current caseload, are read once until
anything changes: a new or seen signal shows at once, another case worker never gets hers, and
another day works the current groups out anew."""

import re
from datetime import UTC, datetime, timedelta

import time_machine

from tests.conftest import logged_in_side_by_side, login, page_and_statements
from tests.support.conftest import mark
from veiligthuis.extensions import db
from veiligthuis.support import service
from veiligthuis.support.caseload import current_group_ids


def _view(client) -> tuple[str, list[str]]:
    return page_and_statements(client, "/ondersteuning")


def _reads_signals(statements: list[str]) -> bool:
    return any("FROM signals JOIN participants" in s for s in statements)


def _reads_current_groups(statements: list[str]) -> bool:
    return any(s.startswith("SELECT groups.id FROM groups WHERE") for s in statements)


def _signals(page: str) -> str:
    return page.split('id="signalen"')[1].split("</section>")[0]


def _clients(page: str) -> str:
    return page.split('<table class="clients">')[1].split("</table>")[0]


def _reads_her_page(statements: list[str]) -> bool:
    return any("count(*) OVER ()" in s for s in statements)


def _first_date(weeks_ago: int):
    return service.today_local() - timedelta(weeks=weeks_ago)


def test_her_signals_are_read_once_and_a_new_or_seen_one_shows_at_once(support_setup, login_as):
    s = support_setup(n=2, first_date=_first_date(2))
    her, other = s.clients
    mark(s.group, {(her, 1): "absent"})
    client = login_as(s.worker)
    page, first = _view(client)
    assert _reads_signals(first) and _reads_current_groups(first)
    assert her.code in _signals(page) and other.code not in _signals(page)
    page, second = _view(client)
    assert not _reads_signals(second) and not _reads_current_groups(second)
    assert her.code in _signals(page)
    # absent at the next meeting too: a signal for the other woman, on her very next view
    mark(s.group, {(other, 1): "absent", (other, 2): "absent"})
    page, third = _view(client)
    assert _reads_signals(third)
    assert her.code in _signals(page) and other.code in _signals(page)
    # marking one seen on the page: it shows as seen at once
    (signal,) = [x for x in service.open_signals(db.session, s.worker) if x.code == her.code]
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert (
        client.post(
            f"/ondersteuning/signalen/{signal.id}/gezien",
            data={"csrf_token": token, "back": "index"},
        ).status_code
        == 302
    )
    rows = _signals(_view(client)[0]).split("<tr class=")
    (seen_row,) = [row for row in rows if her.code in row]
    assert "signal-acknowledged" in seen_row


def test_another_case_worker_never_gets_her_signals(app, support_setup, make_user):
    a = support_setup(n=1, first_date=_first_date(2))
    b = support_setup(n=1, worker=make_user("case_worker"), group=a.group)
    mark(a.group, {(a.clients[0], 1): "absent", (b.clients[0], 1): "absent"})
    # both logged in first: nothing changes between their views, so what was kept is served
    clients = {}
    for setup in (a, b):
        clients[setup.worker.id] = app.test_client()
        login(clients[setup.worker.id], setup.worker)
    for _round in range(2):  # worked out, then kept
        for setup, stranger in ((a, b), (b, a)):
            page, statements = _view(clients[setup.worker.id])
            assert setup.clients[0].code in _signals(page)
            assert stranger.clients[0].code not in _signals(page)
            assert setup.clients[0].code in _clients(page)
            assert stranger.clients[0].code not in _clients(page)
            assert _reads_signals(statements) is (_round == 0)
            assert _reads_her_page(statements) is (_round == 0)


def test_another_day_works_the_current_groups_out_anew(support_setup, make_user):
    worker = make_user("case_worker")
    s = support_setup(n=1, worker=worker, first_date=_first_date(13), status="completed")
    today = service.today_local()
    assert s.group.id in current_group_ids(db.session, today)
    assert s.group.id in current_group_ids(db.session, today)  # kept
    # thirteen weeks on, its last meeting is longer ago than a handover stays
    assert s.group.id not in current_group_ids(db.session, today + timedelta(weeks=13))


def test_a_meeting_that_starts_between_two_views_counts_as_held_at_once(support_setup, login_as):
    s = support_setup(n=1, first_date=_first_date(2))
    now = datetime.now(UTC)
    coming = min(gs.start_dt for gs in s.group.active_sessions if gs.start_dt > now)
    with time_machine.travel(coming - timedelta(minutes=10)):
        client = login_as(s.worker)
        before, statements = _view(client)
        assert _reads_her_page(statements)
        _view(client)  # (a first view may store her due signals: a change)
        kept = _view(client)[1]
        assert not _reads_her_page(kept)
        assert not _reads_meeting_starts(kept)  # none started since: the clock is kept too
        held = _held(_clients(before))
    # nothing was written since: only the clock says that one more meeting has been held
    with time_machine.travel(coming + timedelta(minutes=5)):
        after = _clients(_view(client)[0])
    assert _held(after) == held + 1


def _reads_meeting_starts(statements: list[str]) -> bool:
    return any("max(group_sessions.start_dt)" in s for s in statements)


def test_the_last_meeting_start_is_right_for_every_moment_while_kept(support_setup):
    s = support_setup(n=1, first_date=_first_date(2))
    db.session.commit()
    starts = sorted(gs.start_dt for gs in s.group.active_sessions)
    past = [t for t in starts if t <= datetime.now(UTC)]
    coming = min(t for t in starts if t > datetime.now(UTC))
    now = coming - timedelta(minutes=10)
    assert service.last_meeting_start(db.session, now) == past[-1]
    # kept for ``now``: a moment before it, at the next start and after it, each its own answer
    assert service.last_meeting_start(db.session, past[-1] - timedelta(minutes=1)) == past[-2]
    assert service.last_meeting_start(db.session, coming) == coming
    assert service.last_meeting_start(db.session, now + timedelta(minutes=5)) == past[-1]
    assert service.last_meeting_start(db.session, starts[0] - timedelta(days=1)) is None


def _held(table: str) -> int:
    return int(re.search(r"(\d+) van (\d+) aanwezig", table).group(2))


def test_her_phone_and_her_desk_each_get_their_own_token_in_the_kept_signals(
    strict_app, support_setup
):
    s = support_setup(n=1, first_date=_first_date(2))
    mark(s.group, {(s.clients[0], 1): "absent"})
    desk, phone = logged_in_side_by_side(strict_app, s.worker, s.worker)
    _view(desk)  # (a first view may store her due signals: a change)
    tokens = []
    for client in (desk, phone):
        page, statements = _view(client)
        everywhere = re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert "\x00" not in page and len(set(everywhere)) == 1 and len(everywhere) >= 2
        tokens.append(everywhere[0])
    assert not _reads_signals(statements)  # the phone got the kept table
    assert tokens[0] != tokens[1]
    (action,) = re.findall(r'<form method="post" action="([^"]+/gezien)"', _signals(page))
    assert phone.post(action, data={"csrf_token": tokens[0], "back": "index"}).status_code == 400
    assert phone.post(action, data={"csrf_token": tokens[1], "back": "index"}).status_code == 302
