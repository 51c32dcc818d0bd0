"""Keep apart, the remaining ways a meeting comes back or changes: undoing a cancellation,
a substitute on a meeting that already breaks a link, a link recorded after both groups were
planned, the children's programme, and what the planner's pages and calendars show."""

import re
import secrets
from datetime import date, time

import pytest
import sqlalchemy as sa

from tests.conftest import login
from tests.programmes.test_keep_apart import MESSAGE, pair  # noqa: F401 (fixture)
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group
from veiligthuis.models import DomainError
from veiligthuis.programmes import keep_apart
from veiligthuis.sessions import cancelling
from veiligthuis.sessions import service as sessions
from veiligthuis.sessions.models import GroupSession
from veiligthuis.settings import set_setting


def _fresh(group):
    return db.session.get(Group, group.id)


def test_undoing_a_cancellation_is_refused_when_a_partner_group_took_the_place(pair):  # noqa: F811
    women, men = _fresh(pair["women"]), _fresh(pair["men"])
    first = women.sessions[0]
    cancelling.cancel_session(db.session, women.facilitator_a, first, "ziek", confirm=True)
    db.session.commit()
    # with her meeting cancelled the men may meet that Monday at 12:00
    men = _fresh(men)
    sessions.move_session(
        db.session,
        men.facilitator_a,
        men.sessions[0],
        date(2026, 9, 7),
        time(12, 0),
        scope="one",
        confirm=True,
    )
    db.session.commit()
    first = db.session.get(GroupSession, first.id)
    with pytest.raises(DomainError) as refused:
        cancelling.restore_session(db.session, women.facilitator_a, first)
    assert str(refused.value) == MESSAGE
    db.session.rollback()
    assert db.session.get(GroupSession, first.id).is_cancelled


def test_a_substitute_on_a_meeting_that_breaks_a_link_is_refused(pair, make_user):  # noqa: F811
    men = _fresh(pair["men"])
    stand_in = make_user("facilitator")
    stand_in.programmes = [men.programme]
    db.session.commit()
    # two hours' margin: 12:30 and 15:00 are apart, a substitute is a plain change
    gs = men.sessions[1]
    assert (
        sessions.assign_substitute(
            db.session, men.facilitator_a, gs, stand_in, men.facilitator_a_id
        )
        == []
    )
    db.session.commit()
    # a wider margin makes the planned meetings break it: only moving away is left
    set_setting(db.session, "keep_apart_margin_minutes", 300)
    db.session.commit()
    gs = _fresh(men).sessions[2]
    with pytest.raises(DomainError) as refused:
        sessions.assign_substitute(
            db.session, men.facilitator_a, gs, stand_in, men.facilitator_a_id
        )
    assert str(refused.value) == MESSAGE
    db.session.rollback()
    assert db.session.get(GroupSession, gs.id).substitute_id is None
    gs = db.session.get(GroupSession, gs.id)
    sessions.move_session(
        db.session,
        men.facilitator_a,
        gs,
        date(2026, 9, 23),  # a Wednesday: the women do not meet
        time(15, 0),
        scope="one",
        confirm=True,
    )


def test_a_link_recorded_late_warns_the_coordinator_only(
    make_user, make_group, make_location, make_participant, men
):
    location = make_location(rooms=("Zaal 1", "Zaal 2"))
    women = make_group(location=location, participants=6)
    men_group = make_group(
        programme=men, location=location, room=location.rooms[1], start=time(13, 0)
    )
    man = make_participant(men_group, alias="Karel")
    coordinator = make_user("coordinator")
    db.session.commit()
    from flask import current_app

    web = current_app.test_client()
    login(web, coordinator)
    response = web.post(
        "/beheer/scheidingsafspraken",
        data={"code_a": women.participants[0].code, "code_b": man.code},
        follow_redirects=True,
    )
    body = response.get_data(as_text=True)
    assert "De scheidingsafspraak is vastgelegd." in body
    assert "komen nu al binnen de marge op dezelfde locatie samen" in body
    # the facilitators' pages show nothing of it
    other = current_app.test_client()
    login(other, men_group.facilitator_a)
    page = other.get(f"/groepen/{men_group.id}").get_data(as_text=True)
    assert "scheiding" not in page.lower() and "marge" not in page


def test_the_children_programme_is_kept_apart_too(
    make_user, make_group, make_location, make_participant, children
):
    location = make_location(rooms=("Zaal 1", "Zaal 2"))
    women = make_group(location=location, participants=6)
    kids = make_group(
        programme=children, location=location, room=location.rooms[1], start=time(16, 0)
    )
    child = make_participant(kids, alias="Kind A")
    keep_apart.create_link(db.session, make_user("coordinator"), women.participants[0], child)
    db.session.commit()
    kids = _fresh(kids)
    with pytest.raises(DomainError) as refused:
        sessions.move_session(
            db.session,
            kids.facilitator_a,
            kids.sessions[0],
            date(2026, 9, 7),
            time(13, 0),
            scope="one",
            confirm=True,
        )
    assert str(refused.value) == MESSAGE


def test_a_refused_move_page_and_the_calendars_name_no_one(pair, app):  # noqa: F811
    men = _fresh(pair["men"])
    facilitator = men.facilitator_a
    facilitator.feed_token = secrets.token_urlsafe(24)
    db.session.commit()
    client = app.test_client()
    login(client, facilitator)
    response = client.post(
        f"/groepen/{men.id}/bijeenkomsten/1/verplaatsen",
        data={
            "move-new_date": "2026-09-07",
            "move-new_time": "13:00",
            "move-scope": "one",
            "move-confirm": "y",
        },
    )
    body = response.get_data(as_text=True)
    assert MESSAGE in body
    women = _fresh(pair["women"])
    secrets_ = [
        pair["woman"].code,
        pair["woman"].alias,
        women.name,
        "10:00",
    ]
    assert [s for s in secrets_ if s in body] == []
    assert not re.search(rf"\b{re.escape(women.facilitator_a.name)}\b", body)
    assert db.session.get(GroupSession, men.sessions[0].id).start_dt == men.sessions[0].start_dt
    for url in (
        f"/groepen/{men.id}/rooster.ics",
        f"/groepen/{men.id}/deelnemersrooster.ics",
        f"/agenda/{facilitator.feed_token}.ics",
    ):
        calendar = client.get(url).get_data().decode("utf-8", "replace")
        assert "BEGIN:VCALENDAR" in calendar, url
        lowered = calendar.lower()
        assert "scheiding" not in lowered and "keep" not in lowered, url
        assert [s for s in secrets_[:3] if s in calendar] == [], url
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(GroupSession).where(GroupSession.group_id == men.id)
    )
    assert count == 10


def test_a_substitute_works_in_the_group_programme(pair, app):  # noqa: F811
    men, women = _fresh(pair["men"]), _fresh(pair["women"])
    # the women's facilitator who knows the woman may not stand in at the men's group
    with pytest.raises(DomainError, match="in het programma Mannengroep werken"):
        sessions.assign_substitute(
            db.session,
            men.facilitator_a,
            men.sessions[1],
            women.facilitator_a,
            men.facilitator_a_id,
        )
    db.session.rollback()
    client = app.test_client()
    login(client, men.facilitator_a)
    page = client.get(f"/groepen/{men.id}/bijeenkomsten/2/beheren").get_data(as_text=True)
    assert f'value="{women.facilitator_a_id}"' not in page.split('name="sub-substitute"')[1]
