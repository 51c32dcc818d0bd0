"""A facilitator's second absence mark and care signal reach the case worker, in a real browser."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from veiligthuis.extensions import db
from veiligthuis.sessions import service as sessions_service
from veiligthuis.support.models import Signal, SupportContact
from veiligthuis.support.service import today_local

pytestmark = pytest.mark.e2e


def test_absence_and_care_signal_reach_the_case_worker(
    page, make_user, make_group, make_participant
):
    mirjam = make_user("case_worker", name="Mirjam Kok")
    fatima, ingrid = (
        make_user("facilitator", name="Fatima"),
        make_user("facilitator", name="Ingrid"),
    )
    # Started two weeks ago (meetings 1 and 2 have started at any hour of the day): too soon
    # for a "no contact" signal, so only what we do here shows.
    group = make_group(
        facilitators=(fatima, ingrid), first_date=today_local() - timedelta(weeks=2), name="Linde"
    )
    amira = make_participant(group, case_worker=mirjam, alias="Amira")
    make_participant(group, case_worker=mirjam, alias="Bea")
    group.status = "running"
    first, second = group.active_sessions[:2]
    # She let the group know she could not come to the first meeting.
    sessions_service.record_attendance(db.session, fatima, group, {(amira.id, first.id): "excused"})
    db.session.commit()

    log_in(page, fatima, PASSWORD)
    page.goto(f"/groepen/{group.id}/presentie")
    page.get_by_label("Amira, bijeenkomst 2", exact=True).select_option("excused")
    page.get_by_role("button", name="Presentie opslaan").click()
    assert page.get_by_text("Presentie opgeslagen (1 wijziging)").is_visible()

    page.goto(f"/groepen/{group.id}/bijeenkomsten/2/beheren")
    care = page.locator("#zorgsignaal")
    care.get_by_label("Over deelnemer").select_option(label=f"Amira ({amira.code})")
    care.get_by_label("Categorie").select_option(label="zorg over veiligheid")
    care.get_by_label("Wie is al geïnformeerd?").fill("collega-begeleider")
    care.get_by_label("Korte feitelijke omschrijving").fill(
        "Belde tijdens de bijeenkomst; zei dat ze vannacht bij een vriendin sliep."
    )
    care.get_by_role("button", name="Zorgsignaal doorgeven").click()
    assert page.get_by_text(
        "Zorgsignaal over Amira doorgegeven aan haar hulpverlener."
    ).is_visible()
    # The facilitator sees that it went out, not what the case worker does with it.
    assert page.locator(".care-signals").get_by_text("zorg over veiligheid").is_visible()
    page.get_by_role("button", name="Uitloggen").click()

    log_in(page, mirjam, PASSWORD)
    assert page.locator(".card", has_text="Open signalen").inner_text().startswith("2")
    page.locator(".card", has_text="Open signalen").click()
    page.wait_for_url("**/ondersteuning")
    assert page.get_by_text("0800-2000").first.is_visible()
    rows = page.locator("table.signals tbody tr")
    assert rows.count() == 2
    absence = rows.filter(has_text="achter elkaar afwezig")
    care_row = rows.filter(has_text="zorgsignaal van de begeleiding")
    assert "bijeenkomsten 1 en 2" in absence.inner_text()
    assert "zorg over veiligheid" in care_row.inner_text()
    assert "Amira" in absence.inner_text() and "Amira" in care_row.inner_text()

    absence.get_by_role("button", name="Gezien").click()
    assert page.get_by_text("Signaal gemarkeerd als gezien.").is_visible()
    assert "gezien" in rows.filter(has_text="achter elkaar afwezig").inner_text()
    assert "nieuw" in rows.filter(has_text="zorgsignaal van de begeleiding").inner_text()

    page.locator("table.clients").get_by_role("link", name="Amira").click()
    page.wait_for_url(re.compile(rf"/ondersteuning/deelnemers/{amira.id}$"))
    assert page.get_by_text("Belde tijdens de bijeenkomst").is_visible()
    page.get_by_label("Soort contact").select_option(label="telefonisch")
    page.get_by_label("Duur in minuten").fill("20")
    page.get_by_label("Korte notitie").fill("Gebeld na het zorgsignaal; zij is voorlopig veilig.")
    page.get_by_role("button", name="Contact vastleggen").click()
    assert page.get_by_text("Contact vastgelegd.").is_visible()
    assert page.locator("table.contacts").get_by_text("voorlopig veilig").is_visible()

    db.session.expire_all()
    statuses = dict(db.session.execute(sa.select(Signal.kind, Signal.status)).all())
    assert statuses == {"consecutive_absence": "acknowledged", "care": "open"}
    contact = db.session.scalars(sa.select(SupportContact)).one()
    assert (contact.kind, contact.minutes, contact.case_worker_id) == ("phone", 20, mirjam.id)
    assert contact.contact_date == today_local()
