"""The content-keyed PDF cache: hits, misses, invalidation by any change, never across groups."""

import os
import time
from pathlib import Path

from tests.conftest import login
from tests.documents.conftest import pdf_text
from veiligthuis import pdf
from veiligthuis.evaluations import documents as evaluation_documents
from veiligthuis.extensions import db

MARKER = b"%PDF-1.7\n% served from the cache\n"


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pdf")) if folder.exists() else []


def test_draaiboek_is_rendered_once_then_served_from_the_cache(
    cache, login_as, make_group, make_version
):
    make_version()
    group = make_group(name="Linde najaar")
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}/draaiboek.pdf"
    first = client.get(url)
    assert first.status_code == 200 and "Draaiboek Linde najaar" in pdf_text(first.data)
    [entry] = _entries(cache)
    assert entry.read_bytes() == first.data
    assert client.get(url).data == first.data and len(_entries(cache)) == 1

    entry.write_bytes(MARKER)  # what the next request gets proves where it came from
    assert client.get(url).data == MARKER


def test_any_change_is_a_new_key(cache, login_as, make_group, make_version):
    make_version()
    group = make_group(name="Linde najaar")
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}/draaiboek.pdf"
    client.get(url)
    [old] = _entries(cache)
    old.write_bytes(MARKER)
    group.name = "Linde winter"
    db.session.commit()
    fresh = client.get(url)
    assert fresh.data != MARKER
    assert "Draaiboek Linde winter" in pdf_text(fresh.data)
    assert "Linde najaar" not in pdf_text(fresh.data)
    assert len(_entries(cache)) == 2


def test_expired_entries_are_rendered_anew_and_pruned(cache, login_as, make_group, make_version):
    make_version()
    group = make_group(name="Linde najaar")
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}/draaiboek.pdf"
    client.get(url)
    [entry] = _entries(cache)
    entry.write_bytes(MARKER)
    stale = time.time() - (pdf.CACHE_DAYS + 1) * 86400
    os.utime(entry, (stale, stale))
    other = cache / ("0" * 64 + ".pdf")
    other.write_bytes(MARKER)
    os.utime(other, (stale, stale))
    response = client.get(url)
    assert response.data != MARKER and "Linde najaar" in pdf_text(response.data)
    assert _entries(cache) == [entry]  # the stale stranger was pruned


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_cache_never_serves_one_groups_pdf_to_another(
    app, cache, make_group, make_user, make_version
):
    make_version()
    a = make_group(name="Groep Anker")
    b = make_group(name="Groep Boei")
    assert _client(app, a.facilitator_a).get(f"/groepen/{a.id}/draaiboek.pdf").status_code == 200
    for entry in _entries(cache):
        entry.write_bytes(MARKER)
    # B's own book is B's, not A's cached one
    theirs = _client(app, b.facilitator_a)
    other = theirs.get(f"/groepen/{b.id}/draaiboek.pdf")
    assert other.data != MARKER and "Groep Boei" in pdf_text(other.data)
    assert "Groep Anker" not in pdf_text(other.data)
    # and B's facilitator asking for A's book is refused before any cache is looked at
    refused = theirs.get(f"/groepen/{a.id}/draaiboek.pdf")
    assert refused.status_code == 404 and MARKER not in refused.data
    stranger = _client(app, make_user("case_worker")).get(f"/groepen/{a.id}/draaiboek.pdf")
    assert stranger.status_code in (403, 404) and MARKER not in stranger.data


def test_code_slips_are_never_cached(cache, app_ctx):
    data = evaluation_documents.slips_pdf("Vrouwengroep", ["ABCD2345EF"], "https://x.example")
    assert data[:5] == b"%PDF-"
    assert _entries(cache) == []


def test_key_covers_the_html_and_the_renderer():
    html = "<p>Groep Anker</p>"
    assert pdf.cache_key(html) == pdf.cache_key(html)
    assert pdf.cache_key(html) != pdf.cache_key("<p>Groep Boei</p>")
    assert len(pdf.cache_key(html)) == 64


def test_slips_stay_ten_to_a_page_without_the_grid(app_ctx):
    import io

    from pypdf import PdfReader

    codes = [f"ABCD{n:06d}" for n in range(30)]
    data = evaluation_documents.slips_pdf("Vrouwengroep", codes, "https://x.example")
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 3
    assert all(page.extract_text().count("Vrouwengroep") == 10 for page in pages)
