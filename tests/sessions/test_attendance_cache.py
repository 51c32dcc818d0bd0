"""The attendance grid is rendered once until anything changes: a saved mark shows at once, a
meeting that begins can be filled in from that minute on with nothing written, each viewer's
form carries her own CSRF token, and someone who may only read never gets the editor's grid."""

import re
from datetime import UTC, timedelta

import time_machine

from tests.conftest import logged_in_side_by_side, login, page_and_statements
from veiligthuis.extensions import db
from veiligthuis.sessions import service
from veiligthuis.sessions.schedule import today_local


def _reads_marks(statements: list[str]) -> bool:
    return any(s.startswith("SELECT attendances.participant_id") for s in statements)


def _grid(page: str) -> str:
    return page.split('<table class="attendance">')[1].split("</table>")[0]


def _editable(page: str) -> int:
    """How many cells of the grid can be filled in."""
    return _grid(page).count("<select ")


def _audited(statements: list[str]) -> bool:
    return any(s.startswith("INSERT INTO audit_log") for s in statements)


def test_a_saved_mark_shows_at_once_and_the_grid_is_kept_until_then(login_as, make_group):
    group = make_group(participants=3, first_date=today_local() - timedelta(weeks=2))
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}/presentie"
    page, first = page_and_statements(client, url)
    assert _reads_marks(first) and _audited(first)
    page, second = page_and_statements(client, url)
    assert not _reads_marks(second)
    # every view is audited, kept or not
    assert _audited(second)
    woman, meeting = group.participants[1], group.active_sessions[0]
    assert f'name="a-{woman.id}-{meeting.id}"' in _grid(page)
    response = client.post(url, data={f"a-{woman.id}-{meeting.id}": "excused"})
    assert response.status_code == 302
    page = page_and_statements(client, url)[0]
    cell = re.search(rf'name="a-{woman.id}-{meeting.id}".*?</select>', page, re.S).group(0)
    assert '<option value="excused" selected>' in cell


def test_a_meeting_that_begins_between_two_views_can_be_filled_in_at_once(login_as, make_group):
    group = make_group(participants=2, first_date=today_local() + timedelta(days=1))
    coming = group.active_sessions[0].start_dt
    if coming.tzinfo is None:
        coming = coming.replace(tzinfo=UTC)
    url = f"/groepen/{group.id}/presentie"
    with time_machine.travel(coming - timedelta(minutes=10)):
        client = login_as(group.facilitator_a)
        page_and_statements(client, url)
        page, statements = page_and_statements(client, url)
        assert not _reads_marks(statements) and _editable(page) == 0
    # nothing was written since: only the clock says that the first meeting has begun
    with time_machine.travel(coming + timedelta(minutes=5)):
        page = page_and_statements(client, url)[0]
    assert _editable(page) == 2


def test_each_viewer_gets_her_own_csrf_token_in_the_kept_grid(strict_app, make_group, make_user):
    group = make_group(participants=2, first_date=today_local() - timedelta(weeks=1))
    clients = logged_in_side_by_side(strict_app, make_user("coordinator"), make_user("coordinator"))
    url = f"/groepen/{group.id}/presentie"
    pages = [page_and_statements(client, url) for client in clients]
    assert not _reads_marks(pages[1][1])  # the second got the kept grid
    tokens = []
    for page, _statements in pages:
        assert "\x00" not in page
        everywhere = re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert len(everywhere) >= 2 and len(set(everywhere)) == 1
        tokens.append(everywhere[0])
    assert tokens[0] != tokens[1]
    woman, meeting = group.participants[0], group.active_sessions[0]
    field = f"a-{woman.id}-{meeting.id}"
    # the first's token is no good in the second's session; her own is
    refused = clients[1].post(url, data={"csrf_token": tokens[0], field: "present"})
    assert refused.status_code == 400
    saved = clients[1].post(url, data={"csrf_token": tokens[1], field: "present"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert service.attendance_summaries(db.session, group, 9)[woman.id].present == 1


def test_a_reader_never_gets_the_grid_of_someone_who_may_edit(app, make_group, make_user):
    group = make_group(participants=2, first_date=today_local() - timedelta(weeks=3))
    reader = make_user("facilitator")
    group.active_sessions[5].substitute_id = reader.id
    group.active_sessions[5].substitute_for_id = group.facilitator_a_id
    db.session.commit()
    editor, viewer = app.test_client(), app.test_client()
    login(editor, group.facilitator_a)
    login(viewer, reader)
    url = f"/groepen/{group.id}/presentie"
    assert _editable(page_and_statements(editor, url)[0]) > 0
    page = page_and_statements(viewer, url)[0]
    assert _editable(page) == 0 and "Presentie opslaan" not in page


def test_another_group_gets_its_own_grid(login_as, make_group, make_user):
    # neither has begun: what the grids may be filled in for is the same (nothing)
    groups = [
        make_group(participants=n, first_date=today_local() + timedelta(weeks=1)) for n in (1, 3)
    ]
    client = login_as(make_user("coordinator"))
    for group, women in zip(groups, (1, 3), strict=True):
        page, statements = page_and_statements(client, f"/groepen/{group.id}/presentie")
        assert _reads_marks(statements)
        assert _grid(page).count('<th scope="row">') == women
