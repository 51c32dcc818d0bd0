"""The document builders, read back with pypdf: what a facilitator or a participant would check."""

import re
from datetime import date, time

import pytest

from tests.documents.conftest import pdf_pages, pdf_text
from tests.documents.factories import ARABIC
from veiligthuis.extensions import db
from veiligthuis.groups import documents
from veiligthuis.models import DomainError
from veiligthuis.sessions import service as sessions_service
from veiligthuis.settings import get_setting
from veiligthuis.wording import find_sensitive_words


def _loaded(group):
    sessions_service.load_methodiek_versions(db.session, group)
    return group


@pytest.fixture
def evening_group(make_group, make_user, make_version, make_location):
    """A Tuesday-evening group from 13 October 2026 on version 2026.1."""
    make_version()
    a = make_user("facilitator", name="Fatma Yılmaz")
    b = make_user("facilitator", name="Ingrid de Vries")
    return make_group(
        facilitators=(a, b),
        name="Linde najaar",
        first_date=date(2026, 10, 13),
        start=time(19, 0),
        location=make_location(name="De Linde", region="midden"),
    )


def test_draaiboek_has_cover_contents_schedule_and_every_meeting(evening_group, make_user):
    group = evening_group
    substitute = make_user("facilitator", name="Saskia Invaller")
    sessions_service.assign_substitute(
        db.session, group.facilitator_a, group.sessions[4], substitute, group.facilitator_a_id
    )
    db.session.commit()
    pages = pdf_pages(documents.draaiboek_pdf(_loaded(group)))
    # cover, contents, schedule, twelve meetings, at least one page of handouts
    assert len(pages) >= 16
    assert "Draaiboek Linde najaar" in pages[0]
    assert "Vertrouwelijk" in pages[0]
    assert "13 oktober 2026 tot en met 19 januari 2027" in pages[0]
    assert "Fatma Yılmaz en Ingrid de Vries" in pages[0]
    assert "2026.1" in pages[0]

    contents = pages[1]
    assert "Inhoud" in contents
    schedule = pages[2]
    assert "Rooster" in schedule
    assert "1 dinsdag 13 oktober 2026, 19:00–21:30: Kennismaking en groepsafspraken" in schedule
    # 20 October is the autumn holiday of region Midden; the clock changed on the 25th.
    assert "2 dinsdag 27 oktober 2026, 19:00–21:30" in schedule
    assert "12 dinsdag 19 januari 2027, 19:00–21:30: Herstelrecept en afscheid" in schedule
    assert "Saskia Invaller" in schedule and "Ingrid de Vries" in schedule

    # The contents point at the right pages, and every page is numbered.
    entries = re.findall(r"^(.+) · blz\. (\d+)$", contents, re.M)
    assert [title for title, _ in entries][:3] == [
        "Rooster",
        "Begeleiders",
        "Bijeenkomst 1: Kennismaking en groepsafspraken",
    ]
    assert len(entries) == 2 + 12 + 1 + 12
    for title, number in entries:
        if title.startswith(("Bijeenkomst", "Rooster")):
            assert pages[int(number) - 1].startswith(title), (title, number)
    for index, text in enumerate(pages[1:], start=2):
        assert f"blz. {index} van {len(pages)}" in text
    assert "blz." not in pages[0]


def test_each_meeting_gets_clock_times_materials_and_handout_text(evening_group):
    pages = pdf_pages(documents.draaiboek_pdf(_loaded(evening_group)))
    text = "\n".join(pages)
    first = text[text.index("Bijeenkomst 1: Kennismaking") :]
    first = first[first.index("Programma") :]
    for line in [
        "19:00–19:15 Welkom en terugblik (15 min) – De begeleiders nemen",
        "19:15–19:50 Rondje met fotokaarten (35 min)",
        "20:20–20:35 Pauze (15 min)",
        "21:05–21:30 Afsluiting en evaluatie (25 min)",
        "Totaal 150 minuten.",
    ]:
        assert line in first, line
    assert "Materialen" in first and "fotokaarten" in first and "werkblad 1" in first
    assert "Bijlage 1: Werkblad 1: Kennismaking en groepsafspraken" in first
    assert "zie het sessieblad" in first and "Cultuursensitief werken" not in text
    start = next(i for i, page in enumerate(pages) if page.startswith("Bijlagen"))
    appendix = "\n".join(pages[start:])
    # each handout once, with its text; the one used twice says so
    assert appendix.count("Bijlage 1: Werkblad 1") == 1
    assert "bij bijeenkomst 1, 12" in appendix
    assert "Punt 2" in appendix
    # raw HTML in a handout stays text, pictographs without a glyph are left out
    assert "<script>alert('x')</script> blijft tekst." in appendix
    assert "🔐" not in appendix and "Neem dit blad alleen mee" in appendix


def test_turkish_and_arabic_text_is_printed_and_extractable(evening_group):
    text = pdf_text(documents.draaiboek_pdf(_loaded(evening_group)))
    for word in ["Güçlü", "yanlarım", "şimdi", "İyi", "ılık", "Fatma Yılmaz"]:
        assert word in text, word
    assert "مرحبا بكم في المجموعة" in text
    assert ARABIC.split(": ")[1] in text


def test_each_meeting_follows_its_own_methodiek_version(evening_group, make_version):
    group = evening_group
    newer = make_version("2027.1", titles=[f"Nieuwe titel {n}" for n in range(1, 13)])
    for gs in group.sessions[6:]:
        gs.methodiek_version_id = newer.id
    db.session.commit()
    text = pdf_text(documents.draaiboek_pdf(_loaded(group)))
    assert "Bijeenkomst 6: Mijn sterke kanten" in text
    assert "Bijeenkomst 7: Nieuwe titel 7" in text
    assert "Bijeenkomst 7: Grenzen aangeven" not in text
    assert "2026.1" in text and "2027.1" in text


def test_draaiboek_without_methodiek_and_with_a_cancelled_meeting(make_group):
    group = make_group(first_date=date(2026, 9, 7))
    sessions_service.cancel_session(db.session, group.facilitator_a, group.sessions[2], "Ziekte")
    db.session.commit()
    pages = pdf_pages(documents.draaiboek_pdf(_loaded(group)))
    text = "\n".join(pages)
    assert "geen versie gekoppeld" in pages[0]
    assert text.count("Voor deze bijeenkomst is geen methodiek gekoppeld") == 12
    assert "geannuleerd (Ziekte)" in text
    assert "Bijeenkomst 12:" not in text and "Bijeenkomst 12" in text


def test_session_sheet_has_one_meeting(evening_group):
    group = _loaded(evening_group)
    gs = group.sessions[5]
    pages = pdf_pages(documents.session_sheet_pdf(group, gs))
    text = "\n".join(pages)
    assert text.startswith("Bijeenkomst 6: Mijn sterke kanten")
    assert "dinsdag 24 november 2026, 19:00–21:30" in text
    assert "20:20–20:35 Pauze (15 min)" in text
    # the sheet has the background texts the draaiboek leaves out
    assert "Cultuursensitief werken" in text and "Laaggeletterdheid en taal" in text
    assert "Bijlage 1: Werkblad 6" in text and "Güçlü" in text
    assert "Bijeenkomst 5" not in text and "Bijeenkomst 7" not in text
    assert f"blz. 1 van {len(pages)}" in pages[0]


@pytest.fixture
def six_women(evening_group, make_participant):
    aliases = ["Amira", "Bea", "Cora", "Dilek", "فاطمة", "Şule"]
    return [make_participant(evening_group, alias=alias) for alias in aliases]


def test_attendance_list_with_codes_shows_no_name(evening_group, six_women):
    text = pdf_text(
        documents.attendance_list_pdf(
            evening_group, evening_group.sessions[0], six_women, show="code"
        )
    )
    assert "Presentielijst" in text
    assert "Vrouwengroep, bijeenkomst 1 van 12" in text
    assert "dinsdag 13 oktober 2026, 19:00–21:30" in text
    for woman in six_women:
        assert woman.code in text
        assert woman.alias not in text
    for internal in ("Linde", "Fatma", "Ingrid", "Zaal 1"):
        assert internal not in text
    assert find_sensitive_words(text) == []


def test_attendance_list_with_names_shows_no_code(evening_group, six_women):
    text = pdf_text(
        documents.attendance_list_pdf(
            evening_group, evening_group.sessions[0], six_women, show="alias"
        )
    )
    for woman in six_women:
        assert woman.alias in text
        assert woman.code not in text
    with pytest.raises(ValueError):
        documents.attendance_list_pdf(evening_group, evening_group.sessions[0], six_women, show="x")


def _complete(group, participant, present=9):
    marks = {(participant.id, gs.id): "present" for gs in group.active_sessions[:present]}
    sessions_service.record_attendance(db.session, group.facilitator_a, group, marks)
    db.session.commit()
    threshold = get_setting(db.session, "completion_threshold")
    return sessions_service.attendance_summaries(db.session, group, threshold)[participant.id]


def test_certificate_names_only_the_neutral_title(evening_group, make_participant):
    group = evening_group
    group.location.name = "Veilig Thuis-huis De Linde"
    db.session.commit()
    woman = make_participant(group, alias="Şule")
    summary = _complete(group, woman, present=10)
    data = documents.certificate_pdf(group, woman, summary, sender="Planning", with_alias=True)
    pages = pdf_pages(data)
    assert len(pages) == 1
    text = pages[0]
    assert "Deelnamebewijs" in text and "Şule" in text and "Vrouwengroep" in text
    assert "van 13 oktober 2026 tot en met 19 januari 2027" in text
    assert "aanwezig bij 10 van de 12 bijeenkomsten" in text
    assert "Planning" in text
    assert find_sensitive_words(text) == []
    organisation = get_setting(db.session, "organisation_name")
    for secret in ("Linde", "Fatma", "Ingrid", organisation, woman.code, "AMW", "Zaal"):
        assert secret not in text, secret
    from io import BytesIO

    from pypdf import PdfReader

    assert PdfReader(BytesIO(data)).metadata.title == "Deelnamebewijs"

    without = pdf_text(
        documents.certificate_pdf(group, woman, summary, sender="Planning", with_alias=False)
    )
    assert "Şule" not in without and "houder van dit bewijs" in without


def test_certificate_is_refused_before_completion_or_with_a_giveaway(
    evening_group, make_participant
):
    group = evening_group
    woman = make_participant(group, alias="Bea")
    summary = _complete(group, woman, present=8)
    with pytest.raises(DomainError, match="niet genoeg"):
        documents.certificate_pdf(group, woman, summary, sender="Planning", with_alias=False)
    summary = _complete(group, woman, present=9)
    assert summary.has_completed
    with pytest.raises(DomainError, match="niet neutraal"):
        documents.certificate_pdf(group, woman, summary, sender="AMW Planning", with_alias=False)
    woman.alias = "Bea (Veilig Thuis)"
    with pytest.raises(DomainError, match="niet neutraal"):
        documents.certificate_pdf(group, woman, summary, sender="Planning", with_alias=True)
    # without her name on it, the odd alias does not matter
    assert pdf_text(
        documents.certificate_pdf(group, woman, summary, sender="Planning", with_alias=False)
    )


def test_realistic_draaiboek_stays_readable(make_group, make_version):
    make_version(realistic=True)
    group = _loaded(make_group(first_date=date(2026, 9, 1), start=time(19, 0)))
    pages = pdf_pages(documents.draaiboek_pdf(group))
    # cover, contents, schedule, one page per meeting, a few pages of handouts
    assert 16 <= len(pages) <= 24
    assert "Inhoud" in pages[1]
    for number in range(1, 13):
        assert pages[number + 2].startswith(f"Bijeenkomst {number}:"), number
    assert all(f"van {len(pages)}" in p for p in pages[1:])
