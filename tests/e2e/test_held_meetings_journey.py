"""Issue 13 in a real browser: after a running group gets a new facilitator and room, a held
meeting still shows who led it and where; a deleted contact and a deleted closure period are
put back with one button."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group
from veiligthuis.models import utcnow
from veiligthuis.sessions.models import ClosurePeriod
from veiligthuis.sessions.schedule import ensure_aware_utc, today_local
from veiligthuis.settings import set_setting
from veiligthuis.support import service as support_service
from veiligthuis.support.models import SupportContact

pytestmark = pytest.mark.e2e


def test_a_held_meeting_keeps_its_facilitator_and_room_after_a_change(
    page, make_user, make_group, make_location
):
    set_setting(db.session, "skip_school_holidays", False)  # week one is three weeks ago
    location = make_location(name="De Linde", rooms=("Zaal Oud", "Zaal Nieuw"))
    rooms = {r.name: r for r in location.rooms}
    group = make_group(
        facilitators=(
            make_user("facilitator", name="Fatima"),
            make_user("facilitator", name="Olga"),
        ),
        location=location,
        room=rooms["Zaal Oud"],
        name="Linde",
        first_date=today_local() - timedelta(weeks=3),
    )
    group.status = "running"
    db.session.commit()
    make_user("facilitator", name="Nadia")
    coordinator = make_user("coordinator", name="Carla")

    log_in(page, coordinator, PASSWORD)
    page.goto(f"/groepen/{group.id}/planning")
    page.get_by_label("Begeleider 2").select_option(label="Nadia")
    page.get_by_label("Ruimte").select_option(label="De Linde – Zaal Nieuw")
    page.get_by_label("Nieuwe planning vanaf").fill((today_local() + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Nieuwe planning bekijken").click()
    page.get_by_role("button", name="Planning opslaan").click()
    page.wait_for_url(re.compile(rf"/groepen/{group.id}$"))

    db.session.expire_all()
    group = db.session.get(Group, group.id)
    now = utcnow()
    held = [s for s in group.active_sessions if ensure_aware_utc(s.start_dt) <= now]
    coming = [s for s in group.active_sessions if ensure_aware_utc(s.start_dt) > now]
    assert held and coming
    page.goto(f"/groepen/{group.id}/bijeenkomsten/{held[0].number}")
    facts = page.locator("dl.facts").inner_text()
    assert "Fatima en Olga" in facts and "Zaal Oud" in facts
    page.goto(f"/groepen/{group.id}/bijeenkomsten/{coming[0].number}")
    facts = page.locator("dl.facts").inner_text()
    assert "Fatima en Nadia" in facts and "Zaal Nieuw" in facts


def test_put_back_a_deleted_contact_and_a_deleted_closure(
    page, make_user, make_group, make_participant
):
    mirjam = make_user("case_worker", name="Mirjam")
    group = make_group(first_date=today_local() - timedelta(weeks=1))
    amira = make_participant(group, case_worker=mirjam, alias="Amira")
    support_service.log_contact(
        db.session,
        mirjam,
        amira,
        contact_date=today_local(),
        kind="phone",
        minutes=15,
        note="Gebeld over de opvang.",
    )
    db.session.commit()

    log_in(page, mirjam, PASSWORD)
    page.goto(f"/ondersteuning/deelnemers/{amira.id}")
    page.get_by_role("link", name="corrigeren").click()
    page.get_by_label("Ja, verwijder dit").check()
    page.get_by_role("button", name="Verwijderen").click()
    assert page.get_by_text("Contact verwijderd.").is_visible()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SupportContact)) == 0
    page.get_by_role("button", name="Ongedaan maken").click()
    assert page.get_by_text("is teruggezet").is_visible()
    assert page.get_by_text("Gebeld over de opvang.").is_visible()
    assert page.get_by_role("button", name="Ongedaan maken").count() == 0
    page.get_by_role("button", name="Uitloggen").click()

    closure = ClosurePeriod(
        start_date=today_local() + timedelta(days=30),
        end_date=today_local() + timedelta(days=31),
        reason="Verbouwing",
    )
    db.session.add(closure)
    db.session.commit()
    log_in(page, make_user("coordinator"), PASSWORD)
    page.goto("/beheer/sluitingen")
    row = page.locator("tr", has_text="Verbouwing")
    row.get_by_label("zeker").check()
    row.get_by_role("button", name="verwijderen").click()
    assert page.get_by_text("Sluitingsperiode verwijderd").is_visible()
    page.get_by_role("button", name="Ongedaan maken").click()
    assert page.get_by_text("Sluitingsperiode teruggezet").is_visible()
    assert page.locator("tr", has_text="Verbouwing").count() == 1
