"""Issue 13 in a real browser: a running group gets a new facilitator and evening; a
cancellation whose replacement clashes, then undone; a failed care signal."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from veiligthuis.auth.models import Leave
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group
from veiligthuis.models import utcnow
from veiligthuis.sessions import service as sessions_service
from veiligthuis.sessions.schedule import to_local, today_local

pytestmark = pytest.mark.e2e


def _running_group(make_user, make_group, **kwargs):
    fatima = make_user("facilitator", name="Fatima")
    ingrid = make_user("facilitator", name="Ingrid")
    group = make_group(facilitators=(fatima, ingrid), name="Linde", **kwargs)
    group.status = "running"
    db.session.commit()
    return group, fatima, ingrid


def test_change_a_running_groups_facilitator_and_evening(page, make_user, make_group):
    coordinator = make_user("coordinator", name="Carla")
    group, _fatima, _ingrid = _running_group(
        make_user, make_group, first_date=today_local() - timedelta(weeks=3)
    )
    make_user("facilitator", name="Nadia")
    now = utcnow()
    held = [s.start_dt for s in group.active_sessions if s.start_dt <= now]

    log_in(page, coordinator, PASSWORD)
    page.goto(f"/groepen/{group.id}")
    page.get_by_role("link", name="Planning wijzigen").click()
    page.get_by_label("Begeleider 2").select_option(label="Nadia")
    page.get_by_label("Dag van de week").select_option(label="donderdag")
    page.get_by_label("Begintijd").fill("19:00")
    page.get_by_role("button", name="Nieuwe planning bekijken").click()
    assert page.locator("tr", has_text="gehouden, blijft").count() == len(held)
    assert page.locator("table.schedule td", has_text="19:00–21:30").count() == 12 - len(held)
    page.get_by_role("button", name="Planning opslaan").click()
    page.wait_for_url(re.compile(rf"/groepen/{group.id}$"))
    assert page.get_by_text("De planning is gewijzigd").is_visible()
    assert page.get_by_text("Fatima en Nadia").is_visible()

    db.session.expire_all()
    group = db.session.get(Group, group.id)
    assert [s.start_dt for s in group.active_sessions[: len(held)]] == held
    assert all(
        to_local(s.start_dt).weekday() == 3 and to_local(s.start_dt).hour == 19
        for s in group.active_sessions[len(held) :]
    )


def test_cancel_with_a_conflict_then_undo(page, make_user, make_group):
    group, fatima, ingrid = _running_group(
        make_user, make_group, first_date=today_local() + timedelta(weeks=1)
    )
    plan = sessions_service.plan_replacement(db.session, group.active_sessions[1])
    day = to_local(plan.start_dt).date()
    db.session.add(Leave(user_id=ingrid.id, start_date=day, end_date=day, reason="Vakantie"))
    db.session.commit()

    log_in(page, fatima, PASSWORD)
    page.goto(f"/groepen/{group.id}/bijeenkomsten/2/beheren")
    page.get_by_label("Reden").fill("Zaal onder water")
    page.get_by_role("button", name="Bijeenkomst annuleren").click()
    # no tick: nothing happens, the summary says why and takes focus
    summary = page.locator(".error-summary").first
    assert "Vink aan" in summary.inner_text()
    # the page script moves focus once loaded: wait for it, as her screen reader would
    expect(summary).to_be_focused()
    assert page.get_by_label("Reden").input_value() == "Zaal onder water"
    page.get_by_label("Ja, deze bijeenkomst gaat niet door").check()
    page.get_by_role("button", name="Bijeenkomst annuleren").click()
    assert page.get_by_text("De vervangende bijeenkomst geeft conflicten").is_visible()
    assert "verlof" in page.locator("#cancel-conflicts").inner_text().lower()
    page.get_by_label("Ja, deze bijeenkomst gaat niet door").check()
    page.get_by_label("Ik heb de conflicten gezien en wil de vervanger toch plannen").check()
    page.get_by_role("button", name="Bijeenkomst annuleren").click()
    page.wait_for_url(re.compile(rf"/groepen/{group.id}$"))
    assert page.get_by_text("geannuleerd: Zaal onder water").is_visible()

    page.get_by_role("button", name="Annulering ongedaan maken").click()
    assert page.get_by_text("De annulering is ongedaan gemaakt").is_visible()
    db.session.expire_all()
    group = db.session.get(Group, group.id)
    assert [s.number for s in group.active_sessions] == list(range(1, 13))
    assert not group.sessions[1].is_cancelled


def test_a_failed_care_signal_is_summarised_at_the_top_with_focus(
    page, make_user, make_group, make_participant
):
    group, fatima, _ingrid = _running_group(
        make_user, make_group, first_date=today_local() - timedelta(weeks=1)
    )
    amira = make_participant(group, alias="Amira", case_worker=make_user("case_worker"))

    log_in(page, fatima, PASSWORD)
    page.goto(f"/groepen/{group.id}/bijeenkomsten/1/beheren")
    care = page.locator("#zorgsignaal")
    care.get_by_label("Over deelnemer").select_option(label=f"Amira ({amira.code})")
    typed = "Ze schrok toen haar telefoon ging."
    care.get_by_label("Korte feitelijke omschrijving").fill(typed)
    care.get_by_role("button", name="Zorgsignaal doorgeven").click()  # no category chosen

    summary = page.locator(".error-summary")
    assert summary.count() == 1 and "Kies een categorie." in summary.inner_text()
    # the page script moves focus once loaded: wait for it, as her screen reader would
    expect(summary).to_be_focused()
    assert page.evaluate("window.scrollY") < 400 or summary.bounding_box()["y"] < 400
    assert page.get_by_label("Korte feitelijke omschrijving").input_value() == typed
    summary.get_by_role("link", name="Kies een categorie.").click()
    assert page.evaluate("document.activeElement.id") == "care-category"
    assert not page.get_by_text("doorgegeven aan haar hulpverlener").is_visible()
    assert db.session.scalar(sa.text("select count(*) from signals")) == 0
