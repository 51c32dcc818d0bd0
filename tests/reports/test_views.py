"""/rapportage: coordinators only; every count under five beyond the group is suppressed."""

import re

from tests.reports.test_service import two_groups  # noqa: F401  (fixture)
from veiligthuis.extensions import db


def _page(response) -> str:
    return response.get_data(as_text=True)


def test_only_coordinators_see_the_report(login_as, make_user):
    for role in ("facilitator", "case_worker", "editor"):
        client = login_as(make_user(role))
        assert client.get("/rapportage").status_code == 403, role
        assert 'href="/rapportage"' not in _page(client.get("/"))
        client.post("/uitloggen")
    client = login_as(make_user("coordinator"))
    assert client.get("/rapportage").status_code == 200
    assert 'href="/rapportage"' in _page(client.get("/"))


def test_report_shows_pooled_numbers_and_hides_small_counts(login_as, make_user, two_groups):  # noqa: F811
    a, b = two_groups
    page = _page(login_as(make_user("coordinator")).get("/rapportage"))
    all_row = re.search(r'<tr class="mastery">(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r'<td class="num">(.*?)</td>', all_row)
    assert cells == ["9", "16,0", "2,1", "8", "20,5", "1,6", "+4,5"]
    row_b = re.search(rf"{b.name}</a></td>(.*?)</tr>", page, re.S).group(1)
    cells_b = re.findall(r'<td class="num">(.*?)</td>', row_b)
    assert cells_b == ["&lt; 5", "—", "—", "&lt; 5", "—", "—", "—"]
    row_a = re.search(rf"{a.name}</a></td>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r'<td class="num">(.*?)</td>', row_a)[-1] == "+3,6"
    assert '<img class="chart" src="data:image/svg+xml;base64,' in page
    assert "Voormetingen ingevuld</dt><dd>9" in page and "Nametingen ingevuld</dt><dd>8" in page


def test_year_choice_and_bad_year(login_as, make_user, two_groups):  # noqa: F811
    client = login_as(make_user("coordinator"))
    assert "Ongeldige keuze" not in _page(client.get("/rapportage"))
    assert "16,0" in _page(client.get("/rapportage?jaar=2026"))
    response = client.get("/rapportage?jaar=abc")
    assert response.status_code == 200 and "16,0" in _page(response)
    empty = client.get("/rapportage?jaar=1999")
    assert empty.status_code == 200
    db.session.rollback()
