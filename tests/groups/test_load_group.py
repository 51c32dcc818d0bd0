"""Loading a group for its pages: each page reads what it shows, and what it does not read
still loads when it is touched (a substitute's access, a meeting's group)."""

from tests.conftest import page_and_statements
from veiligthuis.extensions import db


def _reads_meetings(statements: list[str]) -> bool:
    # the group's own meetings, as load_group or a lazy load asks for them
    return any("FROM group_sessions WHERE" in s for s in statements)


def test_the_participant_list_reads_no_meetings_unless_access_needs_them(
    login_as, make_group, make_participant, make_user
):
    group = make_group()
    woman = make_participant(group, alias="Roos")
    coordinator = login_as(make_user("coordinator"))
    page, statements = page_and_statements(coordinator, f"/groepen/{group.id}/deelnemers")
    assert "Roos" in page and woman.code in page
    assert not _reads_meetings(statements)
    coordinator.post("/uitloggen")
    # a facilitator who stands in for one meeting may see the list: that is in the meetings
    substitute = make_user("facilitator")
    group.active_sessions[4].substitute_id = substitute.id
    group.active_sessions[4].substitute_for_id = group.facilitator_a_id
    db.session.commit()
    page, statements = page_and_statements(login_as(substitute), f"/groepen/{group.id}/deelnemers")
    assert "Roos" in page and _reads_meetings(statements)


def test_the_group_page_shows_every_meeting_in_order_with_one_read_of_them(
    login_as, make_group, make_user
):
    group = make_group()
    page, statements = page_and_statements(
        login_as(make_user("coordinator")), f"/groepen/{group.id}"
    )
    assert sum(_reads_meetings([s]) for s in statements) == 1
    schedule = page.split('<table class="schedule">')[1].split("</table>")[0]
    numbers = [row.split("<td>")[1].split("</td>")[0] for row in schedule.split("<tr")[2:]]
    assert numbers == [str(n) for n in range(1, 13)]
