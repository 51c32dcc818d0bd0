"""Issue 13, item 8: on the pages a facilitator fills in, every hint inside a form is read out
with the field or group of fields it explains (aria-describedby)."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

#: every hint inside a form that no field or fieldset names with aria-describedby
UNLINKED_HINTS = """() => [...document.querySelectorAll('form .hint, fieldset .hint')]
  .filter(h => !h.id || !document.querySelector(`[aria-describedby~="${h.id}"]`))
  .map(h => h.textContent.trim().slice(0, 60))"""


def test_every_hint_in_a_form_is_described_by(page, make_group, make_participant):
    group = make_group(participants=1)
    participant = group.participants[0]
    log_in(page, group.facilitator_a, PASSWORD)
    page.goto("/agenda")
    page.get_by_role("button", name="Agenda-adres maken").click()
    paths = (
        f"/groepen/{group.id}/deelnemers/nieuw",
        f"/groepen/{group.id}/deelnemers/{participant.id}",
        f"/groepen/{group.id}/bijeenkomsten/1/beheren",
        f"/groepen/{group.id}/planning",
        "/agenda",
    )
    for path in paths:
        page.goto(path)
        assert page.evaluate(UNLINKED_HINTS) == [], path
    described = page.locator("#feed-url").get_attribute("aria-describedby")
    assert page.locator(f"#{described}").inner_text().startswith("Dit adres is geheim")
