"""The yearly report PDF comes from the content-keyed cache, never stale after a change."""

import io
from datetime import date

from pypdf import PdfReader

from tests.reports.test_service import _person
from veiligthuis.extensions import db

URL = "/rapportage/jaarverslag.pdf?jaar_van=2026&jaar_tot=2026"


def _text(response) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)


def test_a_changed_figure_is_a_new_pdf(app, login_as, make_user, make_group):
    group = make_group(first_date=date(2026, 2, 2), participants=0)
    for _ in range(6):
        _person(group, status="active", referral_source="huisarts")
    db.session.commit()
    client = login_as(make_user("coordinator"))
    first = client.get(URL)
    assert first.status_code == 200 and "Aanmeldingen 6" in _text(first)
    assert client.get(URL).data == first.data  # the same report, from the cache
    _person(group, status="active", referral_source="huisarts")
    db.session.commit()
    assert "Aanmeldingen 7" in _text(client.get(URL))
