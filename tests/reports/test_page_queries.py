"""The report page runs the same queries for one measured group or five, one partner or five."""

from datetime import date

from tests.conftest import count_queries, login
from tests.evaluations.conftest import pearlin_values
from tests.partners.conftest import make_partner
from tests.reports.test_recruitment import referrer_list
from veiligthuis.extensions import db
from veiligthuis.reports import outreach

__all__ = ["make_partner", "referrer_list"]


def test_report_page_query_count_is_flat(client, make_user, measured, make_location):
    login(client, make_user("coordinator"))
    url = "/rapportage?jaar_van=2026&jaar_tot=2026&vergelijk=locatie"

    def count() -> int:
        with count_queries(db.engine) as n:
            response = client.get(url)
        assert response.status_code == 200
        return n()

    values = [pearlin_values(2)] * 5
    measured(values, values)
    few = count()
    for _ in range(4):
        measured(values, values, location=make_location())
    assert count() == few


def test_partners_and_referrers_informed_add_no_queries_as_they_grow(
    client, make_user, make_partner, referrer_list
):
    coordinator = make_user("coordinator")
    login(client, coordinator)

    def count() -> int:
        with count_queries(db.engine) as n:
            response = client.get("/rapportage?jaar_van=2026&jaar_tot=2026")
        assert response.status_code == 200
        return n()

    def grow(i: int) -> None:
        make_partner(name=f"Praktijk {i}", actor=coordinator)
        outreach.add_contact(
            db.session,
            coordinator,
            kind="huisarts",
            month=date(2026, 3, 1),
            contacted_by=None,
            today=date(2026, 11, 1),
        )
        db.session.commit()

    grow(0)
    few = count()
    for i in range(1, 5):
        grow(i)
    assert count() == few
