"""Loading, validating, versioning and editing the method material.

A published version never changes. Editors work in one draft at a time, a copy of the latest
published version; every edit carries the revision it started from and is refused when someone
saved or published in between. Groups pin a version; their meetings not yet held can move on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from markupsafe import Markup
from sqlalchemy.orm.exc import StaleDataError

from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.methodiek import uploads
from veiligthuis.methodiek.checks import validate_content
from veiligthuis.methodiek.content import (
    BREAK_KIND,
    HANDOUT_FILE,
    Content,
    Problem,
    SessionContent,
    canonical_activity,
    is_break,
)
from veiligthuis.methodiek.diff import changed_words, word_diff
from veiligthuis.methodiek.files import dump_yaml
from veiligthuis.methodiek.models import (
    QUESTION_SET_KINDS,
    Attachment,
    Handout,
    MethodiekDocument,
    MethodiekVersion,
    QuestionSet,
    SessionPlan,
)
from veiligthuis.methodiek.yaml_lines import parse_yaml
from veiligthuis.models import DomainError, utcnow

PUBLISHED_REFUSAL = (
    "Versie {label} is gepubliceerd en verandert niet meer. Maak een nieuw concept om iets te "
    "wijzigen."
)
CONFLICT_REFUSAL = (
    "Een collega heeft dit intussen opgeslagen. Uw wijzigingen zijn niet opgeslagen; ze staan "
    "hieronder nog in het formulier. Bekijk wat er veranderd is en sla daarna opnieuw op."
)


def latest_published_version(db_session: so.Session) -> MethodiekVersion | None:
    """The newest published version, or None before the first import."""
    return db_session.scalar(
        sa.select(MethodiekVersion)
        .where(MethodiekVersion.status == "published")
        .order_by(MethodiekVersion.published_dt.desc(), MethodiekVersion.id.desc())
        .limit(1)
    )


def list_versions(db_session: so.Session) -> list[MethodiekVersion]:
    """Every version, newest first, with who published it."""
    return list(
        db_session.scalars(
            sa.select(MethodiekVersion)
            .options(so.joinedload(MethodiekVersion.published_by))
            .order_by(
                (MethodiekVersion.status == "draft").desc(),
                MethodiekVersion.published_dt.desc(),
                MethodiekVersion.id.desc(),
            )
        )
    )


def current_draft(db_session: so.Session) -> MethodiekVersion | None:
    """The draft being edited, if any."""
    return db_session.scalar(
        sa.select(MethodiekVersion).where(MethodiekVersion.status == "draft").limit(1)
    )


def load_version(db_session: so.Session, version_id: int) -> MethodiekVersion | None:
    """A version with all its parts loaded (a fixed number of queries)."""
    return db_session.scalar(
        sa.select(MethodiekVersion)
        .where(MethodiekVersion.id == version_id)
        .options(
            so.joinedload(MethodiekVersion.published_by),
            so.joinedload(MethodiekVersion.based_on),
            so.selectinload(MethodiekVersion.sessions).selectinload(SessionPlan.attachments),
            so.selectinload(MethodiekVersion.handouts),
            so.selectinload(MethodiekVersion.question_sets),
            so.selectinload(MethodiekVersion.documents),
        )
    )


def load_session_plan(db_session: so.Session, version_id: int, number: int) -> SessionPlan | None:
    """Session ``number`` of a version, with its version and attachments."""
    return db_session.scalar(
        sa.select(SessionPlan)
        .where(SessionPlan.version_id == version_id, SessionPlan.number == number)
        .options(so.joinedload(SessionPlan.version), so.selectinload(SessionPlan.attachments))
    )


def _require_draft(version: MethodiekVersion) -> None:
    if version.is_published:
        raise DomainError(PUBLISHED_REFUSAL.format(label=version.label))


# --- files <-> versions --------------------------------------------------------------------


def version_to_content(version: MethodiekVersion) -> Content:
    """A version as file content (for export and for checking)."""
    return Content(
        meta={"title": version.title, "version": version.label, "description": version.description},
        sessions=[
            SessionContent(
                number=plan.number,
                slug=plan.slug,
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
            for plan in sorted(version.sessions, key=lambda p: p.number)
        ],
        handouts={h.filename: h.body for h in sorted(version.handouts, key=lambda h: h.filename)},
        question_sets={q.kind: q.data for q in sorted(version.question_sets, key=lambda q: q.kind)},
        documents={d.path: d.body for d in sorted(version.documents, key=lambda d: d.path)},
    )


def version_problems(version: MethodiekVersion) -> list[Problem]:
    """What keeps a version from being published (empty: it can be published)."""
    return validate_content(version_to_content(version))


def import_content(
    db_session: so.Session, content: Content, actor: User | None = None
) -> MethodiekVersion:
    """Store ``content`` (already checked) as a new published version."""
    label = (content.meta.get("version") or "").strip()
    _check_label_free(db_session, label, None)
    version = MethodiekVersion(
        label=label,
        title=content.meta.get("title") or "",
        description=content.meta.get("description") or "",
        status="published",
        published_dt=utcnow(),
        published_by_id=actor.id if actor is not None else None,
    )
    for session in content.sessions:
        version.sessions.append(
            SessionPlan(
                number=session.number,
                slug=session.slug,
                title=session.title,
                theme=session.theme,
                goals=list(session.goals),
                activities=[canonical_activity(a) for a in session.activities],
                materials=list(session.materials),
                handout_files=list(session.handouts),
                home_practice=session.home_practice,
                culture_notes=session.culture_notes,
                low_literacy_notes=session.low_literacy_notes,
                body=session.body,
            )
        )
    for name, body in content.handouts.items():
        version.handouts.append(Handout(filename=name, body=body))
    for kind, data in content.question_sets.items():
        version.question_sets.append(QuestionSet(kind=kind, data=data))
    for path, body in content.documents.items():
        version.documents.append(MethodiekDocument(path=path, body=body))
    db_session.add(version)
    db_session.flush()
    return version


def _check_label_free(db_session: so.Session, label: str, version: MethodiekVersion | None) -> None:
    if not label:
        raise DomainError("Geef de versie een naam, bijvoorbeeld 2026.2.", "label")
    if len(label) > 40:
        raise DomainError("De versienaam is te lang (hoogstens 40 tekens).", "label")
    query = sa.select(MethodiekVersion.id).where(MethodiekVersion.label == label)
    if version is not None and version.id is not None:
        query = query.where(MethodiekVersion.id != version.id)
    if db_session.scalar(query.limit(1)) is not None:
        raise DomainError(f"Er is al een versie {label}. Kies een andere versienaam.", "label")


def suggest_label(db_session: so.Session, label: str) -> str:
    """The next free label after ``label``: 2026.1 -> 2026.2."""
    taken = set(db_session.scalars(sa.select(MethodiekVersion.label)))
    match = re.match(r"^(.*?)(\d+)$", label)
    stem, number = (match.group(1), int(match.group(2))) if match else (f"{label}.", 1)
    candidate = f"{stem}{number + 1}"
    while candidate in taken:
        number += 1
        candidate = f"{stem}{number + 1}"
    return candidate[:40]


# --- drafts --------------------------------------------------------------------------------


def create_draft(db_session: so.Session, actor: User) -> MethodiekVersion:
    """A new draft: a copy of the latest published version (attachments are shared, not copied)."""
    if current_draft(db_session) is not None:
        raise DomainError("Er is al een concept in bewerking. Werk daarin verder of publiceer het.")
    base = latest_published_version(db_session)
    if base is None:
        raise DomainError(
            "Er is nog geen gepubliceerde methodiek. Laad die eerst in met "
            "'flask --app veiligthuis import-methodiek'."
        )
    base = load_version(db_session, base.id)
    draft = MethodiekVersion(
        label=suggest_label(db_session, base.label),
        title=base.title,
        description=base.description,
        status="draft",
        based_on=base,
    )
    for plan in base.sessions:
        copy = SessionPlan(
            number=plan.number,
            slug=plan.slug,
            title=plan.title,
            theme=plan.theme,
            goals=list(plan.goals),
            activities=[dict(a) for a in plan.activities],
            materials=list(plan.materials),
            handout_files=list(plan.handout_files),
            home_practice=plan.home_practice,
            culture_notes=plan.culture_notes,
            low_literacy_notes=plan.low_literacy_notes,
            body=plan.body,
        )
        for attachment in plan.attachments:
            copy.attachments.append(
                Attachment(
                    filename=attachment.filename,
                    content_type=attachment.content_type,
                    size=attachment.size,
                    sha256=attachment.sha256,
                    created_dt=attachment.created_dt,
                    uploaded_by_id=attachment.uploaded_by_id,
                )
            )
        draft.sessions.append(copy)
    for handout in base.handouts:
        draft.handouts.append(Handout(filename=handout.filename, body=handout.body))
    for question_set in base.question_sets:
        draft.question_sets.append(QuestionSet(kind=question_set.kind, data=question_set.data))
    for document in base.documents:
        draft.documents.append(MethodiekDocument(path=document.path, body=document.body))
    db_session.add(draft)
    db_session.flush()
    audit(db_session, actor, "methodiek_draft", draft, detail=f"concept {draft.label}")
    return draft


def update_version_details(
    db_session: so.Session,
    actor: User,
    version: MethodiekVersion,
    *,
    label: str,
    title: str,
    description: str,
) -> None:
    """Change a draft's name, title and description."""
    _require_draft(version)
    label, title = " ".join(label.split()), " ".join(title.split())
    _check_label_free(db_session, label, version)
    if not title:
        raise DomainError("Vul een titel in.", "title")
    if len(title) > 120:
        raise DomainError("De titel is te lang (hoogstens 120 tekens).", "title")
    version.label, version.title = label, title
    version.description = normalise_text(description)
    db_session.flush()


def delete_draft(db_session: so.Session, actor: User, version: MethodiekVersion) -> None:
    """Throw a draft away (its uploaded files stay stored: other versions may share them)."""
    _require_draft(version)
    audit(db_session, actor, "methodiek_delete", version, detail=f"concept {version.label}")
    db_session.delete(version)
    db_session.flush()


def publish(db_session: so.Session, actor: User, version: MethodiekVersion) -> None:
    """Publish a valid draft; from then on it never changes."""
    _require_draft(version)
    problems = version_problems(version)
    if problems:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (en nog {len(problems) - 5})" if len(problems) > 5 else ""
        raise DomainError(
            f"Dit concept kan nog niet worden gepubliceerd: {shown}{more}. Pas dit eerst aan."
        )
    version.status = "published"
    version.published_dt = utcnow()
    version.published_by_id = actor.id
    audit(db_session, actor, "methodiek_publish", version, detail=f"versie {version.label}")
    _flush(db_session)


def normalise_text(text: str | None) -> str:
    """Text from a form: Unix line ends, no trailing spaces, no blank lines around it."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n").strip()


def normalise_line(text: str | None) -> str:
    """One line of text from a form, single spaces."""
    return " ".join((text or "").split())


def normalise_markdown(text: str | None) -> str:
    """A Markdown body from a form: Unix line ends, ending in exactly one newline."""
    body = (text or "").replace("\r\n", "\n").replace("\r", "\n").rstrip()
    return body + "\n" if body else ""


def _flush(db_session: so.Session) -> None:
    try:
        db_session.flush()
    except StaleDataError as error:
        raise DomainError(CONFLICT_REFUSAL) from error


def _check_revision(version: MethodiekVersion, current: int, started_from: int | None) -> None:
    _require_draft(version)
    if started_from is None or started_from != current:
        raise DomainError(CONFLICT_REFUSAL)


@dataclass
class SessionEdit:
    """What an editor fills in for a session: plain values."""

    title: str
    theme: str = ""
    goals: list[str] = field(default_factory=list)
    #: [{"title", "minutes", "kind"?, "description"}]
    activities: list[dict[str, Any]] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)
    handouts: list[str] = field(default_factory=list)
    home_practice: str = ""
    culture_notes: str = ""
    low_literacy_notes: str = ""
    body: str = ""


def clean_session_edit(edit: SessionEdit) -> dict[str, Any]:
    """The column values for ``edit``, normalised; refuses what cannot be stored at all."""
    title = normalise_line(edit.title)
    if not title:
        raise DomainError("Vul een titel in.", "title")
    if len(title) > 200:
        raise DomainError("De titel is te lang (hoogstens 200 tekens).", "title")
    theme = normalise_line(edit.theme)
    if len(theme) > 300:
        raise DomainError("Het thema is te lang (hoogstens 300 tekens).", "theme")
    activities = []
    for index, activity in enumerate(edit.activities, start=1):
        name = normalise_line(activity.get("title"))
        minutes = activity.get("minutes")
        if not name:
            raise DomainError(f"Werkvorm {index} heeft geen titel.", "activities")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 150:
            raise DomainError(
                f"Werkvorm {index} ({name}): vul een aantal minuten in van 1 tot 150.", "activities"
            )
        item: dict[str, Any] = {"title": name, "minutes": minutes}
        if activity.get("kind") == BREAK_KIND:
            item["kind"] = BREAK_KIND
        item["description"] = normalise_text(activity.get("description"))
        activities.append(item)
    return {
        "title": title,
        "theme": theme,
        "goals": [normalise_line(g) for g in edit.goals if normalise_line(g)],
        "activities": activities,
        "materials": [normalise_line(m) for m in edit.materials if normalise_line(m)],
        "handout_files": list(dict.fromkeys(h for h in edit.handouts if h)),
        "home_practice": normalise_text(edit.home_practice),
        "culture_notes": normalise_text(edit.culture_notes),
        "low_literacy_notes": normalise_text(edit.low_literacy_notes),
        "body": normalise_markdown(edit.body),
    }


def save_session(
    db_session: so.Session,
    actor: User,
    plan: SessionPlan,
    started_from: int | None,
    edit: SessionEdit,
) -> bool:
    """Save an edit of a draft's session; returns whether anything changed.

    Refused when the version is published or when the plan was saved since ``started_from``.
    """
    _check_revision(plan.version, plan.revision, started_from)
    values = clean_session_edit(edit)
    known = {h.filename for h in plan.version.handouts}
    unknown = [name for name in values["handout_files"] if name not in known]
    if unknown:
        raise DomainError(f"Onbekende bijlage: {', '.join(unknown)}.", "handouts")
    changed = {key: value for key, value in values.items() if getattr(plan, key) != value}
    if not changed:
        return False
    for key, value in changed.items():
        setattr(plan, key, value)
    _flush(db_session)
    return True


def save_handout(
    db_session: so.Session, actor: User, handout: Handout, started_from: int | None, body: str
) -> bool:
    """Save a draft's handout text; returns whether it changed."""
    _check_revision(handout.version, handout.revision, started_from)
    body = normalise_markdown(body)
    if not body.strip():
        raise DomainError("Een bijlage mag niet leeg zijn.", "body")
    if body == handout.body:
        return False
    handout.body = body
    _flush(db_session)
    return True


def add_handout(
    db_session: so.Session, actor: User, version: MethodiekVersion, filename: str, body: str
) -> Handout:
    """A new handout in a draft."""
    _require_draft(version)
    filename = (filename or "").strip().lower()
    if not filename.endswith(".md"):
        filename += ".md"
    if not HANDOUT_FILE.match(filename) or len(filename) > 120:
        raise DomainError(
            "Een bijlage heet met kleine letters, cijfers en streepjes, bijvoorbeeld "
            "05-mijn-netwerk.md.",
            "filename",
        )
    if any(h.filename == filename for h in version.handouts):
        raise DomainError("Er is al een bijlage met deze naam.", "filename")
    body = normalise_markdown(body)
    if not body.strip():
        raise DomainError("Een bijlage mag niet leeg zijn.", "body")
    handout = Handout(filename=filename, body=body)
    version.handouts.append(handout)
    db_session.flush()
    return handout


def delete_handout(db_session: so.Session, actor: User, handout: Handout) -> None:
    """Remove a handout from a draft; refused while a session still lists it."""
    _require_draft(handout.version)
    users = [p.number for p in handout.version.sessions if handout.filename in p.handout_files]
    if users:
        raise DomainError(
            "Deze bijlage hoort nog bij bijeenkomst "
            + ", ".join(map(str, users))
            + ". Haal haar daar eerst weg."
        )
    handout.version.handouts.remove(handout)
    db_session.flush()


def save_document(
    db_session: so.Session,
    actor: User,
    document: MethodiekDocument,
    started_from: int | None,
    body: str,
) -> bool:
    """Save a draft's document (recruitment folder, press release, ...); returns whether it changed."""
    _check_revision(document.version, document.revision, started_from)
    body = normalise_markdown(body)
    if document.path.endswith((".yaml", ".yml")):
        _data, _lines, problems = parse_yaml(body, document.path)
        if problems:
            raise DomainError(
                "De tekst is geen geldige YAML: "
                + "; ".join(p.message + (f" (regel {p.line})" if p.line else "") for p in problems),
                "body",
            )
    if body == document.body:
        return False
    document.body = body
    _flush(db_session)
    return True


# --- attachments ---------------------------------------------------------------------------


def add_attachment(
    db_session: so.Session,
    actor: User,
    plan: SessionPlan,
    *,
    filename: str,
    data: bytes,
    upload_folder: str | Path,
    max_bytes: int,
) -> Attachment:
    """Check an uploaded file by its content and keep it with a draft's session.

    Nothing is stored unless every check passes.
    """
    _require_draft(plan.version)
    filename = filename or ""
    if not filename.strip():
        raise DomainError("Kies een bestand om te uploaden.", "file")
    if uploads.is_path_like(filename):
        raise DomainError(
            "De bestandsnaam verwijst naar een map (zoals ../ of /). Geef het bestand een gewone "
            "naam en probeer het opnieuw. Er is niets opgeslagen.",
            "file",
        )
    if not data:
        raise DomainError(f"Het bestand {filename} is leeg. Er is niets opgeslagen.", "file")
    if len(data) > max_bytes:
        raise DomainError(
            f"Het bestand is groter dan de grens van {size_label(max_bytes)}. Er is niets "
            "opgeslagen.",
            "file",
        )
    kind = uploads.detect_kind(data)
    if kind is None:
        raise DomainError(
            f"Het bestand {filename} is {uploads.describe_refused(data)}, ook al zegt de naam "
            f"misschien iets anders. Alleen {uploads.ALLOWED_LABEL} kan als bijlage. Er is niets "
            "opgeslagen.",
            "file",
        )
    name = uploads.clean_filename(filename, kind)
    digest = uploads.sha256_hex(data)
    if any(a.sha256 == digest for a in plan.attachments):
        raise DomainError("Dit bestand hangt al bij deze bijeenkomst.", "file")
    uploads.store_blob(upload_folder, data)
    attachment = Attachment(
        filename=name,
        content_type=uploads.KINDS[kind].content_type,
        size=len(data),
        sha256=digest,
        created_dt=utcnow(),
        uploaded_by_id=actor.id,
    )
    plan.attachments.append(attachment)
    db_session.flush()
    return attachment


def size_label(size: int) -> str:
    """A file size in Dutch: 25 MB, 1,5 MB, 300 kB."""
    if size >= 1024 * 1024:
        text = f"{size / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")
        return f"{text} MB"
    return f"{max(1, round(size / 1024))} kB"


def remove_attachment(db_session: so.Session, actor: User, attachment: Attachment) -> None:
    """Take a file off a draft's session (the stored file stays: published versions share it)."""
    _require_draft(attachment.session_plan.version)
    attachment.session_plan.attachments.remove(attachment)
    db_session.flush()


# --- differences ---------------------------------------------------------------------------


@dataclass
class PartDiff:
    """One part of the method compared between two versions."""

    key: str
    label: str
    #: "gewijzigd", "nieuw" or "verwijderd"
    status: str
    html: Markup
    removed: int
    added: int


def session_text(plan: SessionPlan | SessionContent) -> str:
    """A session plan as readable text, for comparing versions word by word."""
    handouts = getattr(plan, "handout_files", None)
    if handouts is None:
        handouts = plan.handouts
    lines = [f"Bijeenkomst {plan.number}: {plan.title}", f"Thema: {plan.theme}", "", "Doelen"]
    lines += [f"- {goal}" for goal in plan.goals]
    lines += ["", "Werkvormen"]
    total = 0
    for activity in plan.activities:
        minutes = activity.get("minutes") or 0
        total += minutes if isinstance(minutes, int) else 0
        kind = " (pauze)" if is_break(activity) else ""
        lines.append(f"- {minutes} min: {activity.get('title', '')}{kind}")
        if activity.get("description"):
            lines.append(f"  {activity['description']}")
    lines.append(f"Totaal: {total} minuten")
    lines += ["", "Materialen"] + [f"- {m}" for m in plan.materials]
    lines += ["", "Bijlagen: " + (", ".join(handouts) or "geen")]
    for label, text in (
        ("Thuisoefening", plan.home_practice),
        ("Cultuursensitief begeleiden", plan.culture_notes),
        ("Deelnemers die weinig Nederlands lezen", plan.low_literacy_notes),
        ("Achtergrond voor begeleiders", plan.body),
    ):
        lines += ["", label, text.strip()]
    return "\n".join(lines) + "\n"


def _parts(version: MethodiekVersion) -> dict[str, tuple[str, str]]:
    parts = {
        "meta": (
            "Titel en beschrijving",
            f"{version.title}\nVersie {version.label}\n\n{version.description}\n",
        )
    }
    for plan in sorted(version.sessions, key=lambda p: p.number):
        parts[f"sessie-{plan.number:02d}"] = (
            f"Bijeenkomst {plan.number}: {plan.title}",
            session_text(plan),
        )
    for handout in version.handouts:
        parts[f"bijlage:{handout.filename}"] = (f"Bijlage {handout.filename}", handout.body)
    for question_set in version.question_sets:
        label = QUESTION_SET_KINDS.get(question_set.kind, question_set.kind)
        parts[f"evaluatie:{question_set.kind}"] = (
            f"Evaluatievragen {label}",
            dump_yaml(question_set.data),
        )
    for document in version.documents:
        parts[f"document:{document.path}"] = (f"Document {document.path}", document.body)
    return parts


def compare_versions(
    old: MethodiekVersion, new: MethodiekVersion, *, only: set[str] | None = None
) -> tuple[list[PartDiff], int]:
    """The parts that differ between ``old`` and ``new`` and how many parts stayed the same.

    Labels (version names) are left out of the comparison; ``only`` limits it to some part keys.
    """
    old_parts, new_parts = _parts(old), _parts(new)
    old_parts["meta"] = ("Titel en beschrijving", f"{old.title}\n\n{old.description}\n")
    new_parts["meta"] = ("Titel en beschrijving", f"{new.title}\n\n{new.description}\n")
    keys = sorted(set(old_parts) | set(new_parts), key=_part_order)
    diffs: list[PartDiff] = []
    unchanged = 0
    for key in keys:
        if only is not None and key not in only:
            continue
        before = old_parts.get(key)
        after = new_parts.get(key)
        old_text = before[1] if before else ""
        new_text = after[1] if after else ""
        if before and after and old_text == new_text:
            unchanged += 1
            continue
        status = "gewijzigd" if before and after else ("nieuw" if after else "verwijderd")
        removed, added = changed_words(old_text, new_text)
        diffs.append(
            PartDiff(
                key=key,
                label=(after or before)[0],
                status=status,
                html=word_diff(old_text, new_text),
                removed=removed,
                added=added,
            )
        )
    return diffs, unchanged


def _part_order(key: str) -> tuple[int, str]:
    prefixes = ("meta", "sessie-", "bijlage:", "evaluatie:", "document:")
    return next(i for i, p in enumerate(prefixes) if key.startswith(p)), key


# --- groups on a version -------------------------------------------------------------------


@dataclass
class VersionNotice:
    """A newer version than the one a group's coming meetings are prepared from."""

    latest: MethodiekVersion
    #: the versions the coming meetings use now (older than ``latest``)
    current: list[MethodiekVersion]
    #: the meetings not yet held that can move
    movable: list[Any]
    #: per meeting number: the differences in its session plan (empty: unchanged)
    diffs: dict[int, PartDiff]


def movable_sessions(group, latest: MethodiekVersion, now: datetime) -> list:
    """The group's meetings not yet held (future, not cancelled) on another version."""
    return [
        gs
        for gs in group.sessions
        if gs.status != "cancelled"
        and gs.number is not None
        and gs.start_dt > now
        and gs.methodiek_version_id != latest.id
    ]


def version_notice(
    db_session: so.Session, group, now: datetime | None = None
) -> VersionNotice | None:
    """What the group page says when a newer version exists than its coming meetings use."""
    now = now or utcnow()
    latest = latest_published_version(db_session)
    if latest is None or group.status in ("completed", "cancelled"):
        return None
    movable = movable_sessions(group, latest, now)
    if not movable:
        return None
    ids = {gs.methodiek_version_id for gs in movable if gs.methodiek_version_id is not None}
    versions = {
        v.id: v
        for v in db_session.scalars(
            sa.select(MethodiekVersion)
            .where(MethodiekVersion.id.in_(ids | {latest.id}))
            .options(so.selectinload(MethodiekVersion.sessions))
        )
    }
    latest = versions[latest.id]
    older = [
        v
        for vid, v in versions.items()
        if vid in ids and v.is_published and (v.published_dt or now) <= (latest.published_dt or now)
    ]
    older_ids = {v.id for v in older}
    movable = [
        gs
        for gs in movable
        if gs.methodiek_version_id is None or gs.methodiek_version_id in older_ids
    ]
    if not movable:
        return None
    diffs: dict[int, PartDiff] = {}
    for gs in movable:
        new_plan = latest.session(gs.number)
        old_version = versions.get(gs.methodiek_version_id)
        old_plan = old_version.session(gs.number) if old_version else None
        old_text = session_text(old_plan) if old_plan else ""
        new_text = session_text(new_plan) if new_plan else ""
        if old_text != new_text:
            removed, added = changed_words(old_text, new_text)
            diffs[gs.number] = PartDiff(
                key=f"sessie-{gs.number:02d}",
                label=f"Bijeenkomst {gs.number}" + (f": {new_plan.title}" if new_plan else ""),
                status="gewijzigd"
                if old_plan and new_plan
                else ("nieuw" if new_plan else "verwijderd"),
                html=word_diff(old_text, new_text),
                removed=removed,
                added=added,
            )
    return VersionNotice(
        latest=latest,
        current=sorted(older, key=lambda v: v.id),
        movable=sorted(movable, key=lambda gs: gs.start_dt),
        diffs=diffs,
    )


def move_group_to_version(
    db_session: so.Session,
    actor: User,
    group,
    version: MethodiekVersion,
    now: datetime | None = None,
) -> int:
    """Move the group's meetings not yet held to ``version``; held ones keep theirs."""
    now = now or utcnow()
    if not version.is_published:
        raise DomainError("Alleen een gepubliceerde versie kan worden gebruikt.")
    latest = latest_published_version(db_session)
    if latest is None or latest.id != version.id:
        raise DomainError(
            "Er is intussen een nog nieuwere versie gepubliceerd. Laad de pagina opnieuw."
        )
    movable = movable_sessions(group, version, now)
    if not movable:
        raise DomainError("Er zijn geen bijeenkomsten meer die nog niet geweest zijn.")
    for gs in movable:
        gs.methodiek_version_id = version.id
    if all(gs.start_dt > now for gs in group.sessions):
        group.methodiek_version_id = version.id  # nothing held yet: the group starts with it
    audit(
        db_session,
        actor,
        "methodiek_move",
        group,
        detail=f"bijeenkomst {', '.join(str(gs.number) for gs in movable)} naar versie {version.label}",
    )
    db_session.flush()
    return len(movable)


# --- preparing a meeting -------------------------------------------------------------------


@dataclass
class TimedActivity:
    """A work form with its clock times on the day."""

    start: datetime
    end: datetime
    title: str
    minutes: int
    description: str
    is_break: bool


@dataclass
class Preparation:
    """What a facilitator prepares a meeting from."""

    version: MethodiekVersion
    plan: SessionPlan | None
    timeline: list[TimedActivity]
    handouts: list[Handout]
    total_minutes: int
    #: set when the plan's minutes do not end when the meeting does
    end_mismatch: bool


def session_preparation(db_session: so.Session, gs) -> Preparation | None:
    """The plan of meeting ``gs`` from its own methodiek version, with clock times."""
    from veiligthuis.sessions.schedule import to_local

    if gs.methodiek_version_id is None or gs.number is None:
        return None
    plan = db_session.scalar(
        sa.select(SessionPlan)
        .where(SessionPlan.version_id == gs.methodiek_version_id, SessionPlan.number == gs.number)
        .options(so.joinedload(SessionPlan.version), so.selectinload(SessionPlan.attachments))
    )
    if plan is None:
        version = db_session.get(MethodiekVersion, gs.methodiek_version_id)
        return Preparation(version, None, [], [], 0, False) if version else None
    handouts = []
    if plan.handout_files:
        found = {
            h.filename: h
            for h in db_session.scalars(
                sa.select(Handout).where(
                    Handout.version_id == plan.version_id, Handout.filename.in_(plan.handout_files)
                )
            )
        }
        handouts = [found[name] for name in plan.handout_files if name in found]
    clock = to_local(gs.start_dt)
    timeline = []
    for activity in plan.activities:
        minutes = int(activity.get("minutes") or 0)
        end = clock + timedelta(minutes=minutes)
        timeline.append(
            TimedActivity(
                start=clock,
                end=end,
                title=activity.get("title", ""),
                minutes=minutes,
                description=activity.get("description", ""),
                is_break=is_break(activity),
            )
        )
        clock = end
    total = sum(a.minutes for a in timeline)
    return Preparation(
        version=plan.version,
        plan=plan,
        timeline=timeline,
        handouts=handouts,
        total_minutes=total,
        end_mismatch=clock != to_local(gs.end_dt),
    )
