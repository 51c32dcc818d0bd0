"""Staff pages on a tablet and on paper, and a failed form that shows at once what went wrong."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

TABLET = {"width": 768, "height": 1024}


@pytest.fixture
def tablet(browser, live_server):
    """A touch tablet in portrait: 768 px wide, coarse pointer."""
    context = browser.new_context(
        base_url=live_server.config["LIVE_URL"],
        locale="nl-NL",
        viewport=TABLET,
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_participant_list_and_attendance_fit_a_tablet(tablet, make_group, make_participant):
    group = make_group(name="Een groep met een lange interne naam voor de tablet")
    for n in range(12):
        make_participant(group, alias=f"Deelnemer-met-een-lange-naam-{n}")
    log_in(tablet, group.facilitator_a, PASSWORD)
    for path in (f"/groepen/{group.id}/deelnemers", f"/groepen/{group.id}", "/groepen"):
        tablet.goto(path)
        assert _overflow(tablet) <= 0, path

    tablet.goto(f"/groepen/{group.id}/presentie")
    assert _overflow(tablet) <= 0  # the grid scrolls inside its own box, not the page
    box = tablet.locator(".attendance select").first.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    names = tablet.locator(".attendance tbody th").first
    before = names.bounding_box()["x"]
    tablet.locator(".table-scroll").evaluate("el => el.scrollLeft = 400")
    assert names.bounding_box()["x"] == pytest.approx(before, abs=1)  # names stay in place


def test_failed_form_focuses_the_summary_that_links_to_the_field(page, make_user, make_location):
    coordinator = make_user("coordinator")
    make_location()
    log_in(page, coordinator, PASSWORD)
    page.goto("/groepen/nieuw")
    page.get_by_label("Interne naam").fill("")
    page.get_by_role("button", name="Rooster bekijken").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    # the page script moves focus once loaded: wait for it, as her screen reader would
    expect(summary).to_be_focused()
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate("'#' + document.activeElement.id") == target


def test_hints_are_read_with_their_inputs(page, make_user, make_location):
    coordinator = make_user("coordinator")
    make_location()
    log_in(page, coordinator, PASSWORD)
    page.goto("/groepen/nieuw")
    for hint in page.locator("p.hint").all():
        hint_id = hint.get_attribute("id")
        described = page.locator(f'[aria-describedby~="{hint_id}"]')
        assert described.count() == 1, hint_id


def test_attendance_prints_the_whole_grid_landscape_without_menus(page, make_group):
    group = make_group(participants=8)
    log_in(page, group.facilitator_a, PASSWORD)
    page.goto(f"/groepen/{group.id}/presentie")
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    assert not page.get_by_role("button", name="Presentie opslaan").is_visible()
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    first = pdf.pages[0]
    assert float(first.mediabox.width) > float(first.mediabox.height)  # landscape
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "veiligthuis" not in text.split("\n")[0]  # no menu bar on paper
    for gs in group.active_sessions:
        assert str(gs.number) in text
