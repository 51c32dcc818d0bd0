"""A parallel group planned "aligned with" a women's group: its meetings fall in the same
weeks, on its own day and time, never at her place and hour."""

from datetime import time

import pytest

from veiligthuis.extensions import db
from veiligthuis.groups import service
from veiligthuis.models import DomainError
from veiligthuis.sessions.schedule import to_local


def _data(group, location, a, b, men, **changes):
    values = dict(
        name="Mannen parallel",
        public_title="Groep",
        location_id=location.id,
        room_id=location.rooms[0].id,
        weekday=3,
        start_time=time(19, 0),
        first_date=group.first_date,
        facilitator_a_id=a.id,
        facilitator_b_id=b.id,
        programme_id=men.id,
        aligned_with_id=group.id,
    )
    values.update(changes)
    return service.GroupData(**values)


@pytest.fixture
def staff(make_user, men):
    a, b = make_user("facilitator"), make_user("facilitator")
    a.programmes, b.programmes = [men], [men]
    db.session.commit()
    return a, b


def test_preview_follows_the_women_weeks(make_group, make_location, staff, men):
    women = make_group()
    other = make_location()
    preview = service.preview_group(db.session, _data(women, other, *staff, men))
    weeks = [to_local(gs.start_dt).isocalendar()[:2] for gs in women.active_sessions]
    assert [p.start_dt.isocalendar()[:2] for p in preview.sessions] == weeks[:10]
    assert {to_local(p.start_dt).weekday() for p in preview.sessions} == {3}
    assert {to_local(p.start_dt).time() for p in preview.sessions} == {time(19, 0)}


def test_same_place_and_hour_is_refused(make_group, staff, men):
    women = make_group()
    same = _data(women, women.location, *staff, men, weekday=women.weekday, start_time=time(11, 0))
    same.room_id = women.location.rooms[0].id
    with pytest.raises(DomainError, match="andere tijd of plaats"):
        service.preview_group(db.session, same)


def test_only_a_coordinator_is_offered_groups_to_align_with(login_as, make_user, make_group):
    women = make_group(name="Vrouwen Noord")
    facilitator_page = login_as(women.facilitator_a).get("/groepen/nieuw").get_data(as_text=True)
    assert "Afstemmen op groep" not in facilitator_page


def test_meetings_on_a_shared_theme_fall_in_one_week(make_group, make_location, staff, men):
    from veiligthuis.methodiek.cli import PROGRAMME_DIRS
    from veiligthuis.methodiek.loader import read_folder
    from veiligthuis.methodiek.service import import_content

    book = import_content(db.session, read_folder(PROGRAMME_DIRS["men"])[0], programme=men)
    women = make_group()
    preview = service.preview_group(db.session, _data(women, make_location(), *staff, men))
    weeks = [to_local(gs.start_dt).isocalendar()[:2] for gs in women.active_sessions]
    ours = [to_local(p.start_dt).isocalendar()[:2] for p in preview.sessions]
    # the book: men's 6 shares women's 7 (grenzen), 9 shares 11, 10 shares 12 (afscheid)
    assert book.session(6).aligned_with == 7 and book.session(9).aligned_with == 11
    assert ours[5] == weeks[6] and ours[8] == weeks[10] and ours[9] == weeks[11]
    assert ours == [weeks[book.session(n).aligned_with - 1] for n in range(1, 11)]
    assert ours != weeks[:10]


def test_anchors_follow_on_and_are_refused_when_out_of_order():
    from veiligthuis.sessions.planning import aligned_weeks

    assert aligned_weeks(5, {2: 4, 5: 12}, 12) == [0, 3, 4, 5, 11]
    assert aligned_weeks(3, {}, 12) == [0, 1, 2]
    with pytest.raises(DomainError, match="die week is al gebruikt"):
        aligned_weeks(3, {2: 4, 3: 3}, 12)
    with pytest.raises(DomainError, match="te weinig bijeenkomsten"):
        aligned_weeks(10, {}, 9)
