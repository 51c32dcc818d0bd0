"""The parallel offer in a real browser: a coordinator defines a men's programme and gives a
new colleague a place in it, plans a men's group aligned with a running women's group (meetings
on a shared theme in one week), and a facilitator meets a keep-apart refusal that names no one."""

import re
from datetime import time

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.programmes.conftest import add_programme
from veiligthuis.auth.models import User
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group
from veiligthuis.methodiek.cli import PROGRAMME_DIRS
from veiligthuis.methodiek.loader import read_folder
from veiligthuis.methodiek.service import import_content
from veiligthuis.programmes import keep_apart
from veiligthuis.sessions.schedule import to_local

pytestmark = pytest.mark.e2e


def _men():
    return add_programme("Mannengroep", "men", 10, 120, 5, 10)


def test_a_coordinator_defines_a_programme_and_staffs_it(page, make_user):
    coordinator = make_user("coordinator", name="Carla")
    make_user("facilitator", name="Johan")
    log_in(page, coordinator, PASSWORD)
    page.get_by_role("link", name="Beheer").click()
    page.get_by_role("link", name="Programma's en hun medewerkers").click()
    page.get_by_role("link", name="Nieuw programma").click()
    page.get_by_label("Naam").fill("Mannengroep")
    page.get_by_label("Voor wie").select_option(label="mannengroep")
    page.get_by_label("Aantal bijeenkomsten").fill("10")
    page.get_by_label("Duur van een bijeenkomst (minuten)").fill("120")
    page.get_by_label("Minimaal aantal deelnemers").fill("5")
    page.get_by_label("Maximaal aantal deelnemers").fill("10")
    page.get_by_label("Johan").check()
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_text("Programma Mannengroep opgeslagen.").is_visible()
    row = page.locator("tr", has_text="Mannengroep")
    assert "10 × 120 minuten" in row.inner_text() and "5–10" in row.inner_text()

    # a new colleague starts in the men's programme only
    page.goto("/beheer/medewerkers/nieuw")
    page.get_by_label("Naam").fill("Peter Smit")
    page.get_by_label("E-mailadres").fill("peter@example.org")
    page.get_by_label("Begeleider").check()
    page.get_by_label("Mannengroep").check()
    page.get_by_label("Een veilig thuis (vrouwengroep)").uncheck()
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_text("Account voor Peter Smit aangemaakt.").is_visible()
    db.session.expire_all()
    peter = db.session.scalars(sa.select(User).where(User.email == "peter@example.org")).one()
    johan = db.session.scalars(sa.select(User).where(User.name == "Johan")).one()
    assert [p.name for p in peter.programmes] == ["Mannengroep"]
    assert "Mannengroep" in [p.name for p in johan.programmes]


def test_a_men_group_is_planned_aligned_with_the_women_group(page, make_user, make_group):
    men = _men()
    book = import_content(db.session, read_folder(PROGRAMME_DIRS["men"])[0], programme=men)
    women = make_group(name="Linde najaar")
    for name in ("Johan", "Peter"):
        user = make_user("facilitator", name=name)
        user.programmes = [men]
    coordinator = make_user("coordinator", name="Carla")
    db.session.commit()
    log_in(page, coordinator, PASSWORD)
    page.goto("/groepen/nieuw")
    page.get_by_label("Programma").select_option(label="Mannengroep")
    page.get_by_label("Afstemmen op groep").select_option(label="Linde najaar")
    page.get_by_label("Interne naam").fill("Mannen parallel")
    page.get_by_label("Titel voor deelnemers").fill("Groep")
    page.get_by_label("Dag van de week").select_option(label="donderdag")
    page.get_by_label("Begintijd").fill("19:00")
    page.get_by_label("Eerste datum").fill("2026-09-10")
    page.get_by_label("Begeleider 1").select_option(label="Johan")
    page.get_by_label("Begeleider 2").select_option(label="Peter")
    page.get_by_role("button", name="Rooster bekijken").click()
    assert page.get_by_role(
        "heading", name="Rooster: 10 bijeenkomsten van 120 minuten"
    ).is_visible()
    rows = page.locator("table.schedule tbody tr:not(.skipped)")
    assert rows.count() == 10
    assert "19:00" in rows.nth(5).inner_text()
    assert "bijeenkomst 7 van de andere groep" in rows.nth(5).inner_text()
    page.get_by_role("button", name="Groep opslaan").click()
    page.wait_for_url(re.compile(r"/groepen/\d+$"))
    db.session.expire_all()
    group = db.session.scalars(sa.select(Group).where(Group.name == "Mannen parallel")).one()
    assert group.programme_id == men.id and len(group.sessions) == 10
    assert group.methodiek_version_id == book.id
    # men's meeting 6 (boundaries) falls in the week of women's meeting 7, on its Thursday
    assert book.session(6).aligned_with == 7
    week = to_local(women.active_sessions[6].start_dt).isocalendar()[:2]
    sixth = to_local(group.sessions[5].start_dt)
    assert sixth.isocalendar()[:2] == week and sixth.weekday() == 3
    fifth = to_local(group.sessions[4].start_dt)
    assert fifth.isocalendar()[:2] == to_local(women.active_sessions[4].start_dt).isocalendar()[:2]


def test_a_facilitator_meets_a_keep_apart_refusal_that_names_no_one(
    page, make_user, make_group, make_location, make_participant
):
    men = _men()
    location = make_location(rooms=("Zaal 1", "Zaal 2"))
    women = make_group(location=location, participants=6, name="Vrouwen Oost")
    men_group = make_group(
        programme=men, location=location, room=location.rooms[1], start=time(15, 0)
    )
    man = make_participant(men_group, alias="Karel")
    keep_apart.create_link(db.session, make_user("coordinator"), women.participants[0], man)
    facilitator = men_group.facilitator_a
    db.session.commit()
    log_in(page, facilitator, PASSWORD)
    page.goto(f"/groepen/{men_group.id}/bijeenkomsten/1/beheren")
    page.locator("#move-new_date").fill("2026-09-07")
    page.locator("#move-new_time").fill("13:00")
    page.get_by_role("button", name="Verplaatsen").click()
    message = page.get_by_text("Conflict met een scheidingsafspraak: vraag de coördinator.")
    assert message.first.is_visible()
    body = page.content()
    assert "Vrouwen Oost" not in body and women.participants[0].code not in body
    db.session.expire_all()
    first = db.session.get(Group, men_group.id).sessions[0]
    assert to_local(first.start_dt).time() == time(15, 0)
