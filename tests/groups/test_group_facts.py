"""A group's pages around kept parts check her access and audit the women on kept facts of the
group: a second view reads nothing of the group, yet who may look, and whom a look records,
follow every change at once, and each group's facts are its own."""

import pytest
import sqlalchemy as sa

from tests.conftest import login, page_and_statements
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db

#: (address, audit action or None) of every page that works on the facts
PAGES = [
    ("/groepen/{id}", None),
    ("/groepen/{id}/presentie", "attendance_view"),
    ("/groepen/{id}/deelnemers", "list"),
    ("/groepen/{id}/evaluaties", None),
]
_GROUP_READS = ("FROM groups", "FROM group_sessions", "FROM participants")


def _reads_group(statements: list[str]) -> list[str]:
    return [s for s in statements if any(table in s for table in _GROUP_READS)]


def _audited(participant_id: int, action: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.object_id == participant_id, AuditEntry.action == action)
    )


@pytest.mark.parametrize(("url", "action"), PAGES)
def test_a_second_view_reads_nothing_of_the_group_and_is_still_audited(
    login_as, make_group, make_participant, make_user, url, action
):
    group = make_group()
    woman = make_participant(group, alias="Roos")
    client = login_as(make_user("coordinator"))
    address = url.format(id=group.id)
    _page, first = page_and_statements(client, address)
    assert _reads_group(first)
    page, second = page_and_statements(client, address)
    assert _reads_group(second) == []
    assert group.name in page
    if action:
        assert woman.code in page
        assert _audited(woman.id, action) == 2


def _signed_in(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _stand_in(meeting, substitute) -> None:
    meeting.substitute_id, meeting.substitute_for_id = substitute.id, meeting.facilitator_a_id


def _views(client, address: str, times: int = 2) -> set[int]:
    return {client.get(address).status_code for _ in range(times)}


# In each attack everyone logs in first: a login writes, and what is kept is then thrown away.
# Who looks just before her (the grid is kept apart for those who may and may not edit it) has
# had the page kept, so only the check on the kept facts stands between her and the page.


@pytest.mark.parametrize(("url", "action"), PAGES)
def test_kept_facts_let_in_nobody_the_group_does_not_let_in(
    app, make_group, make_user, url, action
):
    group = make_group()
    substitute = make_user("facilitator")
    _stand_in(group.active_sessions[4], substitute)
    db.session.commit()
    address = url.format(id=group.id)
    coordinator, standing_in, stranger, case_worker = (
        _signed_in(app, user)
        for user in (
            make_user("coordinator"),
            substitute,
            make_user("facilitator"),
            make_user("case_worker"),
        )
    )
    assert _views(coordinator, address) == _views(standing_in, address) == {200}
    assert stranger.get(address).status_code == 404
    assert case_worker.get(address).status_code == 404


@pytest.mark.parametrize(("url", "action"), PAGES)
def test_a_facilitator_taken_off_the_group_is_refused_at_once(
    app, make_group, make_user, url, action
):
    leader, other, successor, substitute = (make_user("facilitator") for _ in range(4))
    group = make_group(facilitators=(leader, other))
    _stand_in(group.active_sessions[4], substitute)
    db.session.commit()
    address = url.format(id=group.id)
    clients = [_signed_in(app, user) for user in (leader, other, substitute)]
    assert _views(clients[0], address) == {200}
    group.facilitator_a_id = successor.id
    db.session.commit()
    assert _views(clients[1], address) == _views(clients[2], address) == {200}
    assert clients[0].get(address).status_code == 404


@pytest.mark.parametrize(("url", "action"), PAGES)
def test_a_substitute_gets_in_while_she_stands_in_and_not_after(
    app, make_group, make_user, url, action
):
    group = make_group()
    first, second = make_user("facilitator"), make_user("facilitator")
    address = url.format(id=group.id)
    one, two = _signed_in(app, first), _signed_in(app, second)
    assert one.get(address).status_code == 404
    _stand_in(group.active_sessions[4], first)
    _stand_in(group.active_sessions[5], second)
    db.session.commit()
    assert _views(one, address) == {200}
    group.active_sessions[4].substitute_id = group.active_sessions[4].substitute_for_id = None
    db.session.commit()
    assert _views(two, address) == {200}
    assert one.get(address).status_code == 404


@pytest.mark.parametrize(("url", "action"), [p for p in PAGES if p[1]])
def test_a_woman_added_after_a_kept_view_is_shown_and_audited_at_once(
    login_as, make_group, make_participant, make_user, url, action
):
    group = make_group()
    make_participant(group, alias="Roos")
    client = login_as(make_user("coordinator"))
    address = url.format(id=group.id)
    client.get(address)
    client.get(address)
    newcomer = make_participant(group, alias="Iris")
    assert newcomer.code in client.get(address).get_data(as_text=True)
    assert _audited(newcomer.id, action) == 1


@pytest.mark.parametrize(("url", "action"), PAGES)
def test_each_group_has_facts_of_its_own(
    login_as, make_group, make_participant, make_user, url, action
):
    first, second = make_group(name="Groep Noord"), make_group(name="Groep Zuid")
    woman = make_participant(first)
    client = login_as(make_user("coordinator"))
    for _ in range(2):
        client.get(url.format(id=first.id))
    page = client.get(url.format(id=second.id)).get_data(as_text=True)
    assert "Groep Zuid" in page and "Groep Noord" not in page
    assert woman.code not in page
    if action:
        assert _audited(woman.id, action) == 2


def test_the_group_page_names_a_new_facilitator_and_place_at_once(
    login_as, make_group, make_location, make_user
):
    group = make_group()
    client = login_as(make_user("coordinator"))
    url = f"/groepen/{group.id}"
    client.get(url)
    assert group.facilitator_a.name in client.get(url).get_data(as_text=True)
    successor = make_user("facilitator", name="Hanneke Opvolger")
    elsewhere = make_location(name="Buurthuis De Linde", rooms=("Zaal Oost",))
    group.facilitator_a_id = successor.id
    group.location_id, group.room_id = elsewhere.id, elsewhere.rooms[0].id
    db.session.commit()
    facts = client.get(url).get_data(as_text=True).split('<dl class="facts">')[1]
    assert "Hanneke Opvolger" in facts and "Buurthuis De Linde, Zaal Oost" in facts


def test_the_grid_answers_a_head_request_as_its_page(login_as, make_group, make_user):
    group = make_group()
    client = login_as(make_user("coordinator"))
    assert client.head(f"/groepen/{group.id}/presentie").status_code == 200


def test_a_group_that_does_not_exist_is_not_found_on_every_page(login_as, make_user):
    client = login_as(make_user("coordinator"))
    for url, _action in PAGES:
        assert client.get(url.format(id=999_999)).status_code == 404
