"""A facilitator prints and subscribes in a real browser: draaiboek, calendar, feed address."""

import io
from datetime import date, time
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest
import vobject
from pypdf import PdfReader

from tests.conftest import PASSWORD
from tests.documents.factories import build_methodiek_version
from tests.e2e.conftest import log_in
from veiligthuis.extensions import db

pytestmark = pytest.mark.e2e


def test_download_draaiboek_and_calendar_then_regenerate_the_feed(
    page, make_user, make_group, make_location
):
    build_methodiek_version(db.session)
    db.session.commit()
    her = make_user("facilitator", name="Fatma")
    group = make_group(
        facilitators=(her, make_user("facilitator", name="Ingrid")),
        name="Linde najaar",
        first_date=date(2026, 10, 13),
        start=time(19, 0),
        location=make_location(name="De Linde"),
    )

    log_in(page, her, PASSWORD)
    page.get_by_role("link", name="Groepen").first.click()
    page.get_by_role("link", name="Linde najaar").click()
    page.wait_for_url(f"**/groepen/{group.id}")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Draaiboek (pdf)").click()
    download = download_info.value
    assert download.suggested_filename == f"draaiboek-{group.id}.pdf"
    pdf = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) >= 16
    assert "Draaiboek Linde najaar" in text and "Inhoud" in text
    assert "1 dinsdag 13 oktober 2026, 19:00–21:30: Kennismaking en groepsafspraken" in text

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Rooster in mijn agenda (ics)").click()
    data = Path(download_info.value.path()).read_bytes()
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == 12
    first = vobject.readOne(data.decode()).vevent_list[0]
    assert first.dtstart.value.strftime("%d-%m-%Y %H:%M") == "13-10-2026 19:00"

    page.get_by_role("link", name="Mijn agenda", exact=True).click()
    page.get_by_role("button", name="Agenda-adres maken").click()
    assert page.get_by_text("Uw agenda-adres is gemaakt.").is_visible()
    old_path = urlsplit(page.locator("#feed-url").input_value()).path
    assert old_path.startswith("/agenda/") and old_path.endswith(".ics")
    feed = page.request.get(old_path)
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert len(icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")) == 12

    page.get_by_role("button", name="Nieuw agenda-adres maken").click()
    assert page.get_by_text("Het oude adres werkt niet meer").is_visible()
    new_path = urlsplit(page.locator("#feed-url").input_value()).path
    assert new_path != old_path
    assert page.request.get(old_path).status == 404
    assert page.request.get(new_path).status == 200
