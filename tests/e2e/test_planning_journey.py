"""A coordinator plans a group in a real browser: preview, skipped holiday, participants, attendance."""

import re

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from veiligthuis.extensions import db
from veiligthuis.sessions.models import Attendance

pytestmark = pytest.mark.e2e


def test_plan_a_group_add_six_and_mark_attendance(page, make_user, make_location):
    coordinator = make_user("coordinator", name="Carla")
    make_user("facilitator", name="Fatima")
    make_user("facilitator", name="Ingrid")
    make_location(name="De Linde", region="midden", rooms=("Zaal 1",))

    log_in(page, coordinator, PASSWORD)
    page.get_by_role("link", name="Groepen").first.click()
    page.get_by_role("link", name="Nieuwe groep").click()
    page.get_by_label("Interne naam").fill("Linde voorjaar")
    assert page.get_by_label("Titel voor deelnemers").input_value() == "Vrouwengroep"
    page.get_by_label("Dag van de week").select_option(label="maandag")
    page.get_by_label("Begintijd").fill("10:00")
    page.get_by_label("Eerste datum").fill("2026-04-20")
    page.get_by_label("Begeleider 1").select_option(label="Fatima")
    page.get_by_label("Begeleider 2").select_option(label="Ingrid")
    page.get_by_role("button", name="Rooster bekijken").click()

    skipped = page.locator("tr.skipped", has_text="Koningsdag")
    assert skipped.count() == 1
    assert "27 april 2026" in skipped.inner_text()
    assert page.locator("table.schedule tbody tr:not(.skipped)").count() == 12
    page.get_by_role("button", name="Groep opslaan").click()
    page.wait_for_url(re.compile(r"/groepen/\d+$"))
    assert page.get_by_text("opgeslagen met twaalf bijeenkomsten").is_visible()

    page.get_by_role("link", name="Deelnemers").first.click()
    for alias in ["Amira", "Bea", "Cora", "Dilek", "Esther", "Fenna"]:
        page.get_by_role("link", name="Deelnemer toevoegen").click()
        page.get_by_label("Voornaam of alias").fill(alias)
        page.get_by_label("Status").select_option("active")
        page.get_by_label("Veilige manier van contact").select_option("phone")
        page.get_by_role("button", name="Opslaan").click()
        assert page.get_by_text(f"Deelnemer {alias}").is_visible()
    assert page.get_by_text("6 van 12 plaatsen bezet").is_visible()

    page.get_by_role("link", name="Presentie").first.click()
    page.get_by_label("Amira, bijeenkomst 1", exact=True).select_option("present")
    page.get_by_label("Bea, bijeenkomst 1", exact=True).select_option("excused")
    page.get_by_label("Cora, bijeenkomst 1", exact=True).select_option("absent")
    page.get_by_role("button", name="Presentie opslaan").click()
    assert page.get_by_text("Presentie opgeslagen (3 wijzigingen)").is_visible()
    assert page.get_by_label("Amira, bijeenkomst 1", exact=True).input_value() == "present"

    statuses = sorted(db.session.scalars(sa.select(Attendance.status)).all())
    assert statuses == ["absent", "excused", "present"]
