"""The groups list: current groups first, an archive by year, figures without loading relations."""

from datetime import date

from flask import render_template_string

from tests.conftest import count_queries
from veiligthuis.extensions import db
from veiligthuis.groups.models import GROUP_STATUSES, GroupStatus
from veiligthuis.sessions.schedule import WEEKDAYS_NL


def _finish(group, status=GroupStatus.COMPLETED):
    group.status = status
    db.session.commit()
    return group


def test_list_shows_current_groups_and_links_the_archive_years(login_as, make_user, make_group):
    client = login_as(make_user("coordinator"))
    running = make_group(name="Lopend Noord", participants=2)
    old = _finish(make_group(name="Oud 2021", first_date=date(2021, 3, 1)))
    older = _finish(make_group(name="Oud 2019", first_date=date(2019, 3, 4)), GroupStatus.CANCELLED)

    page = client.get("/groepen").get_data(as_text=True)
    assert running.name in page
    assert old.name not in page and older.name not in page
    assert 'href="/groepen?jaar=2021"' in page and 'href="/groepen?jaar=2019"' in page
    assert page.index("jaar=2021") < page.index("jaar=2019")  # newest year first

    archive = client.get("/groepen?jaar=2021").get_data(as_text=True)
    assert old.name in archive
    assert running.name not in archive and older.name not in archive


def test_list_figures_match_the_group(login_as, make_user, make_group):
    client = login_as(make_user("coordinator"))
    group = make_group(name="Telgroep", participants=3)
    group.participants[0].status = "dropped_out"
    group.sessions[0].status = "cancelled"
    db.session.commit()
    active = group.active_sessions
    page = client.get("/groepen").get_data(as_text=True)
    row = page[page.index("Telgroep") :].split("</tr>")[0]
    assert '<td class="num">2</td>' in row
    expected = render_template_string(
        "{{ a|short_date }} – {{ b|short_date }}", a=active[0].start_dt, b=active[-1].start_dt
    )
    assert expected in row
    # its place, day and people, by name
    assert f"<td>{group.location.name}</td>" in row
    assert f"<td>{group.facilitator_a.name}, {group.facilitator_b.name}</td>" in row
    day_and_time = render_template_string("{{ t|time_nl }}", t=group.start_time)
    assert f"{WEEKDAYS_NL[group.weekday]} {day_and_time}" in row
    assert f'href="/groepen/{group.id}">Telgroep</a>' in page
    assert f"<td>{GROUP_STATUSES[group.status]}</td>" in row


def test_archive_status_without_year_shows_the_latest_year(login_as, make_user, make_group):
    client = login_as(make_user("coordinator"))
    _finish(make_group(name="Klaar 2020", first_date=date(2020, 3, 2)))
    _finish(make_group(name="Klaar 2022", first_date=date(2022, 3, 7)))
    page = client.get("/groepen?status=completed").get_data(as_text=True)
    assert "Klaar 2022" in page and "Klaar 2020" not in page
    assert client.get("/groepen?jaar=nope").status_code == 200


def test_facilitator_sees_only_her_own_groups_in_the_archive(login_as, make_user, make_group):
    mine = _finish(make_group(name="Mijn oude groep", first_date=date(2021, 3, 1)))
    _finish(make_group(name="Andermans groep", first_date=date(2020, 3, 2)))
    client = login_as(mine.facilitator_a)
    page = client.get("/groepen").get_data(as_text=True)
    assert "jaar=2021" in page and "jaar=2020" not in page
    assert "Andermans groep" not in client.get("/groepen?jaar=2020").get_data(as_text=True)


def test_list_query_count_is_flat_in_the_number_of_groups(login_as, make_user, make_group):
    client = login_as(make_user("coordinator"))
    make_group(participants=1)
    _finish(make_group(first_date=date(2021, 3, 1)))
    counts = []
    for _round in range(2):
        for url in ("/groepen", "/groepen?jaar=2021"):
            with count_queries(db.engine) as n:
                assert client.get(url).status_code == 200
            counts.append(n())
        for year in (2019, 2020, 2021):
            _finish(make_group(participants=4, first_date=date(year, 3, 4)))
        for _ in range(4):
            make_group(participants=5)
    assert counts[:2] == counts[2:], counts
