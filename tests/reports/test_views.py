"""/rapportage: coordinators only; page, CSV and PDF show the same figures, hidden alike."""

import io
import re
import zipfile
from datetime import date

from pypdf import PdfReader

from tests.pdfcheck import assert_only_shipped_fonts
from tests.reports.test_service import issue_example  # noqa: F401  (fixture)
from veiligthuis.extensions import db

QUERY = "jaar_van=2026&jaar_tot=2026&vergelijk=locatie"


def _page(response) -> str:
    return response.get_data(as_text=True)


def test_only_coordinators_see_the_report(login_as, make_user):
    for role in ("facilitator", "case_worker", "editor"):
        client = login_as(make_user(role))
        for path in ("/rapportage", "/rapportage/jaarverslag.zip", "/rapportage/jaarverslag.pdf"):
            assert client.get(path).status_code == 403, (role, path)
        assert 'href="/rapportage"' not in _page(client.get("/"))
        client.post("/uitloggen")
    client = login_as(make_user("coordinator"))
    assert client.get("/rapportage").status_code == 200
    assert 'href="/rapportage"' in _page(client.get("/"))


def _pearlin_row(page: str) -> list[str]:
    section = re.search(r'id="tabel-pearlin">(.*?)</section>', page, re.S).group(1)
    row = re.search(r"<td>voormeting</td>(.*?)</tr>", section, re.S).group(1)
    return re.findall(r'<td class="num">(.*?)</td>', row)


def test_page_csv_and_pdf_hide_the_same_cells(login_as, make_user, issue_example):  # noqa: F811
    client = login_as(make_user("coordinator"))
    page = _page(client.get(f"/rapportage?{QUERY}"))
    assert _pearlin_row(page) == ["x", "x", "x", "x", "11", "18,4"]
    assert "groepen begonnen in 2026" in page
    assert "Noord, gestart maart 2026" in page and "Zuid, gestart september 2026" in page
    assert "18,8" not in page and "17,3" not in page

    response = client.get(f"/rapportage/jaarverslag.zip?{QUERY}")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"README.txt", "groepen.csv", "pearlin.csv", "bereik.csv", "afronding.csv"} <= names
    assert "x = verborgen" in archive.read("README.txt").decode()
    everything = "".join(archive.read(n).decode("utf-8-sig") for n in names)
    assert "18,8" not in everything and "17,3" not in everything

    response = client.get(f"/rapportage/jaarverslag.pdf?{QUERY}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "18,4" in text and "18,8" not in text and "17,3" not in text
    assert "Gemiddelde totaalscore voor en na" in text  # the explanation under the figure
    assert_only_shipped_fonts(response.data)

    # Anonymous by construction: no group name, alias or code in any of the three.
    secrets = [g.name for g in issue_example]
    secrets += [x for g in issue_example for p in g.participants for x in (p.alias, p.code)]
    main = page.split('<main id="main">', 1)[1]
    for output in (main, everything, text):
        assert not [s for s in secrets if s in output]


def test_default_is_this_calendar_year_and_bad_input_is_a_message(login_as, make_user):
    client = login_as(make_user("coordinator"))
    page = _page(client.get("/rapportage"))
    assert "Periode: groepen begonnen in" in page
    page = _page(client.get("/rapportage?jaar_van=2025&jaar_tot=2026"))
    assert "Periode: groepen begonnen in 2025 tot en met 2026, alle locaties." in page
    for query, message in [
        ("jaar_van=abc&jaar_tot=2026", "Vul een jaar in tussen 2000 en 2100."),
        ("jaar_van=1900&jaar_tot=2026", "Vul een jaar in tussen 2000 en 2100."),
        ("jaar_van=2026&jaar_tot=2025", "Het laatste jaar ligt vóór het eerste."),
        ("jaar_van=2026&jaar_tot=2026&vergelijk=alles", "Ongeldige keuze"),
        ("jaar_van=2026&jaar_tot=2026&locaties=x", "Ongeldige keuze"),
    ]:
        response = client.get(f"/rapportage?{query}")
        assert response.status_code == 200 and message in _page(response), query
        assert "Periode:" not in _page(response)
    assert client.get("/rapportage/jaarverslag.zip?jaar_van=abc").status_code == 400
    db.session.rollback()


def test_years_side_by_side(login_as, make_user, measured):
    from tests.reports.test_service import P18, P19

    measured([P19] * 5, [P18] * 5, first_date=date(2025, 3, 3))
    measured([P19] * 6, [P18] * 6, first_date=date(2026, 3, 2))
    client = login_as(make_user("coordinator"))
    page = _page(client.get("/rapportage?jaar_van=2025&jaar_tot=2026&vergelijk=jaar"))
    assert _pearlin_row(page) == ["5", "19,0", "6", "19,0", "11", "19,0"]


def test_the_kind_of_drop_out_reason_is_recorded_for_the_report(login_as, make_group):
    from veiligthuis.groups.models import Participant

    group = make_group(participants=1)
    participant = group.participants[0]
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}/deelnemers/{participant.id}"
    assert "Soort reden (voor de rapportage)" in _page(client.get(url))
    data = {"alias": "Roos", "status": "dropped_out", "safe_channel": "phone"}
    data |= {"dropout_reason": "verhuisd naar Zwolle"}
    page = _page(client.post(url, data=data | {"dropout_kind": "elders"}))
    assert "Kies een waarde uit de lijst." in page and "verhuisd naar Zwolle" in page
    client.post(url, data=data | {"dropout_kind": "moved"})
    db.session.expire_all()
    assert db.session.get(Participant, participant.id).dropout_kind == "moved"
