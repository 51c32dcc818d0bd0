"""Issue 13, item 9: the evaluation results (and the meeting, planning and support pages) fit a
tablet; the results print whole, on A4 landscape, without menus or buttons."""

import io

import pytest
from pypdf import PdfReader

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.e2e.test_staff_layout import _overflow, tablet  # noqa: F401  (fixture)
from tests.evaluations.conftest import (  # noqa: F401  (fixtures)
    answer,
    eval_group,
    methodiek_version,
    open_round,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def answered(eval_group, open_round, answer):  # noqa: F811
    """A group whose first meeting's short evaluation has four answers (results are shown)."""
    group = eval_group(name="Een groep met een lange interne naam voor de tablet en het papier")
    round_, codes = open_round(group, "sessie", number=1, count=4)
    for code, score in zip(codes, (5, 4, 4, 3), strict=True):
        answer(round_, code, {"veilig_in_groep": score, "opmerking": "Fijn om te horen " * 8})
    return group, round_


def test_results_fit_a_tablet(tablet, answered):  # noqa: F811
    group, round_ = answered
    log_in(tablet, group.facilitator_a, PASSWORD)
    for path in (f"/groepen/{group.id}/evaluaties", f"/groepen/{group.id}/evaluaties/{round_.id}"):
        tablet.goto(path)
        assert tablet.locator("main table").count() >= 1, path
        assert _overflow(tablet) <= 0, path
        for button in tablet.locator("main button:visible").all():
            box = button.bounding_box()
            assert box["height"] >= 44, (path, button.inner_text())


def test_results_print_landscape_without_menus_or_buttons(page, answered):
    group, round_ = answered
    log_in(page, group.facilitator_a, PASSWORD)
    page.goto(f"/groepen/{group.id}/evaluaties")
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    assert page.locator("main button:visible").count() == 0
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    first = pdf.pages[0]
    assert float(first.mediabox.width) > float(first.mediabox.height)  # landscape
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Uitloggen" not in text
    assert "4,0" in text  # the mean of the four answers is on paper


def test_meeting_support_and_planning_pages_fit_a_tablet(
    tablet,  # noqa: F811
    make_group,
    make_participant,
    make_user,
):
    worker = make_user("case_worker")
    group = make_group(name="Een groep met een lange interne naam voor de tablet en het papier")
    her = make_participant(group, case_worker=worker, alias="Deelnemer-met-een-lange-naam")
    log_in(tablet, group.facilitator_a, PASSWORD)
    for path in (
        f"/groepen/{group.id}/bijeenkomsten/1",
        f"/groepen/{group.id}/bijeenkomsten/1/beheren",
        f"/groepen/{group.id}/planning",
        "/agenda",
    ):
        tablet.goto(path)
        assert _overflow(tablet) <= 0, path
    tablet.get_by_role("button", name="Uitloggen").click()
    log_in(tablet, worker, PASSWORD)
    for path in ("/ondersteuning", f"/ondersteuning/deelnemers/{her.id}"):
        tablet.goto(path)
        assert _overflow(tablet) <= 0, path
