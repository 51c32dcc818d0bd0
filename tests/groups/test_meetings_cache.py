"""The group page's table of meetings is rendered once until anything changes: a cancelled or
restored meeting shows at once, each viewer's buttons carry her own CSRF token, and a reader
never gets the buttons of someone who may edit."""

import re
from datetime import timedelta

from tests.conftest import logged_in_side_by_side, login, page_and_statements
from veiligthuis.extensions import db
from veiligthuis.sessions import cancelling
from veiligthuis.sessions.schedule import today_local

RESTORE = "Annulering ongedaan maken"


def _meetings(page: str) -> str:
    return page.split('<table class="schedule">')[1].split("</table>")[0]


def _reads_meetings_people(statements: list[str]) -> bool:
    return any("FROM users WHERE users.id IN" in " ".join(s.split()) for s in statements)


def _group_with_a_substitute(make_group, make_user):
    group = make_group(first_date=today_local() + timedelta(weeks=1))
    meeting = group.active_sessions[1]
    meeting.substitute_id = make_user("facilitator", name="Invalster").id
    meeting.substitute_for_id = group.facilitator_b_id
    db.session.commit()
    return group


def test_a_cancelled_meeting_shows_at_once_and_the_table_is_kept_until_then(
    login_as, make_group, make_user
):
    group = _group_with_a_substitute(make_group, make_user)
    client = login_as(make_user("coordinator"))
    url = f"/groepen/{group.id}"
    page, first = page_and_statements(client, url)
    assert "Invalster valt in voor" in _meetings(page) and _reads_meetings_people(first)
    page, second = page_and_statements(client, url)
    assert "Invalster valt in voor" in _meetings(page) and not _reads_meetings_people(second)
    assert "geannuleerd" not in _meetings(page)
    cancelling.cancel_session(
        db.session, group.facilitator_a, group.active_sessions[3], "Storm", confirm=True
    )
    db.session.commit()
    table = _meetings(page_and_statements(client, url)[0])
    assert "geannuleerd: Storm" in table and RESTORE in table


def test_each_viewer_gets_her_own_csrf_token_in_the_kept_table(strict_app, make_group, make_user):
    group = _group_with_a_substitute(make_group, make_user)
    cancelling.cancel_session(
        db.session, group.facilitator_a, group.active_sessions[3], "Storm", confirm=True
    )
    db.session.commit()
    clients = logged_in_side_by_side(strict_app, make_user("coordinator"), make_user("coordinator"))
    url = f"/groepen/{group.id}"
    pages = [page_and_statements(client, url) for client in clients]
    assert not _reads_meetings_people(pages[1][1])  # the second got the kept table
    tokens = []
    for page, _statements in pages:
        table = _meetings(page)
        assert "\x00" not in page
        (restore,) = re.findall(r'<form method="post" action="([^"]+herstellen)"', table)
        (token,) = re.findall(r'name="csrf_token" value="([^"]+)"', table)
        # the same token as in the page's own forms, signed for her session
        everywhere = re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert len(everywhere) >= 3 and set(everywhere) == {token}
        tokens.append(token)
    assert tokens[0] != tokens[1]
    # the second coordinator's button works with what the kept table gave her
    response = clients[1].post(restore, data={"csrf_token": tokens[1]})
    assert response.status_code == 302
    # and the first's token is no good in the second's session
    cancelling.cancel_session(
        db.session, group.facilitator_a, group.active_sessions[4], "Ziek", confirm=True
    )
    db.session.commit()
    table = _meetings(page_and_statements(clients[1], url)[0])
    (restore,) = re.findall(r'<form method="post" action="([^"]+herstellen)"', table)
    assert clients[1].post(restore, data={"csrf_token": tokens[0]}).status_code == 400


def test_a_reader_never_gets_the_buttons_of_someone_who_may_edit(app, make_group, make_user):
    group = make_group(first_date=today_local() + timedelta(weeks=1))
    reader = make_user("facilitator")
    group.active_sessions[5].substitute_id = reader.id
    group.active_sessions[5].substitute_for_id = group.facilitator_a_id
    cancelling.cancel_session(
        db.session, group.facilitator_a, group.active_sessions[3], "Storm", confirm=True
    )
    db.session.commit()
    editor, viewer = app.test_client(), app.test_client()
    login(editor, make_user("coordinator"))
    login(viewer, reader)
    url = f"/groepen/{group.id}"
    assert RESTORE in _meetings(page_and_statements(editor, url)[0])
    table = _meetings(page_and_statements(viewer, url)[0])
    assert "geannuleerd: Storm" in table and RESTORE not in table
