"""A group follows its programme: its number of meetings, their length, its group size."""

from datetime import date, time, timedelta

import pytest

from veiligthuis.extensions import db
from veiligthuis.groups import service
from veiligthuis.models import DomainError
from veiligthuis.sessions import cancelling
from veiligthuis.sessions import service as sessions


def _minutes(gs):
    return (gs.end_dt - gs.start_dt) // timedelta(minutes=1)


def test_a_men_group_gets_its_programme_meetings(make_group, men):
    group = make_group(programme=men, start=time(19, 0))
    assert group.programme_id == men.id
    assert len(group.sessions) == 10
    assert {_minutes(gs) for gs in group.sessions} == {120}


def test_the_women_group_keeps_twelve_of_150_minutes(make_group, men):
    group = make_group()
    assert group.programme.is_default
    assert len(group.sessions) == 12
    assert {_minutes(gs) for gs in group.sessions} == {150}


def test_moves_and_replacements_keep_the_programme_length(make_group, men):
    group = make_group(programme=men, start=time(19, 0), first_date=date(2026, 9, 7))
    actor = group.facilitator_a
    first = group.sessions[0]
    sessions.move_session(
        db.session, actor, first, date(2026, 9, 8), time(18, 30), scope="one", confirm=True
    )
    assert _minutes(first) == 120
    replacement = cancelling.cancel_session(
        db.session, actor, group.sessions[2], "ziek", confirm=True
    )
    assert _minutes(replacement) == 120
    assert len(group.active_sessions) == 10


def test_group_size_follows_the_programme(make_group, men):
    group = make_group(programme=men, participants=5)
    service.start_group(db.session, group.facilitator_a, group)  # five is enough for men
    for _ in range(3):
        service.add_participant(
            db.session,
            group.facilitator_a,
            group,
            service.ParticipantData(alias="Man", status="active"),
        )
    with pytest.raises(DomainError, match="al 8 actieve deelnemers"):
        service.add_participant(
            db.session,
            group.facilitator_a,
            group,
            service.ParticipantData(alias="Man", status="active"),
        )


def test_the_women_group_still_needs_six_to_start(make_group):
    group = make_group(participants=5)
    with pytest.raises(DomainError, match="minstens 6 actieve deelnemers"):
        service.start_group(db.session, group.facilitator_a, group)
