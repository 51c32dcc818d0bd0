"""Keep apart: a woman and her (ex-)partner in the men's group are never at one location within
the margin. Every change of a saved group is refused, whatever the planner ticks, and the
reason names no one."""

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from tests.conftest import login
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.groups import replanning, service
from veiligthuis.groups.models import Group
from veiligthuis.models import DomainError
from veiligthuis.programmes import keep_apart
from veiligthuis.programmes.models import KeepApart
from veiligthuis.sessions import cancelling
from veiligthuis.sessions import service as sessions
from veiligthuis.settings import set_setting

MESSAGE = "Conflict met een scheidingsafspraak: vraag de coördinator."


@pytest.fixture
def pair(make_user, make_group, make_location, make_participant, men):
    location = make_location(rooms=("Zaal 1", "Zaal 2"))
    # women Monday 10:00-12:30; men Monday 15:00-17:00, past the two hours' margin
    women = make_group(location=location, participants=6)
    men_group = make_group(
        programme=men, location=location, room=location.rooms[1], start=time(15, 0)
    )
    woman = make_participant(women, alias="Fatma")
    man = make_participant(men_group, alias="Karel")
    coordinator = make_user("coordinator")
    keep_apart.create_link(db.session, coordinator, woman, man)
    db.session.commit()
    return {
        "women": women,
        "men": men_group,
        "coordinator": coordinator,
        "woman": woman,
        "man": man,
    }


def test_a_move_into_the_margin_is_refused_even_when_confirmed(pair):
    group = pair["men"]
    first = group.sessions[0]
    with pytest.raises(DomainError) as refused:
        sessions.move_session(
            db.session,
            group.facilitator_a,
            first,
            date(2026, 9, 7),
            time(14, 0),
            scope="one",
            confirm=True,
        )
    assert str(refused.value) == MESSAGE
    db.session.rollback()
    # outside the margin (12:30 + 2 hours) it is fine
    first = db.session.get(type(first), first.id)
    sessions.move_session(
        db.session,
        group.facilitator_a,
        first,
        date(2026, 9, 7),
        time(14, 45),
        scope="one",
        confirm=True,
    )


def test_the_women_side_is_refused_too(pair):
    group = pair["women"]
    with pytest.raises(DomainError, match=MESSAGE):
        sessions.move_session(
            db.session,
            group.facilitator_a,
            group.sessions[0],
            date(2026, 9, 7),
            time(13, 0),
            scope="one",
            confirm=True,
        )


def test_a_replacement_within_the_margin_is_refused(pair):
    # the margin is the organisation's setting: three hours reach the men's 15:00 meetings
    set_setting(db.session, "keep_apart_margin_minutes", 180)
    db.session.commit()
    women = db.session.get(Group, pair["women"].id)
    men_group = db.session.get(Group, pair["men"].id)
    # ten men's meetings, twelve women's on the same Mondays: the replacement lands on a
    # Monday the women still meet
    assert max(gs.start_dt for gs in men_group.sessions) < max(gs.start_dt for gs in women.sessions)
    with pytest.raises(DomainError, match=MESSAGE):
        cancelling.cancel_session(
            db.session, men_group.facilitator_a, men_group.sessions[0], "ziek", confirm=True
        )


def test_a_replan_into_the_margin_is_refused_even_when_accepted(pair):
    group = pair["men"]
    data = replanning.data_of(group, datetime(2026, 8, 1, tzinfo=UTC))
    data.start_time = time(13, 0)
    with pytest.raises(DomainError, match=MESSAGE):
        replanning.replan_group(
            db.session,
            group.facilitator_a,
            group,
            data,
            now=datetime(2026, 8, 1, tzinfo=UTC),
            accept_conflicts=True,
        )
    db.session.rollback()
    group = db.session.get(Group, group.id)
    data = replanning.data_of(group, datetime(2026, 8, 1, tzinfo=UTC))
    data.weekday, data.first_date = 2, date(2026, 9, 9)  # Wednesdays: no women's meeting
    replanning.replan_group(
        db.session,
        group.facilitator_a,
        group,
        data,
        now=datetime(2026, 8, 1, tzinfo=UTC),
        accept_conflicts=True,
    )


def test_a_new_group_is_planned_freely_and_learns_nothing(pair, make_group, men):
    # a new group has nobody in it yet: no link can bind it, and its preview mentions none
    group = make_group(programme=men, location=pair["women"].location, start=time(12, 0))
    assert len(group.sessions) == 10


def test_links_are_audited_and_go_with_the_retention_purge(pair):
    entries = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "keep_apart_create")
    ).all()
    assert sorted(e.participant_code for e in entries) == sorted(
        [pair["woman"].code, pair["man"].code]
    )
    keep_apart.list_links(db.session, pair["coordinator"])
    seen = db.session.scalars(
        sa.select(AuditEntry.participant_code).where(AuditEntry.action == "keep_apart_view")
    ).all()
    assert sorted(seen) == sorted([pair["woman"].code, pair["man"].code])
    women = db.session.get(Group, pair["women"].id)
    women.status = "completed"
    db.session.flush()
    service.anonymise_expired(db.session, date(2030, 1, 1), 24)
    assert db.session.scalars(sa.select(KeepApart)).all() == []


def test_a_link_joins_two_programmes(pair, make_participant):
    other = make_participant(pair["women"])
    with pytest.raises(DomainError, match="verschillende programma"):
        keep_apart.create_link(db.session, pair["coordinator"], pair["woman"], other)


def test_only_the_coordinator_sees_and_changes_links(pair, login_as, app):
    women = db.session.get(Group, pair["women"].id)
    facilitator = login_as(women.facilitator_a)
    assert facilitator.get("/beheer/scheidingsafspraken").status_code == 403
    link = db.session.scalars(sa.select(KeepApart)).one()
    url = f"/beheer/scheidingsafspraken/{link.id}/verwijderen"
    assert facilitator.post(url, data={"confirm": "y"}).status_code == 403
    client = app.test_client()
    login(client, pair["coordinator"])
    page = client.get("/beheer/scheidingsafspraken").get_data(as_text=True)
    assert pair["woman"].code in page and pair["man"].code in page
    assert client.post(url, data={}).status_code == 302
    assert db.session.scalars(sa.select(KeepApart)).all() != []
    assert client.post(url, data={"confirm": "y"}).status_code == 302
    assert db.session.scalars(sa.select(KeepApart)).all() == []
    deleted = db.session.scalars(
        sa.select(AuditEntry.participant_code).where(AuditEntry.action == "keep_apart_delete")
    ).all()
    assert sorted(deleted) == sorted([pair["woman"].code, pair["man"].code])
    response = client.post(
        "/beheer/scheidingsafspraken", data={"code_a": pair["woman"].code, "code_b": "ONBEKEND"}
    )
    assert response.status_code == 200
    assert "Er is geen deelnemer met deze code." in response.get_data(as_text=True)
    response = client.post(
        "/beheer/scheidingsafspraken",
        data={"code_a": pair["woman"].code, "code_b": pair["man"].code},
    )
    assert response.status_code == 302
    assert len(db.session.scalars(sa.select(KeepApart)).all()) == 1


def test_the_facilitator_page_and_calendar_say_nothing_of_it(pair, login_as):
    men = db.session.get(Group, pair["men"].id)
    client = login_as(men.facilitator_a)
    pages = [f"/groepen/{men.id}", f"/groepen/{men.id}/rooster.ics"]
    for page in pages:
        body = client.get(page).get_data().decode("utf-8", "replace").lower()
        assert "scheiding" not in body and pair["woman"].code.lower() not in body
