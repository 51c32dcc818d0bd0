"""The groups list (and the dashboard's table of groups) kept until anything in the database
changes: never another person's groups, never another year's or status's, and a change is in
the next view."""

from datetime import date, timedelta

import pytest

from tests.conftest import logged_in_side_by_side, page_and_statements
from veiligthuis.extensions import db
from veiligthuis.groups.models import GroupStatus
from veiligthuis.sessions.schedule import today_local


def _reads_groups(statements: list[str]) -> list[str]:
    return [s for s in statements if " from groups" in s.lower()]


def test_a_second_view_reads_no_group_and_a_change_shows_at_once(login_as, make_user, make_group):
    client = login_as(make_user("coordinator"))
    group = make_group(name="Linde")
    make_group(name="Oud", first_date=date(2021, 3, 1)).status = GroupStatus.COMPLETED
    db.session.commit()
    client.get("/groepen")
    page, statements = page_and_statements(client, "/groepen")
    assert "Linde" in page and 'href="/groepen?jaar=2021"' in page
    assert not _reads_groups(statements), statements
    group.name = "Linde najaar"
    db.session.commit()
    assert "Linde najaar" in client.get("/groepen").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/groepen", "/"])
def test_a_facilitator_never_gets_the_groups_of_a_coordinator_or_a_colleague(
    url, strict_app, make_user, make_group
):
    """The groups list and the dashboard's table of groups."""
    ahead = today_local() + timedelta(days=7)
    mine = make_group(name="Mijn groep", first_date=ahead)
    theirs = make_group(name="Andermans groep", first_date=ahead)
    mine_old = make_group(name="Mijn oude groep", first_date=date(2021, 3, 1))
    mine_old.facilitator_a_id = mine.facilitator_a_id
    mine_old.status = GroupStatus.COMPLETED
    db.session.commit()
    boss, her, colleague = logged_in_side_by_side(
        strict_app, make_user("coordinator"), mine.facilitator_a, theirs.facilitator_a
    )
    everything = boss.get(url).get_data(as_text=True)
    assert "Mijn groep" in everything and "Andermans groep" in everything
    hers = her.get(url).get_data(as_text=True)
    assert "Mijn groep" in hers and "Andermans groep" not in hers
    other = colleague.get(url).get_data(as_text=True)
    assert "Andermans groep" in other and "Mijn groep" not in other
    if url == "/groepen":  # and her archive is hers alone
        assert 'href="/groepen?jaar=2021"' in hers and "jaar=2021" not in other


def test_each_year_and_status_is_a_list_of_its_own(login_as, make_user, make_group):
    client = login_as(make_user("coordinator"))
    make_group(name="Gepland")
    running = make_group(name="Loopt nu")
    running.status = GroupStatus.RUNNING
    for name, year in (("Klaar 2021", 2021), ("Klaar 2020", 2020)):
        make_group(name=name, first_date=date(year, 3, 2)).status = GroupStatus.COMPLETED
    db.session.commit()
    seen = {
        url: client.get(url).get_data(as_text=True)
        for url in (
            "/groepen",
            "/groepen?jaar=2021",
            "/groepen?jaar=2020",
            "/groepen?status=running",
        )
    }
    assert "Gepland" in seen["/groepen"] and "Klaar" not in seen["/groepen"]
    assert (
        "Klaar 2021" in seen["/groepen?jaar=2021"]
        and "Klaar 2020" not in seen["/groepen?jaar=2021"]
    )
    assert (
        "Klaar 2020" in seen["/groepen?jaar=2020"] and "Loopt nu" not in seen["/groepen?jaar=2020"]
    )
    assert "Loopt nu" in seen["/groepen?status=running"]
    assert "Gepland" not in seen["/groepen?status=running"]
