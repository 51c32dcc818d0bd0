"""Versions, drafts, editing, publishing, attachments, moving groups, preparation (no HTTP)."""

import io
import zipfile
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from tests.methodiek.factories import make_content
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.methodiek import attachments, editing, meetings, service, uploads
from veiligthuis.methodiek.files import content_files, write_folder
from veiligthuis.methodiek.loader import read_folder
from veiligthuis.methodiek.models import Attachment, MethodiekVersion, SessionPlan
from veiligthuis.models import DomainError
from veiligthuis.sessions.models import GroupSession
from veiligthuis.sessions.schedule import TZ

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _edit(plan: SessionPlan, **changes) -> editing.SessionEdit:
    values = dict(
        title=plan.title,
        theme=plan.theme,
        goals=list(plan.goals),
        activities=[dict(a) for a in plan.activities],
        materials=list(plan.materials),
        handouts=list(plan.handout_files),
        home_practice=plan.home_practice,
        culture_notes=plan.culture_notes,
        low_literacy_notes=plan.low_literacy_notes,
        body=plan.body,
    )
    values.update(changes)
    return editing.SessionEdit(**values)


def _draft(make_user):
    editor = make_user("editor")
    draft = service.create_draft(db.session, editor)
    db.session.commit()
    return editor, draft


def test_import_then_back_to_files_is_the_same(app_ctx, tmp_path):
    root = tmp_path / "in"
    write_folder(make_content(), root)
    content, problems = read_folder(root)
    assert problems == []
    version = service.import_content(db.session, content)
    db.session.commit()
    db.session.expire_all()
    again = service.version_to_content(service.load_version(db.session, version.id))
    files = content_files(again)
    on_disk = {
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
    }
    assert files == on_disk
    assert version.is_published and version.published_dt is not None


def test_import_refuses_a_label_that_exists(published):
    with pytest.raises(DomainError, match="Er is al een versie 2026.1"):
        service.import_content(db.session, make_content("2026.1"))


def test_a_draft_copies_the_latest_published_version_and_shares_its_files(
    published, make_user, app
):
    editor = make_user("editor")
    plan = published.session(2)
    data = PDF + b"shared"
    uploads.store_blob(app.config["UPLOAD_FOLDER"], data)
    plan.attachments.append(
        Attachment(
            filename="kaart.pdf",
            content_type="application/pdf",
            size=len(data),
            sha256=uploads.sha256_hex(data),
            created_dt=datetime.now(TZ),
        )
    )
    db.session.commit()
    draft = service.create_draft(db.session, editor)
    db.session.commit()
    assert draft.status == "draft" and draft.label == "2026.2" and draft.based_on_id == published.id
    assert (
        service.version_to_content(draft).sessions == service.version_to_content(published).sessions
    )
    copied = draft.session(2).attachments
    assert [(a.filename, a.sha256) for a in copied] == [("kaart.pdf", uploads.sha256_hex(data))]
    assert copied[0].id != plan.attachments[0].id
    with pytest.raises(DomainError, match="al een concept"):
        service.create_draft(db.session, editor)


def test_no_draft_before_anything_is_published(app_ctx, make_user):
    with pytest.raises(DomainError, match="nog geen gepubliceerde methodiek"):
        service.create_draft(db.session, make_user("editor"))


def test_a_published_version_never_changes(published, make_user, app):
    editor = make_user("editor")
    before = content_files(service.version_to_content(published))
    plan = published.session(1)
    handout = published.handouts[0]
    document = published.documents[0]
    attempts = [
        lambda: service.save_session(
            db.session, editor, plan, plan.revision, _edit(plan, title="Anders")
        ),
        lambda: service.save_handout(db.session, editor, handout, handout.revision, "# Anders\n"),
        lambda: service.save_document(
            db.session, editor, document, document.revision, "# Anders\n"
        ),
        lambda: service.add_handout(db.session, editor, published, "99-nieuw.md", "# Nieuw\n"),
        lambda: service.delete_handout(db.session, editor, handout),
        lambda: service.update_version_details(
            db.session, editor, published, label="9.9", title="X", description=""
        ),
        lambda: service.publish(db.session, editor, published),
        lambda: service.delete_draft(db.session, editor, published),
        lambda: attachments.add_attachment(
            db.session,
            editor,
            plan,
            filename="a.pdf",
            data=PDF,
            upload_folder=app.config["UPLOAD_FOLDER"],
            max_bytes=10**6,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError, match="is gepubliceerd en verandert niet meer"):
            attempt()
        db.session.rollback()
    db.session.expire_all()
    after = content_files(
        service.version_to_content(service.load_version(db.session, published.id))
    )
    assert after == before
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_saving_raises_the_revision_only_when_the_text_changed(published, make_user):
    editor, draft = _draft(make_user)
    plan = draft.session(3)
    assert plan.revision == 1
    assert service.save_session(db.session, editor, plan, 1, _edit(plan)) is False
    db.session.commit()
    assert plan.revision == 1
    activities = [dict(a) for a in plan.activities]
    activities[1]["minutes"], activities[3]["minutes"] = 30, 35
    assert service.save_session(db.session, editor, plan, 1, _edit(plan, activities=activities))
    db.session.commit()
    assert plan.revision == 2
    assert [a["minutes"] for a in plan.activities] == [15, 30, 15, 35, 40, 15]


def test_a_save_from_an_old_revision_is_refused(published, make_user):
    editor, draft = _draft(make_user)
    plan = draft.session(4)
    service.save_session(db.session, editor, plan, 1, _edit(plan, title="Eerste collega"))
    db.session.commit()
    with pytest.raises(DomainError, match="Een collega heeft dit intussen opgeslagen"):
        service.save_session(db.session, editor, plan, 1, _edit(plan, title="Tweede collega"))
    db.session.rollback()
    assert db.session.get(SessionPlan, plan.id).title == "Eerste collega"


def test_two_saves_racing_past_the_check_cannot_both_win(published, make_user, app):
    """The ORM's revision guard: the second UPDATE finds no row with the old revision."""
    editor, draft = _draft(make_user)
    plan = draft.session(5)
    plan_id = plan.id
    with so.Session(db.engine) as other:
        theirs = other.get(SessionPlan, plan_id)
        theirs.title = "Van de ander"
        # Ours read revision 1 too; the other session commits first.
        assert plan.revision == 1
        other.commit()
    with pytest.raises(DomainError, match="Een collega heeft dit intussen opgeslagen"):
        service.save_session(db.session, editor, plan, 1, _edit(plan, title="Van mij"))
    db.session.rollback()
    assert db.session.get(SessionPlan, plan_id).title == "Van de ander"


def test_publish_is_refused_while_the_minutes_do_not_add_up(published, make_user):
    editor, draft = _draft(make_user)
    plan = draft.session(6)
    activities = [dict(a) for a in plan.activities]
    activities[0]["minutes"] = 5
    service.save_session(db.session, editor, plan, 1, _edit(plan, activities=activities))
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        service.publish(db.session, editor, draft)
    assert "kan nog niet worden gepubliceerd" in refused.value.message
    assert "duren samen 140 minuten" in refused.value.message
    db.session.rollback()
    assert db.session.get(MethodiekVersion, draft.id).status == "draft"


def test_publish_then_a_late_save_is_refused(published, make_user):
    editor, draft = _draft(make_user)
    plan = draft.session(7)
    started_from = plan.revision
    service.publish(db.session, editor, draft)
    db.session.commit()
    assert draft.is_published and draft.published_by_id == editor.id
    assert service.latest_published_version(db.session).id == draft.id
    with pytest.raises(DomainError, match="gepubliceerd en verandert niet meer"):
        service.save_session(db.session, editor, plan, started_from, _edit(plan, title="Te laat"))
    db.session.rollback()
    assert db.session.get(SessionPlan, plan.id).title == "Thema 7"
    assert (
        db.session.scalar(
            sa.select(AuditEntry.detail).where(AuditEntry.action == "methodiek_publish")
        )
        == "versie 2026.2"
    )


def test_text_from_a_form_is_normalised(published, make_user):
    editor, draft = _draft(make_user)
    plan = draft.session(8)
    service.save_session(
        db.session,
        editor,
        plan,
        1,
        _edit(
            plan,
            title="  Nieuwe   titel ",
            goals=["een", "  ", "twee "],
            body="## Kop\r\n\r\nTekst   \r\n\r\n\r\n",
            home_practice="regel 1  \r\nregel 2\r\n",
        ),
    )
    assert plan.title == "Nieuwe titel"
    assert plan.goals == ["een", "twee"]
    assert plan.body == "## Kop\n\nTekst\n"
    assert plan.home_practice == "regel 1\nregel 2"


# --- attachments ---------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip(
    {
        "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" ContentType="'
        b'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        b"</Types>",
        "word/document.xml": b"<w:document/>",
    }
)
PPTX = _zip(
    {
        "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-'
        b'officedocument.presentationml.presentation.main+xml"/></Types>',
    }
)
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
DOCM = _zip(
    {
        "[Content_Types].xml": b"wordprocessingml.document.main+xml",
        "word/vbaProject.bin": b"macro",
    }
)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, "jpg"),
        (b"ID3\x04\0\0\0\0\0\0" + b"\0" * 20, "mp3"),
        (b"\xff\xfb\x90\x64" + b"\0" * 20, "mp3"),
        (b"\0\0\0\x18ftypmp42\0\0\0\0", "mp4"),
        (DOCX, "docx"),
        (PPTX, "pptx"),
        (ODT, "odt"),
        (DOCM, None),
        (_zip({"a.txt": b"x"}), None),
        (b"MZ\x90\0" + b"\0" * 60, None),
        (b"\x7fELF\x02\x01\x01" + b"\0" * 20, None),
        (b"<html><script>alert(1)</script>", None),
        (b"PK\x03\x04 not really a zip", None),
    ],
)
def test_the_kind_of_a_file_comes_from_its_bytes(data, kind):
    assert uploads.detect_kind(data) == kind


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("Werkblad sessie 3.pdf", "pdf", "Werkblad_sessie_3.pdf"),
        ("foto.JPEG", "jpg", "foto.jpg"),
        ("plaatje.pdf", "png", "plaatje.png"),
        ("lied", "mp3", "lied.mp3"),
        ("notities.txt", "pdf", "notities_txt.pdf"),
        ("???", "pdf", "bijlage.pdf"),
        ("café.docx", "docx", "cafe.docx"),
    ],
)
def test_names_are_cleaned_and_get_the_extension_of_their_content(name, kind, expected):
    assert uploads.clean_filename(name, kind) == expected


def _stored(folder) -> set[str]:
    from pathlib import Path

    root = Path(folder)
    return {p.name for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("handleiding.pdf", b"MZ\x90\x00" + b"\x00" * 200, "is een Windows-programma"),
        ("werkblad.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "is een programma (Linux)"),
        ("script.docx", b"#!/bin/sh\nrm -rf /\n", "is een script"),
        ("../../etc/passwd.pdf", PDF, "verwijst naar een map"),
        ("..\\..\\boot.pdf", PDF, "verwijst naar een map"),
        ("leeg.pdf", b"", "is leeg"),
        ("groot.pdf", PDF + b"x" * 2000, "groter dan de grens van 1 kB"),
        ("", PDF, "Kies een bestand"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    published, make_user, app, filename, data, message
):
    editor, draft = _draft(make_user)
    folder = app.config["UPLOAD_FOLDER"]
    before = _stored(folder)
    with pytest.raises(DomainError, match=message.replace("(", r"\(").replace(")", r"\)")):
        attachments.add_attachment(
            db.session,
            editor,
            draft.session(1),
            filename=filename,
            data=data,
            upload_folder=folder,
            max_bytes=1000,
        )
    db.session.rollback()
    assert _stored(folder) == before
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_a_good_upload_is_stored_once_by_its_hash(published, make_user, app):
    editor, draft = _draft(make_user)
    folder = app.config["UPLOAD_FOLDER"]
    data = PDF + b"% uniek " + str(id(draft)).encode()
    attachment = attachments.add_attachment(
        db.session,
        editor,
        draft.session(1),
        filename="Werkblad.pdf",
        data=data,
        upload_folder=folder,
        max_bytes=10**6,
    )
    db.session.commit()
    digest = uploads.sha256_hex(data)
    assert attachment.sha256 == digest and attachment.content_type == "application/pdf"
    assert uploads.blob_path(folder, digest).read_bytes() == data
    assert "static" not in str(uploads.blob_path(folder, digest))
    with pytest.raises(DomainError, match="hangt al bij deze bijeenkomst"):
        attachments.add_attachment(
            db.session,
            editor,
            draft.session(1),
            filename="nog een keer.pdf",
            data=data,
            upload_folder=folder,
            max_bytes=10**6,
        )


# --- groups and versions -------------------------------------------------------------------


def _second_version(make_user, change_session: int = 9):
    """Publish 2026.2 from a draft in which one session's minutes changed."""
    editor, draft = _draft(make_user)
    plan = draft.session(change_session)
    activities = [dict(a) for a in plan.activities]
    activities[1]["minutes"], activities[4]["minutes"] = 45, 30
    service.save_session(db.session, editor, plan, 1, _edit(plan, activities=activities))
    service.publish(db.session, editor, draft)
    db.session.commit()
    return draft


def test_a_running_group_moves_only_the_meetings_not_yet_held(published, make_group, make_user):
    group = make_group(first_date=date(2026, 9, 7))
    assert group.methodiek_version_id == published.id
    assert {gs.methodiek_version_id for gs in group.sessions} == {published.id}
    newer = _second_version(make_user, change_session=10)
    cancelled = group.sessions[8]
    cancelled.status = "cancelled"
    db.session.commit()
    now = group.sessions[3].start_dt + timedelta(hours=3)  # meetings 1-4 have been held

    notice = meetings.version_notice(db.session, group, now)
    assert notice.latest.id == newer.id
    assert [v.label for v in notice.current] == ["2026.1"]
    assert [gs.number for gs in notice.movable] == [5, 6, 7, 8, 10, 11, 12]
    assert list(notice.diffs) == [10]
    moved = meetings.move_group_to_version(db.session, group.facilitator_a, group, newer, now)
    db.session.commit()
    assert moved == 7
    by_number = {gs.number: gs.methodiek_version_id for gs in group.sessions if gs.number}
    assert [by_number[n] for n in (1, 2, 3, 4)] == [published.id] * 4
    assert all(by_number[n] == newer.id for n in (5, 6, 7, 8, 10, 11, 12))
    assert cancelled.methodiek_version_id == published.id
    assert group.methodiek_version_id == published.id  # it started with 2026.1
    assert meetings.version_notice(db.session, group, now) is None
    with pytest.raises(DomainError, match="geen bijeenkomsten meer"):
        meetings.move_group_to_version(db.session, group.facilitator_a, group, newer, now)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "methodiek_move"))
    assert entry.object_id == group.id and "naar versie 2026.2" in entry.detail


def test_the_notice_shows_the_changed_sessions(published, make_group, make_user):
    group = make_group(first_date=date(2026, 9, 7))
    _second_version(make_user, change_session=10)
    now = group.sessions[0].start_dt - timedelta(days=1)
    notice = meetings.version_notice(db.session, group, now)
    assert list(notice.diffs) == [10]
    html = str(notice.diffs[10].html)
    assert "<del>35</del>" in html and "<ins>45</ins>" in html
    assert "<del>40</del>" in html and "<ins>30</ins>" in html
    meetings.move_group_to_version(db.session, group.facilitator_a, group, notice.latest, now)
    assert group.methodiek_version_id == notice.latest.id  # nothing held yet


def test_moving_to_an_older_or_unpublished_version_is_refused(published, make_group, make_user):
    group = make_group(first_date=date(2026, 9, 7))
    editor, draft = _draft(make_user)
    now = group.sessions[0].start_dt - timedelta(days=1)
    with pytest.raises(DomainError, match="Alleen een gepubliceerde versie"):
        meetings.move_group_to_version(db.session, editor, group, draft, now)
    assert meetings.version_notice(db.session, group, now) is None


def test_preparation_gives_clock_times_from_the_meeting_start(published, make_group):
    group = make_group(first_date=date(2026, 9, 7), start=time(10, 0))
    gs = next(s for s in group.sessions if s.number == 2)
    prep = meetings.session_preparation(db.session, gs)
    times = [(a.start.strftime("%H:%M"), a.end.strftime("%H:%M"), a.title) for a in prep.timeline]
    assert times == [
        ("10:00", "10:15", "Welkom"),
        ("10:15", "10:50", "Kringgesprek"),
        ("10:50", "11:05", "Pauze"),
        ("11:05", "11:35", "Oefening met kaarten"),
        ("11:35", "12:15", "Tekenen"),
        ("12:15", "12:30", "Afsluiting"),
    ]
    assert [a.is_break for a in prep.timeline] == [False, False, True, False, False, False]
    assert prep.end_mismatch is False
    assert [h.filename for h in prep.handouts] == ["02-blad.md"]


def test_preparation_follows_a_moved_meeting_and_its_own_version(published, make_group):
    group = make_group(first_date=date(2026, 3, 23), start=time(19, 30))
    gs = next(s for s in group.sessions if s.number == 2)  # 30 March: summer time
    assert gs.start_dt.astimezone(TZ).utcoffset() == timedelta(hours=2)
    prep = meetings.session_preparation(db.session, gs)
    assert prep.timeline[0].start.strftime("%H:%M") == "19:30"
    assert prep.timeline[-1].end.strftime("%H:%M") == "22:00"
    gs.methodiek_version_id = None
    assert meetings.session_preparation(db.session, gs) is None
    assert isinstance(gs, GroupSession)
