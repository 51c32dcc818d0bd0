"""Reports count each programme apart; without a filter they sum every programme's groups."""

from veiligthuis.extensions import db
from veiligthuis.programmes.service import default_programme
from veiligthuis.reports import service


def test_a_programme_filter_counts_only_its_groups(make_group, men, login_as, make_user):
    make_group(participants=6)
    make_group(programme=men, participants=5)
    women_id = default_programme(db.session).id

    def count(programme_id):
        flt = service.ReportFilter(year_from=2026, year_to=2026, programme_id=programme_id)
        return len(service.build_report(db.session, flt).groups)

    assert (count(women_id), count(men.id), count(None)) == (1, 1, 2)
    client = login_as(make_user("coordinator"))
    page = client.get(f"/rapportage?jaar_van=2026&jaar_tot=2026&programma={men.id}")
    assert page.status_code == 200
    assert "Mannengroep" in page.get_data(as_text=True)
