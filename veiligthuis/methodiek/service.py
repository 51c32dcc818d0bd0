"""Loading, validating, versioning and editing the method material.

A published version never changes. Editors work in one draft at a time, a copy of the latest
published version; every edit carries the revision it started from and is refused when someone
saved or published in between. Groups pin a version; their meetings not yet held can move on.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm.exc import StaleDataError

from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.methodiek.checks import validate_content
from veiligthuis.methodiek.content import (
    HANDOUT_FILE,
    Content,
    Problem,
    SessionContent,
    canonical_activity,
)
from veiligthuis.methodiek.editing import (
    SessionEdit,
    clean_session_edit,
    normalise_markdown,
    normalise_text,
)
from veiligthuis.methodiek.models import (
    Attachment,
    Handout,
    MethodiekDocument,
    MethodiekVersion,
    QuestionSet,
    SessionPlan,
)
from veiligthuis.methodiek.yaml_lines import parse_yaml
from veiligthuis.models import DbSession, DomainError, utcnow

PUBLISHED_REFUSAL = (
    "Versie {label} is gepubliceerd en verandert niet meer. Maak een nieuw concept om iets te "
    "wijzigen."
)
CONFLICT_REFUSAL = (
    "Een collega heeft dit intussen opgeslagen. Uw wijzigingen zijn niet opgeslagen; ze staan "
    "hieronder nog in het formulier. Bekijk wat er veranderd is en sla daarna opnieuw op."
)


def newest_published(query: sa.Select, programme_id: int | sa.BindParameter | None) -> sa.Select:
    """``query`` narrowed to the newest published version (of the programme, if given)."""
    if programme_id is not None:
        query = query.where(MethodiekVersion.programme_id == programme_id)
    return (
        query.where(MethodiekVersion.status == "published")
        .order_by(MethodiekVersion.published_dt.desc(), MethodiekVersion.id.desc())
        .limit(1)
    )


def latest_published_version(
    db_session: DbSession, programme_id: int | None = None
) -> MethodiekVersion | None:
    """The newest published version (of the programme, if given), or None before the first."""
    return db_session.scalar(newest_published(sa.select(MethodiekVersion), programme_id))


def list_versions(
    db_session: DbSession, programme_ids: list[int] | None = None
) -> list[MethodiekVersion]:
    """Every version (of those programmes, if given), newest first, with who published it."""
    query = sa.select(MethodiekVersion)
    if programme_ids is not None:
        query = query.where(MethodiekVersion.programme_id.in_(programme_ids))
    return list(
        db_session.scalars(
            query.options(
                so.joinedload(MethodiekVersion.published_by),
                so.joinedload(MethodiekVersion.programme),
            ).order_by(
                (MethodiekVersion.status == "draft").desc(),
                MethodiekVersion.published_dt.desc(),
                MethodiekVersion.id.desc(),
            )
        )
    )


def current_draft(
    db_session: DbSession, programme_id: int | None = None
) -> MethodiekVersion | None:
    """The draft being edited (of the programme, if given), if any."""
    query = sa.select(MethodiekVersion).where(MethodiekVersion.status == "draft")
    if programme_id is not None:
        query = query.where(MethodiekVersion.programme_id == programme_id)
    return db_session.scalar(query.limit(1))


def load_version(db_session: DbSession, version_id: int) -> MethodiekVersion | None:
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


def load_session_plan(db_session: DbSession, version_id: int, number: int) -> SessionPlan | None:
    """Session ``number`` of a version, with its version and attachments."""
    return db_session.scalar(
        sa.select(SessionPlan)
        .where(SessionPlan.version_id == version_id, SessionPlan.number == number)
        .options(so.joinedload(SessionPlan.version), so.selectinload(SessionPlan.attachments))
    )


def require_draft(version: MethodiekVersion) -> None:
    """Refuse to change a published version."""
    if version.is_published:
        raise DomainError(PUBLISHED_REFUSAL.format(label=version.label))


# --- files <-> versions --------------------------------------------------------------------


def version_to_content(version: MethodiekVersion) -> Content:
    """A version as file content (for export and for checking)."""
    return Content(
        meta={"title": version.title, "version": version.label, "description": version.description},
        session_count=version.programme.session_count,
        session_minutes=version.programme.session_minutes,
        sessions=[
            SessionContent(
                number=plan.number,
                slug=plan.slug,
                title=plan.title,
                theme=plan.theme,
                aligned_with=plan.aligned_with,
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
    db_session: DbSession, content: Content, actor: User | None = None, programme=None
) -> MethodiekVersion:
    """Store ``content`` (already checked) as a new published version of ``programme`` (None:
    the women's group)."""
    from veiligthuis.programmes.service import default_programme

    programme = programme or default_programme(db_session)
    figures = (content.session_count, content.session_minutes)
    if figures != (programme.session_count, programme.session_minutes):
        raise DomainError(
            f"Deze methodiek heeft {figures[0]} bijeenkomsten van {figures[1]} minuten; het "
            f"programma {programme.name} heeft er {programme.session_count} van "
            f"{programme.session_minutes} minuten."
        )
    label = (content.meta.get("version") or "").strip()
    _check_label_free(db_session, label, None, programme.id)
    version = MethodiekVersion(
        programme=programme,
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
                aligned_with=session.aligned_with,
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


def _check_label_free(
    db_session: DbSession, label: str, version: MethodiekVersion | None, programme_id: int
) -> None:
    """Labels are unique within a programme: the men's book may have its own 2026.1."""
    if not label:
        raise DomainError("Geef de versie een naam, bijvoorbeeld 2026.2.", "label")
    if len(label) > 40:
        raise DomainError("De versienaam is te lang (hoogstens 40 tekens).", "label")
    query = sa.select(MethodiekVersion.id).where(
        MethodiekVersion.label == label, MethodiekVersion.programme_id == programme_id
    )
    if version is not None and version.id is not None:
        query = query.where(MethodiekVersion.id != version.id)
    if db_session.scalar(query.limit(1)) is not None:
        raise DomainError(f"Er is al een versie {label}. Kies een andere versienaam.", "label")


def suggest_label(db_session: DbSession, label: str, programme_id: int) -> str:
    """The next free label after ``label`` in the programme: 2026.1 -> 2026.2."""
    taken = set(
        db_session.scalars(
            sa.select(MethodiekVersion.label).where(MethodiekVersion.programme_id == programme_id)
        )
    )
    match = re.match(r"^(.*?)(\d+)$", label)
    stem, number = (match.group(1), int(match.group(2))) if match else (f"{label}.", 1)
    candidate = f"{stem}{number + 1}"
    while candidate in taken:
        number += 1
        candidate = f"{stem}{number + 1}"
    return candidate[:40]


# --- drafts --------------------------------------------------------------------------------


def create_draft(
    db_session: DbSession, actor: User, programme_id: int | None = None
) -> MethodiekVersion:
    """A new draft of the programme's book (None: the women's group): a copy of its latest
    published version (attachments are shared, not copied)."""
    from veiligthuis.programmes.service import default_programme

    if programme_id is None:
        programme_id = default_programme(db_session).id
    if current_draft(db_session, programme_id) is not None:
        raise DomainError("Er is al een concept in bewerking. Werk daarin verder of publiceer het.")
    base = latest_published_version(db_session, programme_id)
    if base is None:
        raise DomainError(
            "Er is nog geen gepubliceerde methodiek. Laad die eerst in met "
            "'flask --app veiligthuis import-methodiek'."
        )
    base = load_version(db_session, base.id)
    assert base is not None, "the version was found just above"
    draft = MethodiekVersion(
        label=suggest_label(db_session, base.label, base.programme_id),
        title=base.title,
        description=base.description,
        status="draft",
        based_on=base,
        programme_id=base.programme_id,
    )
    for plan in base.sessions:
        copy = SessionPlan(
            number=plan.number,
            slug=plan.slug,
            title=plan.title,
            theme=plan.theme,
            aligned_with=plan.aligned_with,
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
    db_session: DbSession,
    actor: User,
    version: MethodiekVersion,
    *,
    label: str,
    title: str,
    description: str,
) -> None:
    """Change a draft's name, title and description."""
    require_draft(version)
    label, title = " ".join(label.split()), " ".join(title.split())
    _check_label_free(db_session, label, version, version.programme_id)
    if not title:
        raise DomainError("Vul een titel in.", "title")
    if len(title) > 120:
        raise DomainError("De titel is te lang (hoogstens 120 tekens).", "title")
    version.label, version.title = label, title
    version.description = normalise_text(description)
    db_session.flush()


def delete_draft(db_session: DbSession, actor: User, version: MethodiekVersion) -> None:
    """Throw a draft away (its uploaded files stay stored: other versions may share them)."""
    require_draft(version)
    audit(db_session, actor, "methodiek_delete", version, detail=f"concept {version.label}")
    db_session.delete(version)
    db_session.flush()


def publish(db_session: DbSession, actor: User, version: MethodiekVersion) -> None:
    """Publish a valid draft; from then on it never changes."""
    require_draft(version)
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


def _flush(db_session: DbSession) -> None:
    try:
        db_session.flush()
    except StaleDataError as error:
        raise DomainError(CONFLICT_REFUSAL) from error


def _check_revision(version: MethodiekVersion, current: int, started_from: int | None) -> None:
    require_draft(version)
    if started_from is None or started_from != current:
        raise DomainError(CONFLICT_REFUSAL)


def save_session(
    db_session: DbSession,
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
    db_session: DbSession, actor: User, handout: Handout, started_from: int | None, body: str
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
    db_session: DbSession, actor: User, version: MethodiekVersion, filename: str, body: str
) -> Handout:
    """A new handout in a draft."""
    require_draft(version)
    filename = (filename or "").strip().lower()
    if not filename.endswith(".md"):
        filename += ".md"
    if not HANDOUT_FILE.match(filename) or len(filename) > 120:
        raise DomainError(
            "Een bijlage heet met kleine letters, cijfers en streepjes, bijvoorbeeld "
            "05-mijn-netwerk.",
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


def delete_handout(db_session: DbSession, actor: User, handout: Handout) -> None:
    """Remove a handout from a draft; refused while a session still lists it."""
    require_draft(handout.version)
    users = [p.number for p in handout.version.sessions if handout.filename in p.handout_files]
    if users:
        raise DomainError(
            "Deze bijlage hoort nog bij bijeenkomst "
            + ", ".join(map(str, users))
            + ". Haal haar daar eerst weg."
        )
    audit(db_session, actor, "methodiek_handout_removed", handout.version, detail=handout.filename)
    handout.version.handouts.remove(handout)
    db_session.flush()


def save_document(
    db_session: DbSession,
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
