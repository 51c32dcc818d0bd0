"""The demo shows the parallel offer at once: a men's and a children's group in the weeks of
the running women's group, their own staff, and one keep-apart pair."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from veiligthuis.demo import seed
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group
from veiligthuis.programmes.models import KeepApart, Programme
from veiligthuis.sessions.schedule import to_local, today_local


def _weeks(group):
    return [to_local(gs.start_dt).isocalendar()[:2] for gs in group.active_sessions]


def test_demo_has_an_aligned_parallel_offer(app_ctx):
    assert seed(db.session, today_local()) is True
    db.session.commit()
    kinds = set(db.session.scalars(sa.select(Programme.kind)))
    assert kinds == {"women", "men", "children"}
    groups = {g.name: g for g in db.session.scalars(sa.select(Group))}
    women, men, children = groups["Linde najaar"], groups["Wissel mannen"], groups["Linde kinderen"]
    assert (len(men.sessions), len(children.sessions)) == (10, 8)
    # each meeting falls in the week of the women's meeting on the same theme, in order
    for group in (men, children):
        plans = group.methodiek_version.sessions
        assert len(plans) == len(group.sessions)
        assert all(p.aligned_with for p in plans)
        assert _weeks(group) == [_weeks(women)[p.aligned_with - 1] for p in plans]
    assert (
        men.methodiek_version.question_set("sessie").data
        != children.methodiek_version.question_set("sessie").data
    )
    assert men.status == children.status == "running"
    assert {u.email for u in men.facilitators}.isdisjoint({u.email for u in women.facilitators})
    link = db.session.scalars(sa.select(KeepApart)).one()
    assert {link.participant_a_id, link.participant_b_id} == {
        women.participants[0].id,
        men.participants[0].id,
    }


@pytest.mark.parametrize(
    "day",
    # the demo's men's group once met in another region than the women's group it is aligned
    # with: on these days a shared week fell in that region's summer holiday, and it refused
    [date(2026, 6, 1), date(2027, 5, 27), date(2027, 7, 23), date(2027, 8, 17), date(2027, 1, 4)],
)
def test_the_demo_loads_on_any_day_of_the_year(app_ctx, day):
    with time_machine.travel(datetime.combine(day, time(10), tzinfo=ZoneInfo("Europe/Amsterdam"))):
        assert seed(db.session, day) is True
        db.session.commit()
    groups = {g.name: g for g in db.session.scalars(sa.select(Group))}
    women, men = groups["Linde najaar"], groups["Wissel mannen"]
    assert men.location.region == women.location.region
    assert men.location_id != women.location_id  # the men meet elsewhere
