"""Files (PDF, images, ...) kept with a draft's session plan, checked by their content."""

from __future__ import annotations

from pathlib import Path

from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.methodiek import uploads
from veiligthuis.methodiek.models import Attachment, SessionPlan
from veiligthuis.methodiek.service import require_draft
from veiligthuis.models import DbSession, DomainError, utcnow


def add_attachment(
    db_session: DbSession,
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
    require_draft(plan.version)
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


def remove_attachment(db_session: DbSession, actor: User, attachment: Attachment) -> None:
    """Take a file off a draft's session (the stored file stays: published versions share it)."""
    plan = attachment.session_plan
    require_draft(plan.version)
    audit(
        db_session,
        actor,
        "methodiek_attachment_removed",
        plan.version,
        detail=f"bijeenkomst {plan.number}: {attachment.filename}",
    )
    plan.attachments.remove(attachment)
    db_session.flush()
