"""Both facilitators fill in attendance on their own tablet at the end of a meeting, each with the
grid open before the other saved: nobody's marks disappear, and a cell both filled in
differently is named at the top of the page, in the warning style."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from veiligthuis.sessions.schedule import today_local

pytestmark = pytest.mark.e2e


def test_two_tablets_fill_in_one_grid(two_tablets, make_group, make_participant):
    group = make_group(first_date=today_local() - timedelta(weeks=1))
    for alias in ("Anna", "Bea", "Cor"):
        make_participant(group, alias=alias)
    first, second = two_tablets
    log_in(first, group.facilitator_a, PASSWORD)
    log_in(second, group.facilitator_b, PASSWORD)
    url = f"/groepen/{group.id}/presentie"
    for page in two_tablets:
        page.goto(url)

    first.get_by_label("Anna, bijeenkomst 1").select_option("A")
    first.get_by_label("Bea, bijeenkomst 1").select_option("B")
    first.get_by_role("button", name="Presentie opslaan").click()
    expect(first.locator(".flash-success")).to_contain_text("2 wijzigingen")

    # her grid still shows Anna and Bea empty; she marks Anna differently, and Cor
    second.get_by_label("Anna, bijeenkomst 1").select_option("Z")
    second.get_by_label("Cor, bijeenkomst 1").select_option("A")
    second.get_by_role("button", name="Presentie opslaan").click()
    expect(second.locator(".flash-success")).to_contain_text("1 wijziging")
    warning = second.locator(".flash-warning")
    expect(warning).to_contain_text("Anna bij bijeenkomst 1 (A)")
    expect(warning).to_contain_text("niet opgeslagen")
    for alias, value in (("Anna", "present"), ("Bea", "excused"), ("Cor", "present")):
        expect(second.get_by_label(f"{alias}, bijeenkomst 1")).to_have_value(value)
