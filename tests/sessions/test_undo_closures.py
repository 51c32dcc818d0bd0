"""Issue 13: a deleted closure period or leave (both weigh in the planning) can be put back, audited."""

import re
from datetime import date

import sqlalchemy as sa

from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.sessions.models import ClosurePeriod


def test_a_deleted_closure_period_can_be_put_back(app, login_as, make_user, make_location):
    location = make_location(name="De Linde")
    closure = ClosurePeriod(
        start_date=date(2026, 12, 21),
        end_date=date(2027, 1, 1),
        reason="Kerstsluiting",
        location_id=location.id,
    )
    db.session.add(closure)
    db.session.commit()
    client = login_as(make_user("coordinator"))
    client.post(f"/beheer/sluitingen/{closure.id}/verwijderen", data={"confirm": "y"})
    assert db.session.scalars(sa.select(ClosurePeriod)).all() == []
    page = client.get("/beheer/sluitingen").get_data(as_text=True)
    assert "Zojuist verwijderd" in page and "Kerstsluiting" in page
    (url,) = re.findall(r'action="([^"]*/terugzetten/[^"]+)"', page)
    page = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Sluitingsperiode teruggezet" in page and "Zojuist verwijderd" not in page
    back = db.session.scalars(sa.select(ClosurePeriod)).one()
    assert (back.start_date, back.end_date, back.reason, back.location_id) == (
        date(2026, 12, 21),
        date(2027, 1, 1),
        "Kerstsluiting",
        location.id,
    )
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert actions == ["closure_delete", "closure_restore"]
    assert "kan niet meer ongedaan" in client.post(url, follow_redirects=True).get_data(
        as_text=True
    )
    # a facilitator may not
    from tests.conftest import login

    facilitator = app.test_client()
    login(facilitator, make_user("facilitator"))
    assert facilitator.post(url).status_code == 403


def test_deleted_leave_can_be_put_back_and_counts_in_conflicts_again(app, login_as, make_user):
    from veiligthuis.auth.models import Leave

    coordinator = make_user("coordinator")
    nina = make_user("facilitator", name="Nina")
    leave = Leave(
        user_id=nina.id, start_date=date(2026, 10, 1), end_date=date(2026, 10, 14), reason="Vrij"
    )
    db.session.add(leave)
    db.session.commit()
    client = login_as(coordinator)
    client.post(f"/beheer/verlof/{leave.id}/verwijderen", data={"confirm": "y"})
    assert db.session.scalars(sa.select(Leave)).all() == []
    page = client.get(f"/beheer/medewerkers/{nina.id}").get_data(as_text=True)
    assert "Zojuist verwijderd" in page
    (url,) = re.findall(r'action="([^"]*/terugzetten/[^"]+)"', page)
    assert "Verlof teruggezet" in client.post(url, follow_redirects=True).get_data(as_text=True)
    back = db.session.scalars(sa.select(Leave)).one()
    assert (back.user_id, back.start_date, back.end_date, back.reason) == (
        nina.id,
        date(2026, 10, 1),
        date(2026, 10, 14),
        "Vrij",
    )
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "leave_delete" in actions and "leave_restore" in actions
