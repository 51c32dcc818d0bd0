"""Two facilitators change one woman's record on their own tablets, each with it open before
the other saved: the safe-contact change of the first stays, and the field both changed is
named at the top of the page and beside the field, with what she typed still in it."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from veiligthuis.extensions import db
from veiligthuis.groups.models import Participant

pytestmark = pytest.mark.e2e


def test_two_tablets_change_one_record(two_tablets, make_group, make_participant):
    group = make_group()
    woman = make_participant(group, alias="Anna")
    first, second = two_tablets
    log_in(first, group.facilitator_a, PASSWORD)
    log_in(second, group.facilitator_b, PASSWORD)
    url = f"/groepen/{group.id}/deelnemers/{woman.id}"
    for page in two_tablets:
        page.goto(url)

    first.get_by_label("Veilige manier van contact").select_option("none")
    first.get_by_label("Afspraken over veilig contact").fill("Haar partner heeft haar telefoon.")
    first.get_by_role("button", name="Opslaan").click()
    expect(first.locator(".flash-success")).to_contain_text("opgeslagen")

    # her page still shows the old record; she writes other notes and corrects the times
    second.get_by_label("Afspraken over veilig contact").fill("Alleen via de school bellen.")
    second.get_by_label("Wanneer is contact veilig?").fill("ochtend")
    second.get_by_role("button", name="Opslaan").click()
    summary = second.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Een collega heeft dit intussen gewijzigd in")
    expect(second.locator("#safe_notes-error")).to_contain_text("Haar partner heeft haar telefoon.")
    expect(second.get_by_label("Afspraken over veilig contact")).to_have_value(
        "Alleen via de school bellen."
    )
    # what only her colleague changed shows the colleague's choice, what only she changed hers
    expect(second.get_by_label("Veilige manier van contact")).to_have_value("none")
    expect(second.get_by_label("Wanneer is contact veilig?")).to_have_value("ochtend")

    second.get_by_label("Afspraken over veilig contact").fill(
        "Haar partner heeft haar telefoon. Alleen via de school bellen."
    )
    second.get_by_role("button", name="Opslaan").click()
    expect(second.locator(".flash-success")).to_contain_text("opgeslagen")
    db.session.expire_all()
    stored = db.session.get(Participant, woman.id)
    assert stored.safe_channel == "none" and stored.safe_times == "ochtend"
    assert stored.safe_notes == "Haar partner heeft haar telefoon. Alleen via de school bellen."
