"""Recruitment material a coordinator works with: the press release filled in, the referrer list
as a table, and an editor that speaks plain Dutch instead of file names and "Markdown"."""

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from babel.dates import format_date
from pypdf import PdfReader

from tests.methodiek.factories import make_content, publish_content
from tests.pdfcheck import assert_only_shipped_fonts
from veiligthuis.extensions import db
from veiligthuis.methodiek import recruitment, service
from veiligthuis.sessions.schedule import to_local, today_local
from veiligthuis.settings import set_setting

PRESS = (
    "# Persbericht\n\n"
    "**{{ organisatie }} start een nieuwe groep**\n\n"
    "*{{ locatie }}, {{ datum }}* – Op {{ startdatum }} start {{ organisatie }} de groep "
    '"{{ titel }}", tot en met {{ einddatum }}; {{ dag }} om {{ tijd }}.\n\n'
    "Contact: {{ naam_woordvoerder }}.\n"
)

REFERRERS = (
    "# Wie de begeleiders informeren over een nieuwe groep.\n"
    "referrers:\n"
    "  - kind: huisarts\n    label: Huisarts\n    why: Ziet veel vrouwen alleen.\n"
    "  - kind: wijkteam\n    label: Wijkteam\n    why: Komt thuis bij gezinnen.\n"
)


@pytest.fixture
def people(make_user):
    return {"editor": make_user("editor"), "coordinator": make_user("coordinator")}


@pytest.fixture
def version(app_ctx):
    content = make_content()
    content.documents["werving/persbericht.md"] = PRESS
    content.documents["werving/verwijzers.yaml"] = REFERRERS
    return publish_content(db.session, content=content)


def _day(dt) -> str:
    return format_date(to_local(dt).date(), "EEEE d MMMM y", locale="nl")


# --- the press release ------------------------------------------------------------------------


def test_press_release_is_filled_from_the_organisation_and_the_next_planned_group(
    app_ctx, make_group, make_location
):
    set_setting(db.session, "organisation_name", "Stichting Welzijn Noord")
    hidden = make_location(name="Wijkcentrum De Linde")
    later = make_group(first_date=date(2027, 3, 2), location=make_location(name="Later"))
    group = make_group(first_date=date(2027, 2, 2), location=hidden)
    group.public_title = "Ontmoetingsgroep"
    started = make_group(first_date=date(2026, 1, 6))
    started.status = "active"
    db.session.flush()
    now = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)

    values = recruitment.press_values(db.session, now)
    text = recruitment.fill_placeholders(PRESS, values)

    first, last = group.active_sessions[0], group.active_sessions[-1]
    assert values["organisatie"] == "Stichting Welzijn Noord"
    assert values["titel"] == "Ontmoetingsgroep"
    assert values["startdatum"] == _day(first.start_dt) == "dinsdag 2 februari 2027"
    assert values["einddatum"] == _day(last.start_dt)
    # Not the weekday or the hour: a newspaper reader would learn when she is away.
    assert "dag" not in values and "tijd" not in values and "10.00" not in text
    assert values["datum"] == "15 januari 2027"
    assert "{{" not in text and "}}" not in text
    # The press hears the town or region only (the method's rule), never the building, even
    # once the venue is released to the participants: a gap asks for it.
    assert "De Linde" not in text and "[gemeente of regio]" in text
    assert "[naam woordvoerder]" in text
    group.is_venue_released = True
    db.session.flush()
    values = recruitment.press_values(db.session, now)
    assert "locatie" not in values
    assert "De Linde" not in recruitment.fill_placeholders(PRESS, values)
    assert later.location.name not in text


def test_without_a_planned_group_the_gaps_say_what_to_fill_in(app_ctx):
    values = recruitment.press_values(db.session, datetime(2027, 1, 15, tzinfo=UTC))
    text = recruitment.fill_placeholders(PRESS, values)
    assert values["organisatie"] == "Algemeen Maatschappelijk Werk"
    assert "[startdatum]" in text and "[einddatum]" in text and "{{" not in text
    assert recruitment.gaps(PRESS, values) == [
        "gemeente of regio",
        "startdatum",
        "einddatum",
        "dag",
        "tijd",
        "naam woordvoerder",
    ]


def test_filled_values_cannot_change_the_layout(app_ctx):
    text = recruitment.fill_placeholders(
        "Door {{ organisatie }}.", {"organisatie": "*Welzijn* [Noord](http://x)"}
    )
    assert text == r"Door \*Welzijn\* \[Noord\](http://x)."


def test_press_release_page_and_pdf_are_filled(client, login_as, people, version, make_group):
    set_setting(db.session, "organisation_name", "Stichting Welzijn Noord")
    group = make_group(first_date=today_local() + timedelta(days=60))
    db.session.commit()
    first = _day(group.active_sessions[0].start_dt)
    client = login_as(people["coordinator"])

    page = client.get(f"/methodiek/{version.id}/documenten/werving/persbericht.md")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "{{" not in html and "organisatie }}" not in html
    assert "Stichting Welzijn Noord start een nieuwe groep" in html
    assert first in html
    assert "Nog zelf invullen" in html and "naam woordvoerder" in html

    response = client.get(f"/methodiek/{version.id}/persbericht.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    pdf = re.sub(r"\s+", " ", pdf)
    assert "Stichting Welzijn Noord" in pdf and first in pdf and "{{" not in pdf
    assert_only_shipped_fonts(response.data)


def test_press_release_pdf_by_role(client, login_as, people, version, make_user):
    assert client.get(f"/methodiek/{version.id}/persbericht.pdf").status_code == 302
    case_worker = login_as(make_user("case_worker"))
    assert case_worker.get(f"/methodiek/{version.id}/persbericht.pdf").status_code == 403


def test_press_release_pdf_needs_a_press_release(client, login_as, people, app_ctx):
    plain = publish_content(db.session)  # no werving/persbericht.md in it
    client = login_as(people["coordinator"])
    assert client.get(f"/methodiek/{plain.id}/persbericht.pdf").status_code == 404


# --- the referrer list ------------------------------------------------------------------------


def test_referrer_list_is_a_table_to_work_through(client, login_as, people, version):
    client = login_as(people["coordinator"])
    html = client.get(f"/methodiek/{version.id}/documenten/werving/verwijzers.yaml").get_data(
        as_text=True
    )
    assert "referrers:" not in html and "kind:" not in html and "why:" not in html
    rows = re.findall(r"<tr>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>", html, re.S)
    assert [(a.strip(), b.strip()) for a, b in rows] == [
        ("Huisarts", "Ziet veel vrouwen alleen."),
        ("Wijkteam", "Komt thuis bij gezinnen."),
    ]
    assert "Benaderd op" in html and "Wie de begeleiders informeren" in html


def test_a_broken_referrer_list_is_shown_as_its_text(client, login_as, people, version):
    document = next(d for d in version.documents if d.path == "werving/verwijzers.yaml")
    document.body = "referrers: [\n"
    db.session.commit()
    client = login_as(people["coordinator"])
    html = client.get(f"/methodiek/{version.id}/documenten/werving/verwijzers.yaml").get_data(
        as_text=True
    )
    assert "referrers: [" in html and "kan niet als tabel" in html


# --- the editor in plain Dutch ----------------------------------------------------------------


def test_editor_names_documents_and_handouts_in_plain_dutch(client, login_as, people, version):
    draft = service.create_draft(db.session, people["editor"])
    db.session.commit()
    client = login_as(people["editor"])
    pages = {
        url: client.get(url).get_data(as_text=True)
        for url in (
            f"/methodiek/{draft.id}",
            f"/methodiek/{draft.id}/document-bewerken/werving/persbericht.md",
            f"/methodiek/{draft.id}/document-bewerken/werving/verwijzers.yaml",
            f"/methodiek/{draft.id}/sessies/1/bewerken",
            f"/methodiek/{draft.id}/bijlagen/01-blad.md/bewerken",
            f"/methodiek/{draft.id}/bijlage-toevoegen",
            f"/methodiek/{draft.id}/documenten/werving/persbericht.md",
            f"/methodiek/{draft.id}/sessies/1",
        )
    }
    for url, html in pages.items():
        visible = re.sub(
            r"<[^>]+>", " ", re.sub(r'(href|action|value|name|id|for|src)="[^"]*"', "", html)
        )
        assert "Markdown" not in visible, url
        assert "YAML" not in visible, url
        assert not re.search(r"\b[\w-]+\.(md|yaml)\b", visible), (
            url,
            re.findall(r"[\w/-]+\.(?:md|yaml)\b", visible),
        )
    assert (
        "Persbericht bewerken"
        in pages[f"/methodiek/{draft.id}/document-bewerken/werving/persbericht.md"]
    )
    assert "Verwijzers" in pages[f"/methodiek/{draft.id}"]
    press_editor = pages[f"/methodiek/{draft.id}/document-bewerken/werving/persbericht.md"]
    assert "nooit het gebouw" in press_editor
    session_editor = pages[f"/methodiek/{draft.id}/sessies/1/bewerken"]
    assert "een regel die met ## begint wordt een kopje" in session_editor.lower()
    # handouts to tick are named by their title, not their file
    assert re.search(
        r'value="01-blad.md">\s*<label for="handouts-0">Blad 1</label>', session_editor
    )
