"""A partner refers a woman, the coordinator puts her on a group's waiting list and schedules
childcare; the volunteer logs in and sees her childcare shift and nothing else."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from veiligthuis.extensions import db
from veiligthuis.groups.models import Participant
from veiligthuis.partners import service as partners_service
from veiligthuis.partners.models import PartnerKind
from veiligthuis.sessions.schedule import today_local
from veiligthuis.volunteers import service as volunteers_service
from veiligthuis.volunteers.models import Task

pytestmark = pytest.mark.e2e


def test_referral_to_waiting_list_and_a_volunteer_sees_only_her_shift(
    page, make_user, make_group, make_participant
):
    coordinator = make_user("coordinator", name="Carla Coördinator")
    group = make_group(first_date=today_local() + timedelta(days=14), name="Groep Linde")
    amira = make_participant(group, alias="Amira")
    volunteers_service.set_childcare_need(db.session, coordinator, amira, {"2_3": 1, "4_7": 2})
    partner = partners_service.save_partner(
        db.session, coordinator, None, name="Woonstede", kind=PartnerKind.HOUSING
    )
    token = partners_service.new_referral_address(db.session, coordinator, partner)
    vera = make_user("volunteer", name="Vera Vrijwilliger")
    volunteers_service.save_volunteer(
        db.session,
        coordinator,
        None,
        user_id=vera.id,
        has_training=True,
        vog_seen_date=today_local(),
        tasks=[Task.CHILDCARE],
    )
    db.session.commit()

    # The partner's desk: no account, a neutral form.
    page.goto(f"/verwijzen/{token}")
    assert page.title() == "Aanmelding"
    assert page.locator("a").count() == 0
    page.get_by_label("Voornaam of roepnaam").fill("Samira")
    page.get_by_label("bellen").check()
    page.get_by_label("Telefoonnummer of e-mailadres").fill("0612345678")
    page.get_by_label("Wanneer is contact veilig?").fill("dinsdag tussen 10 en 12")
    page.get_by_label("Er is een tolk nodig").check()
    page.get_by_role("button", name="Aanmelding versturen").click()
    assert page.get_by_text("zonder haar toestemming nemen wij geen contact op").first.is_visible()
    assert page.get_by_label("Voornaam of roepnaam").input_value() == "Samira"
    page.get_by_label("Zij weet van deze aanmelding en stemt ermee in").check()
    page.get_by_role("button", name="Aanmelding versturen").click()
    assert page.get_by_role("heading", name="Aanmelding ontvangen").is_visible()
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{4}", reference)
    assert "Samira" not in page.content()

    # The coordinator sees it on her dashboard and puts her on the group's waiting list.
    log_in(page, coordinator, PASSWORD)
    card = page.locator(".card", has_text="Nieuwe aanmeldingen")
    assert card.inner_text().startswith("1")
    card.click()
    page.wait_for_url("**/aanmeldingen")
    page.get_by_role("link", name=reference).click()
    assert page.get_by_text("0612345678").is_visible()
    page.get_by_label("Groep").select_option(label="Groep Linde")
    page.get_by_label("Als").select_option(label="wachtlijst")
    page.get_by_role("button", name="Deelnemer maken").click()
    assert page.get_by_text("Samira is deelnemer").is_visible()

    # She schedules Vera for childcare at the first meeting, where Amira's children come.
    page.goto("/vrijwilligers/rooster")
    page.locator("table.meeting-needs tbody tr").first.get_by_role("link").click()
    assert page.get_by_text("3 kinderen: 1 × 2–3 jaar, 2 × 4–7 jaar").is_visible()
    page.get_by_label("Vrijwilliger").select_option(label="Vera Vrijwilliger")
    page.get_by_label("Taak").select_option(label="kinderopvang")
    page.get_by_role("button", name="Inplannen").click()
    assert page.get_by_text("Vera Vrijwilliger ingepland voor kinderopvang.").is_visible()
    page.get_by_role("button", name="Uitloggen").click()

    # Vera sees her childcare shift and nothing about the women.
    log_in(page, vera, PASSWORD)
    assert page.get_by_text("Uw volgende diensten").is_visible()
    page.get_by_role("link", name="Mijn diensten").first.click()
    page.wait_for_url("**/mijn-diensten")
    rows = page.locator("table.my-shifts tbody tr")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert "kinderopvang" in row and "3 kinderen" in row and "Zaal 1" in row
    menu = page.locator("nav[aria-label=Hoofdmenu]").inner_text()
    assert menu.split() == ["Mijn", "diensten"]
    for word in ("Amira", "Samira", amira.code, "Groep Linde", "0612345678"):
        assert word not in page.content()
    for url in ("/groepen", f"/groepen/{group.id}", "/aanmeldingen", "/vrijwilligers/rooster"):
        assert page.goto(url).status in (403, 404)

    db.session.expire_all()
    samira = db.session.scalars(sa.select(Participant).where(Participant.alias == "Samira")).one()
    assert (samira.status, samira.group_id) == ("waiting", group.id)
