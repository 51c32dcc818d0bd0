"""The report page runs the same queries for one measured group or five."""

from tests.conftest import count_queries, login
from tests.evaluations.conftest import pearlin_values
from veiligthuis.extensions import db


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
