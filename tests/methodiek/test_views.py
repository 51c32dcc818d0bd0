"""The methodiek in the browser: access by role, editing, conflicts, publishing, files, groups."""

import re
from datetime import date, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import template_rendered

from tests.conftest import count_queries, login, page_and_statements
from tests.methodiek.factories import publish_content
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.methodiek import service, uploads
from veiligthuis.methodiek.models import Attachment, MethodiekVersion, SessionPlan
from veiligthuis.models import utcnow
from veiligthuis.sessions.schedule import first_on_weekday
from veiligthuis.settings import set_setting

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20


def _draft(published, editor):
    draft = service.create_draft(db.session, editor)
    db.session.commit()
    return draft


def _form(plan: SessionPlan, **changes) -> dict:
    """The edit form's fields for ``plan`` as a browser would send them."""
    data = {
        "revision": str(plan.revision),
        "title": plan.title,
        "theme": plan.theme,
        "goals": "\n".join(plan.goals),
        "materials": "\n".join(plan.materials),
        "handouts": list(plan.handout_files),
        "home_practice": plan.home_practice,
        "culture_notes": plan.culture_notes,
        "low_literacy_notes": plan.low_literacy_notes,
        "body": plan.body,
        "save": "Opslaan",
    }
    for index, activity in enumerate(plan.activities):
        data[f"activities-{index}-title"] = activity["title"]
        data[f"activities-{index}-minutes"] = str(activity["minutes"])
        data[f"activities-{index}-description"] = activity.get("description", "")
        if activity.get("kind") == "pauze":
            data[f"activities-{index}-is_break"] = "y"
    data.update(changes)
    return data


def _reload(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


# --- access ----------------------------------------------------------------------------------


@pytest.fixture
def people(make_user):
    return {
        "editor": make_user("editor"),
        "facilitator": make_user("facilitator"),
        "coordinator": make_user("coordinator"),
        "case_worker": make_user("case_worker"),
    }


ACCESS = [
    # (method, url, expected for anonymous, editor, facilitator, coordinator, case_worker)
    ("GET", "/methodiek", (302, 200, 200, 200, 403)),
    ("GET", "/methodiek/{v}", (302, 200, 200, 200, 403)),
    ("GET", "/methodiek/{v}/sessies/1", (302, 200, 200, 200, 403)),
    ("GET", "/methodiek/{v}/bijlagen/01-blad.md", (302, 200, 200, 200, 403)),
    ("GET", "/methodiek/{v}/evaluatie/voor-na", (302, 200, 200, 200, 403)),
    ("GET", "/methodiek/{v}/documenten/werving/folder.md", (302, 200, 200, 200, 403)),
    ("GET", "/methodiek/vergelijken?van={v}&naar={d}", (302, 200, 200, 200, 403)),
    ("GET", "/methodiek/bestanden/{a}", (302, 200, 200, 200, 403)),
    ("GET", "/methodiek/{d}/sessies/1/bewerken", (302, 200, 403, 403, 403)),
    ("GET", "/methodiek/{d}/bijlagen/01-blad.md/bewerken", (302, 200, 403, 403, 403)),
    ("GET", "/methodiek/{d}/document-bewerken/werving/folder.md", (302, 200, 403, 403, 403)),
    ("GET", "/methodiek/{d}/bijlage-toevoegen", (302, 200, 403, 403, 403)),
    ("POST", "/methodiek/{d}/sessies/1/bewerken", (302, 422, 403, 403, 403)),
    ("POST", "/methodiek/{d}/sessies/1/bestanden", (302, 302, 403, 403, 403)),
    ("POST", "/methodiek/{d}/gegevens", (302, 422, 403, 403, 403)),
    ("POST", "/methodiek/{d}/publiceren", (302, 302, 403, 403, 403)),
    ("POST", "/methodiek/concept", (302, 302, 403, 403, 403)),
    ("POST", "/methodiek/bestanden/{a}/verwijderen", (302, 302, 403, 403, 403)),
]


def test_access_by_role(app, people, published, make_user):
    draft = _draft(published, people["editor"])
    data = PDF + b"% toegang"
    uploads.store_blob(app.config["UPLOAD_FOLDER"], data)
    attachment = Attachment(
        filename="a.pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=uploads.sha256_hex(data),
        created_dt=utcnow(),
    )
    draft.session(1).attachments.append(attachment)
    db.session.commit()
    problems = []
    for index, role in enumerate(
        ["anonymous", "editor", "facilitator", "coordinator", "case_worker"]
    ):
        client = app.test_client()
        if role != "anonymous":
            login(client, people[role])
        for method, template, expected in ACCESS:
            url = template.format(v=published.id, d=draft.id, a=attachment.id)
            response = client.get(url) if method == "GET" else client.post(url, data={})
            if response.status_code != expected[index]:
                problems.append((role, method, url, response.status_code, expected[index]))
    assert problems == []


def test_the_methodiek_link_shows_by_role(app, people, published):
    client = app.test_client()
    login(client, people["case_worker"])
    assert "/methodiek" not in client.get("/").get_data(as_text=True)
    other = app.test_client()
    login(other, people["facilitator"])
    assert 'href="/methodiek"' in other.get("/").get_data(as_text=True)


# --- editing ---------------------------------------------------------------------------------


def test_editor_changes_minutes_sees_the_diff_and_publishes(login_as, people, published):
    client = login_as(people["editor"])
    response = client.post("/methodiek/concept", data={})
    assert response.status_code == 302
    draft = db.session.scalar(sa.select(MethodiekVersion).where(MethodiekVersion.status == "draft"))
    plan = draft.session(3)
    page = client.get(f"/methodiek/{draft.id}/sessies/3/bewerken").get_data(as_text=True)
    assert 'id="minutes-total"' in page and ">150<" in page
    assert "precies 150 minuten" in page
    response = client.post(
        f"/methodiek/{draft.id}/sessies/3/bewerken",
        data=_form(plan, **{"activities-1-minutes": "30", "activities-3-minutes": "35"}),
    )
    assert response.status_code == 302
    plan = _reload(SessionPlan, plan.id)
    assert [a["minutes"] for a in plan.activities] == [15, 30, 15, 35, 40, 15]
    assert plan.revision == 2

    diff = client.get(f"/methodiek/vergelijken?van={published.id}&naar={draft.id}")
    html = diff.get_data(as_text=True)
    assert "Bijeenkomst 3: Thema 3" in html
    assert "<del>35</del><ins>30</ins>" in html and "<del>30</del><ins>35</ins>" in html
    assert "Bijeenkomst 4" not in html  # unchanged parts are not listed
    assert "Gewijzigde onderdelen: 1" in html

    response = client.post(f"/methodiek/{draft.id}/publiceren", data={})
    assert response.status_code == 302
    assert _reload(MethodiekVersion, draft.id).is_published
    page = client.get(f"/methodiek/{draft.id}").get_data(as_text=True)
    assert '<span class="badge ok">gepubliceerd</span>' in page
    response = client.get(f"/methodiek/{draft.id}/sessies/3/bewerken")
    assert response.status_code == 302  # published: no edit form any more


def test_running_total_is_computed_by_the_server_and_publish_refused_when_not_150(
    login_as, people, published
):
    draft = _draft(published, people["editor"])
    plan = draft.session(2)
    client = login_as(people["editor"])
    response = client.post(
        f"/methodiek/{draft.id}/sessies/2/bewerken",
        data=_form(plan, **{"activities-4-minutes": "30"}),
    )
    assert response.status_code == 302
    page = client.get(f"/methodiek/{draft.id}/sessies/2/bewerken").get_data(as_text=True)
    assert re.search(r'id="minutes-total"[^>]*>140<', page)
    assert "nog 10 minuten te verdelen" in page
    page = client.get(f"/methodiek/{draft.id}").get_data(as_text=True)
    assert "Nog niet klaar om te publiceren" in page
    assert "duren samen 140 minuten" in page
    response = client.post(f"/methodiek/{draft.id}/publiceren", data={}, follow_redirects=True)
    assert "Dit concept kan nog niet worden gepubliceerd" in response.get_data(as_text=True)
    assert not _reload(MethodiekVersion, draft.id).is_published


def test_half_filled_rows_and_junk_get_dutch_messages(login_as, people, published):
    draft = _draft(published, people["editor"])
    plan = draft.session(2)
    client = login_as(people["editor"])
    for changes, message in [
        ({"activities-6-title": "Nieuwe werkvorm"}, "Vul bij werkvorm 7 het aantal minuten in."),
        ({"activities-6-minutes": "10"}, "Werkvorm 7 heeft geen titel."),
        ({"activities-1-minutes": "-5"}, "Vul een aantal minuten in van 1 tot 150."),
        ({"activities-1-minutes": "veel"}, "Vul het aantal minuten in als heel getal"),
        ({"title": ""}, "Vul een titel in."),
        ({"revision": "abc"}, "Laad de pagina opnieuw"),
    ]:
        response = client.post(
            f"/methodiek/{draft.id}/sessies/2/bewerken", data=_form(plan, **changes)
        )
        assert response.status_code == 422, changes
        assert message in response.get_data(as_text=True), changes
    assert _reload(SessionPlan, plan.id).revision == 1


def test_adding_and_removing_work_forms(login_as, people, published):
    draft = _draft(published, people["editor"])
    plan = draft.session(5)
    client = login_as(people["editor"])
    data = _form(
        plan,
        **{
            "activities-6-title": "Ontspanningsoefening",
            "activities-6-minutes": "10",
            "activities-4-minutes": "30",
            # the third row emptied: removed
            "activities-5-title": "",
            "activities-5-minutes": "",
            "activities-5-description": "",
            "activities-7-title": "Afronding",
            "activities-7-minutes": "15",
        },
    )
    assert client.post(f"/methodiek/{draft.id}/sessies/5/bewerken", data=data).status_code == 302
    plan = _reload(SessionPlan, plan.id)
    assert [(a["title"], a["minutes"]) for a in plan.activities] == [
        ("Welkom", 15),
        ("Kringgesprek", 35),
        ("Pauze", 15),
        ("Oefening met kaarten", 30),
        ("Tekenen", 30),
        ("Ontspanningsoefening", 10),
        ("Afronding", 15),
    ]
    assert plan.total_minutes == 150


def test_markdown_preview_escapes_raw_html(login_as, people, published):
    draft = _draft(published, people["editor"])
    plan = draft.session(1)
    client = login_as(people["editor"])
    body = "## Kop\n\n<script>alert(1)</script> en **vet** [link](javascript:alert(2))\n"
    response = client.post(
        f"/methodiek/{draft.id}/sessies/1/bewerken",
        data=_form(plan, body=body, save="", preview="Voorbeeld bekijken"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h2>Kop</h2>" in page and "<strong>vet</strong>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert (
        "<script>alert(1)" not in page
        and "javascript:" not in page.split("preview-title")[1].split("</section>")[0]
    )
    assert _reload(SessionPlan, plan.id).body == plan.body  # a preview saves nothing


def test_second_editor_is_refused_and_keeps_her_text(app, people, published, make_user):
    draft = _draft(published, people["editor"])
    plan = draft.session(4)
    other = make_user("editor", name="Tweede redacteur")
    first, second = app.test_client(), app.test_client()
    login(first, people["editor"])
    login(second, other)
    # Both open the form at revision 1.
    assert 'name="revision" type="hidden" value="1"' in first.get(
        f"/methodiek/{draft.id}/sessies/4/bewerken"
    ).get_data(as_text=True)
    second.get(f"/methodiek/{draft.id}/sessies/4/bewerken")
    response = first.post(
        f"/methodiek/{draft.id}/sessies/4/bewerken",
        data=_form(plan, home_practice="Oefening van de eerste redacteur."),
    )
    assert response.status_code == 302
    response = second.post(
        f"/methodiek/{draft.id}/sessies/4/bewerken",
        data=_form(plan, home_practice="Mijn eigen zorgvuldige tekst."),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Een collega heeft dit intussen opgeslagen" in page
    assert "Mijn eigen zorgvuldige tekst." in page  # her text is still in the form
    assert "<del>" in page and "eerste" in page  # and she sees what the colleague saved
    assert _reload(SessionPlan, plan.id).home_practice == "Oefening van de eerste redacteur."
    # Saving again, now knowingly, goes through.
    revision = re.search(r'name="revision" type="hidden" value="(\d+)"', page).group(1)
    assert revision == "2"
    response = second.post(
        f"/methodiek/{draft.id}/sessies/4/bewerken",
        data=_form(plan, revision=revision, home_practice="Mijn eigen zorgvuldige tekst."),
    )
    assert response.status_code == 302
    assert _reload(SessionPlan, plan.id).home_practice == "Mijn eigen zorgvuldige tekst."


def test_a_save_after_publishing_is_refused_and_the_text_shown(app, people, published):
    draft = _draft(published, people["editor"])
    plan = draft.session(6)
    client = app.test_client()
    login(client, people["editor"])
    client.get(f"/methodiek/{draft.id}/sessies/6/bewerken")
    service.publish(db.session, people["editor"], draft)
    db.session.commit()
    response = client.post(
        f"/methodiek/{draft.id}/sessies/6/bewerken",
        data=_form(plan, culture_notes="Te laat geschreven tekst."),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "is gepubliceerd en verandert niet meer" in page
    assert "Te laat geschreven tekst." in page
    assert ">Opslaan<" not in page and 'value="Opslaan"' not in page
    assert _reload(SessionPlan, plan.id).culture_notes == "Cultuur 6."


def test_handout_edit_conflict_and_staff_view(app, people, published):
    draft = _draft(published, people["editor"])
    handout = next(h for h in draft.handouts if h.filename == "03-blad.md")
    client = app.test_client()
    login(client, people["editor"])
    url = f"/methodiek/{draft.id}/bijlagen/03-blad.md/bewerken"
    assert (
        client.post(
            url, data={"revision": "1", "body": "# Nieuw\n\nTekst.", "save": "x"}
        ).status_code
        == 302
    )
    response = client.post(url, data={"revision": "1", "body": "# Ander\n", "save": "x"})
    assert response.status_code == 409 and "# Ander" in response.get_data(as_text=True)
    assert _reload(type(handout), handout.id).body == "# Nieuw\n\nTekst.\n"
    page = client.get(f"/methodiek/{draft.id}/bijlagen/03-blad.md").get_data(as_text=True)
    assert "<h1>Nieuw</h1>" in page
    response = client.post(
        url, data={"revision": "2", "body": "# Blad\n\nOver huiselijk geweld.", "save": "x"}
    )
    assert response.status_code == 302  # saved as a draft, but publishing is refused
    page = client.get(f"/methodiek/{draft.id}").get_data(as_text=True)
    assert "regel 3" not in page  # stored in the database: no file lines
    assert "Bijlage Blad: woorden die een deelnemer kunnen verraden: &#39;huiselijk&#39;" in page
    assert "bijlagen/03-blad.md:" not in page  # the part, not its file


# --- attachments -----------------------------------------------------------------------------


def _stored(app) -> set[str]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return {p.name for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _upload(client, draft, name, data, number=1):
    import io

    return client.post(
        f"/methodiek/{draft.id}/sessies/{number}/bestanden",
        data={"upload-file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("werkblad.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500, "is een Windows-programma"),
        ("foto.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 500, "is een programma (Linux)"),
        ("../../../etc/cron.d/x.pdf", PDF, "verwijst naar een map"),
        ("leeg.pdf", b"", "is leeg"),
        ("te-groot.pdf", PDF + b"0" * (1024 * 1024), "groter dan de grens van 1 MB"),
        ("veel-te-groot.pdf", PDF + b"0" * (2 * 1024 * 1024), "te groot: de grens is 1 MB"),
    ],
)
def test_bad_uploads_get_a_dutch_message_and_nothing_is_stored(
    app, login_as, people, published, name, data, message
):
    draft = _draft(published, people["editor"])
    set_setting(db.session, "max_upload_mb", 1)
    db.session.commit()
    before = _stored(app)
    client = login_as(people["editor"])
    response = _upload(client, draft, name, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "Er is niets opgeslagen" in page
    assert _stored(app) == before
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_upload_without_a_file_and_junk(login_as, people, published):
    draft = _draft(published, people["editor"])
    client = login_as(people["editor"])
    response = client.post(
        f"/methodiek/{draft.id}/sessies/1/bestanden",
        data={"upload-file": "geen bestand"},
        follow_redirects=True,
    )
    assert "Kies een bestand om te uploaden." in response.get_data(as_text=True)


def test_good_upload_then_download_and_it_carries_over(app, login_as, people, published):
    draft = _draft(published, people["editor"])
    client = login_as(people["editor"])
    data = PNG + b"uniek-plaatje"
    response = _upload(client, draft, "Plaatje van de golf.pdf", data, number=3)
    assert "Bestand Plaatje_van_de_golf.png toegevoegd." in response.get_data(as_text=True)
    attachment = db.session.scalar(sa.select(Attachment))
    assert attachment.content_type == "image/png" and attachment.size == len(data)
    digest = uploads.sha256_hex(data)
    assert attachment.sha256 == digest
    path = uploads.blob_path(app.config["UPLOAD_FOLDER"], digest)
    assert path.read_bytes() == data
    assert "static" not in path.parts

    download = client.get(f"/methodiek/bestanden/{attachment.id}")
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == "image/png"
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=Plaatje_van_de_golf.png"
    )
    assert download.headers["X-Content-Type-Options"] == "nosniff"

    # Published, then a new draft: the file is there again, same hash, no second copy.
    service.publish(db.session, people["editor"], _reload(MethodiekVersion, draft.id))
    db.session.commit()
    stored = _stored(app)
    newer = service.create_draft(db.session, people["editor"])
    db.session.commit()
    carried = newer.session(3).attachments
    assert [(a.filename, a.sha256) for a in carried] == [("Plaatje_van_de_golf.png", digest)]
    assert _stored(app) == stored
    # Without the tick it stays, with a message.
    response = client.post(
        f"/methodiek/bestanden/{carried[0].id}/verwijderen", follow_redirects=True
    )
    assert "Vink aan dat u het bestand wilt weghalen" in response.get_data(as_text=True)
    assert len(_reload(MethodiekVersion, newer.id).session(3).attachments) == 1
    # Taking it off the new draft leaves the published version's file alone.
    response = client.post(
        f"/methodiek/bestanden/{carried[0].id}/verwijderen", data={"confirm": "y"}
    )
    assert response.status_code == 302
    assert client.get(f"/methodiek/bestanden/{attachment.id}").data == data


# --- groups ----------------------------------------------------------------------------------


def _running_group(make_group, facilitators=None):
    """A group whose first three meetings have been held."""
    today = date.today()
    first = first_on_weekday(today - timedelta(days=20), today.weekday())
    return make_group(first_date=first, start=time(10, 0), facilitators=facilitators)


def _publish_second(editor, number=8):
    draft = service.create_draft(db.session, editor)
    plan = draft.session(number)
    activities = [dict(a) for a in plan.activities]
    activities[0]["minutes"], activities[1]["minutes"] = 20, 30
    plan.activities = activities
    service.publish(db.session, editor, draft)
    db.session.commit()
    return draft


def test_group_page_tells_of_a_newer_version_and_moves_the_coming_meetings(
    app, people, published, make_group, make_user
):
    group = _running_group(make_group)
    page = app.test_client()
    login(page, group.facilitator_a)
    assert "nieuwere versie" not in page.get(f"/groepen/{group.id}").get_data(as_text=True)
    # which version is the newest is kept until anything changes; publishing one is a change
    again, statements = page_and_statements(page, f"/groepen/{group.id}")
    assert "nieuwere versie" not in again
    assert not any("methodiek_versions.status" in s for s in statements)
    newer = _publish_second(people["editor"])
    html = page.get(f"/groepen/{group.id}").get_data(as_text=True)
    assert "Er is een nieuwere versie van de methodiek" in html
    assert "Versie <strong>2026.2</strong>" in html
    assert "Bijeenkomst 8" in html and "<del>15</del><ins>20</ins>" in html
    assert "overzetten naar versie 2026.2" in html

    outsider = app.test_client()
    login(outsider, make_user("facilitator"))
    assert (
        outsider.post(
            f"/groepen/{group.id}/methodiek-overstappen", data={"version_id": newer.id}
        ).status_code
        == 404
    )
    case_worker = app.test_client()
    login(case_worker, people["case_worker"])
    assert (
        case_worker.post(
            f"/groepen/{group.id}/methodiek-overstappen", data={"version_id": newer.id}
        ).status_code
        == 404
    )

    response = page.post(
        f"/groepen/{group.id}/methodiek-overstappen",
        data={"version_id": newer.id},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    db.session.expire_all()
    now = utcnow()
    sessions = db.session.get(type(group), group.id).sessions
    held = [gs for gs in sessions if gs.start_dt <= now]
    coming = [gs for gs in sessions if gs.start_dt > now]
    assert len(held) >= 2 and len(coming) >= 8
    assert f"De {len(coming)} bijeenkomsten die nog komen gebruiken nu methodiek 2026.2" in html
    assert "Er is een nieuwere versie" not in html
    assert {gs.methodiek_version_id for gs in held} == {published.id}
    assert {gs.methodiek_version_id for gs in coming} == {newer.id}


def test_meeting_page_prepares_from_the_plan_with_clock_times(app, login_as, published, make_group):
    group = make_group(first_date=date(2026, 9, 7), start=time(13, 30))
    plan = db.session.scalar(
        sa.select(SessionPlan).where(
            SessionPlan.version_id == published.id, SessionPlan.number == 2
        )
    )
    data = PDF + b"% voorbereiding"
    uploads.store_blob(app.config["UPLOAD_FOLDER"], data)
    plan.attachments.append(
        Attachment(
            filename="werkblad.pdf",
            content_type="application/pdf",
            size=len(data),
            sha256=uploads.sha256_hex(data),
            created_dt=utcnow(),
        )
    )
    db.session.commit()
    captured = []

    def record(sender, template, context, **extra):
        captured.append((template.name, context))

    template_rendered.connect(record, app)
    try:
        client = login_as(group.facilitator_a)
        response = client.get(f"/groepen/{group.id}/bijeenkomsten/2")
    finally:
        template_rendered.disconnect(record, app)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Voorbereiding: Thema 2" in html
    for line in [
        "13:30–13:45</td>",
        "13:45–14:20</td>",
        "14:20–14:35</td>",
        "14:35–15:05</td>",
        "15:05–15:45</td>",
        "15:45–16:00</td>",
    ]:
        assert line in html
    assert html.index("13:30–13:45") < html.index("Welkom") < html.index("14:20–14:35")
    assert re.search(
        r"14:20–14:35</td>\s*<td><strong>Pauze</strong> <span class=\"badge\">pauze", html
    )
    assert 'type="checkbox" id="material-1"> <label for="material-1">flip-over</label>' in html
    assert f'href="/methodiek/{published.id}/bijlagen/02-blad.md"' in html
    assert "werkblad.pdf" in html
    assert "Oefening 2 voor thuis." in html and "Cultuur 2." in html and "Plaatjes 2." in html
    assert "Waar bijeenkomst 2 over gaat" in html and "Doel 2a" in html
    context = next(c for name, c in captured if name == "evaluations/_session_panel.html")
    assert "previous_evaluation" in context and context["previous_evaluation"] is None
    assert "Vorige bijeenkomst" in html  # notes and attendance of the previous one stay


def test_handout_page_for_staff_renders_markdown(login_as, people, published):
    client = login_as(people["facilitator"])
    page = client.get(f"/methodiek/{published.id}/bijlagen/05-blad.md").get_data(as_text=True)
    assert "<h1>Blad 5</h1>" in page
    assert client.get(f"/methodiek/{published.id}/bijlagen/../methodiek.yaml").status_code == 404


# --- query counts ----------------------------------------------------------------------------


def _count(client, url, app):
    with count_queries(db.engine) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return queries()


def test_index_query_count_does_not_grow_with_versions(app, login_as, people, published):
    client = login_as(people["editor"])
    small = _count(client, "/methodiek", app)
    for label in ("2026.2", "2026.3", "2026.4"):
        publish_content(db.session, label)
    _draft(published, people["editor"])
    assert _count(client, "/methodiek", app) == small


def test_session_edit_and_version_pages_do_not_grow_with_their_content(
    app, login_as, people, published
):
    draft = _draft(published, people["editor"])
    client = login_as(people["editor"])
    edit_small = _count(client, f"/methodiek/{draft.id}/sessies/1/bewerken", app)
    version_small = _count(client, f"/methodiek/{draft.id}", app)
    for number in (1, 2):
        plan = draft.session(number)
        plan.activities = plan.activities + [
            {"title": f"Extra {i}", "minutes": 1, "description": ""} for i in range(12)
        ]
        for i in range(6):
            plan.attachments.append(
                Attachment(
                    filename=f"b{i}.pdf",
                    content_type="application/pdf",
                    size=1,
                    sha256=f"{i:064x}",
                    created_dt=utcnow(),
                )
            )
    db.session.commit()
    assert _count(client, f"/methodiek/{draft.id}/sessies/1/bewerken", app) == edit_small
    assert _count(client, f"/methodiek/{draft.id}", app) == version_small


def test_preparation_page_query_count_does_not_grow(app, login_as, published, make_group):
    group = make_group(first_date=date(2026, 9, 7))
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}/bijeenkomsten/2"
    small = _count(client, url, app)
    plan = db.session.scalar(
        sa.select(SessionPlan).where(
            SessionPlan.version_id == published.id, SessionPlan.number == 2
        )
    )
    plan.handout_files = [h.filename for h in published.handouts]
    plan.materials = [f"ding {i}" for i in range(20)]
    for i in range(5):
        plan.attachments.append(
            Attachment(
                filename=f"b{i}.pdf",
                content_type="application/pdf",
                size=1,
                sha256=f"{i:064x}",
                created_dt=utcnow(),
            )
        )
    db.session.commit()
    html_count = _count(client, url, app)
    assert html_count == small


def test_group_page_query_count_with_the_notice(app, login_as, people, published, make_group):
    group = _running_group(make_group)
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}"
    _publish_second(people["editor"], number=8)
    small = _count(client, url, app)
    assert "nieuwere versie" in client.get(url).get_data(as_text=True)
    publish_content(db.session, "2026.5")
    assert _count(client, url, app) == small


def test_documents_handouts_and_draft_details(login_as, people, published):
    draft = _draft(published, people["editor"])
    client = login_as(people["editor"])
    url = f"/methodiek/{draft.id}/document-bewerken/werving/verwijzers.yaml"
    response = client.post(url, data={"revision": "1", "body": "referrers: [\n", "save": "x"})
    assert response.status_code == 422
    assert "De tekst is geen geldige YAML" in response.get_data(as_text=True)

    url = f"/methodiek/{draft.id}/bijlage-toevoegen"
    response = client.post(url, data={"filename": "../Mijn Blad", "body": "# Blad"})
    assert response.status_code == 422 and "kleine letters" in response.get_data(as_text=True)
    response = client.post(url, data={"filename": "13-extra", "body": "# Extra blad"})
    assert response.status_code == 302
    page = client.get(f"/methodiek/{draft.id}").get_data(as_text=True)
    assert "Bijlage Extra blad: geen enkele bijeenkomst noemt deze bijlage" in page
    # Removing the unused handout needs the tick; without it the handout stays.
    names = lambda: [h.filename for h in _reload(MethodiekVersion, draft.id).handouts]  # noqa: E731
    extra = next(name for name in names() if name.startswith("13-extra"))
    delete_url = f"/methodiek/{draft.id}/bijlagen/{extra}/verwijderen"
    page = client.post(delete_url, follow_redirects=True).get_data(as_text=True)
    assert "Vink aan dat u de bijlage wilt verwijderen" in page
    assert extra in names()
    response = client.post(delete_url, data={"confirm": "y"}, follow_redirects=True)
    assert f"Bijlage {extra} verwijderd uit het concept." in response.get_data(as_text=True)
    assert extra not in names()
    assert db.session.scalars(
        sa.select(AuditEntry.detail).where(AuditEntry.action == "methodiek_handout_removed")
    ).all() == [extra]

    # refused: said beside the field, and the description she wrote is still there
    response = client.post(
        f"/methodiek/{draft.id}/gegevens",
        data={
            "v-label": published.label,
            "v-title": "Een veilig thuis",
            "v-description": "Sessie 4 en 5 omgewisseld.",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Er is al een versie 2026.1" in page.split('id="v-label-error"', 1)[1]
    assert "Sessie 4 en 5 omgewisseld." in page.split('id="v-description"', 1)[1]
    assert _reload(MethodiekVersion, draft.id).description != "Sessie 4 en 5 omgewisseld."
    response = client.post(
        f"/methodiek/{draft.id}/gegevens",
        data={"v-label": "2027.1", "v-title": "Een veilig thuis", "v-description": "Nieuw."},
    )
    assert _reload(MethodiekVersion, draft.id).label == "2027.1"

    response = client.post(f"/methodiek/{draft.id}/verwijderen", follow_redirects=True)
    assert "Vink aan dat u het concept wilt weggooien" in response.get_data(as_text=True)
    assert _reload(MethodiekVersion, draft.id) is not None
    response = client.post(
        f"/methodiek/{draft.id}/verwijderen", data={"confirm": "y"}, follow_redirects=True
    )
    assert "Het concept is verwijderd." in response.get_data(as_text=True)
    assert _reload(MethodiekVersion, draft.id) is None
    assert _reload(MethodiekVersion, published.id).is_published
