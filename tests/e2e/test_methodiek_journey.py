"""An editor reshuffles a session's minutes, checks the diff and publishes; a facilitator of a
group on the old version is told about the newer one and moves the coming meetings."""

import re
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.methodiek.factories import publish_content
from veiligthuis.extensions import db
from veiligthuis.methodiek.models import MethodiekVersion
from veiligthuis.sessions.schedule import first_on_weekday

pytestmark = pytest.mark.e2e

#: generous: the suite shares two cores with the live server and Chromium
WAIT = 15_000


def test_editor_publishes_new_minutes_and_facilitator_sees_the_newer_version(
    page, make_user, make_group
):
    publish_content(db.session, "2026.1")
    editor = make_user("editor", name="Esra Redactie")
    today = date.today()
    # Meetings 1 and 2 have been held; 3 and later are still to come.
    group = make_group(
        first_date=first_on_weekday(today - timedelta(days=8), today.weekday()),
        start=time(10, 0),
        name="Linde najaar",
    )
    facilitator = group.facilitator_a

    log_in(page, editor, PASSWORD)
    page.get_by_role("link", name="Methodiek").first.click()
    page.get_by_role("button", name="Nieuw concept maken").click()
    expect(page.get_by_text("Concept 2026.2 gemaakt als kopie van versie 2026.1")).to_be_visible(
        timeout=WAIT
    )
    page.get_by_role("row", name=re.compile("Thema 3")).get_by_role("link", name="bewerken").click()

    total = page.locator("#minutes-total")
    expect(total).to_have_text("150", timeout=WAIT)
    page.get_by_label("Minuten van werkvorm 2").fill("30")
    expect(total).to_have_text("145", timeout=WAIT)  # the running total follows while typing
    expect(page.get_by_text("nog 5 minuten te verdelen")).to_be_visible(timeout=WAIT)
    page.get_by_label("Minuten van werkvorm 4").fill("35")
    expect(total).to_have_text("150", timeout=WAIT)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Bijeenkomst 3 opgeslagen.")).to_be_visible(timeout=WAIT)

    page.get_by_role("link", name="verschillen met versie 2026.1").click()
    part = page.locator("section.diff-part", has_text="Bijeenkomst 3")
    expect(part.locator("del").first).to_have_text("35", timeout=WAIT)
    expect(part.locator("ins").first).to_have_text("30", timeout=WAIT)
    expect(page.locator("section.diff-part")).to_have_count(1, timeout=WAIT)

    page.get_by_role("link", name="Methodiek").first.click()
    page.get_by_role("link", name="2026.2").first.click()
    expect(page.get_by_text("Alles in orde: dit concept kan worden gepubliceerd.")).to_be_visible(
        timeout=WAIT
    )
    page.get_by_role("button", name="Versie 2026.2 publiceren").click()
    expect(page.get_by_text("Versie 2026.2 is gepubliceerd.")).to_be_visible(timeout=WAIT)
    db.session.expire_all()
    published = db.session.scalar(
        sa.select(MethodiekVersion).where(MethodiekVersion.label == "2026.2")
    )
    assert published.is_published

    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, facilitator, PASSWORD)
    page.goto(f"/groepen/{group.id}")
    notice = page.locator("section.methodiek-notice")
    expect(
        notice.get_by_role("heading", name="Er is een nieuwere versie van de methodiek")
    ).to_be_visible(timeout=WAIT)
    expect(notice).to_contain_text("Versie 2026.2 is gepubliceerd", timeout=WAIT)
    notice.locator("summary", has_text="Bijeenkomst 3: Thema 3").click()
    expect(notice.locator("details[open] ins").first).to_have_text("30", timeout=WAIT)
    notice.get_by_role("button", name=re.compile("overzetten naar versie 2026.2")).click()
    expect(
        page.get_by_text(re.compile(r"De \d+ bijeenkomsten die nog komen gebruiken nu methodiek"))
    ).to_be_visible(timeout=WAIT)
    expect(page.locator("section.methodiek-notice")).to_have_count(0, timeout=WAIT)
