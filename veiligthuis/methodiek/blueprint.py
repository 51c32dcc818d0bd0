"""The method blueprint and what its pages share: access checks, loading, the upload limit."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    request,
    url_for,
)
from flask_login import current_user

from veiligthuis import permissions
from veiligthuis.extensions import db
from veiligthuis.methodiek import service
from veiligthuis.methodiek.models import (
    Attachment,
    Handout,
    MethodiekDocument,
    MethodiekVersion,
    SessionPlan,
)
from veiligthuis.settings import get_setting

bp = Blueprint("methodiek", __name__)


UPLOAD_ENDPOINT = "methodiek.attachment_upload"


#: room for the form's other fields next to the file, in bytes
UPLOAD_MARGIN = 64 * 1024


@bp.record_once
def _limit_upload_size(state) -> None:
    # Runs before CSRFProtect reads the form, so an oversized upload is cut off at once
    # instead of being spooled to disk first.
    state.app.before_request_funcs.setdefault(None, []).insert(0, _set_upload_limit)


@bp.before_request
def _hide_other_programmes() -> None:
    # A method book of a programme she does not work in answers 404, as another group does.
    args = request.view_args or {}
    if not getattr(current_user, "is_authenticated", False):
        return
    query = None
    if "version_id" in args:
        query = sa.select(MethodiekVersion.programme_id).where(
            MethodiekVersion.id == args["version_id"]
        )
    elif "attachment_id" in args:
        query = (
            sa.select(MethodiekVersion.programme_id)
            .join(SessionPlan, SessionPlan.version_id == MethodiekVersion.id)
            .join(Attachment, Attachment.session_plan_id == SessionPlan.id)
            .where(Attachment.id == args["attachment_id"])
        )
    if query is None:
        return
    programme_id = db.session.scalar(query)
    if programme_id is not None and not permissions.in_programme(current_user, programme_id):
        abort(404)


def _set_upload_limit() -> None:
    if request.endpoint == UPLOAD_ENDPOINT:
        request.max_content_length = max_upload_bytes() + UPLOAD_MARGIN


def max_upload_bytes() -> int:
    """The upload limit from the settings, in bytes."""
    return int(get_setting(db.session, "max_upload_mb")) * 1024 * 1024


@bp.errorhandler(413)
def _too_large(_error):
    flash(
        f"Het bestand is te groot: de grens is {get_setting(db.session, 'max_upload_mb')} MB. "
        "Er is niets opgeslagen.",
        "error",
    )
    args = request.view_args or {}
    if request.endpoint == UPLOAD_ENDPOINT and {"version_id", "number"} <= set(args):
        return redirect(
            url_for("methodiek.session_edit", version_id=args["version_id"], number=args["number"])
            + "#bestanden"
        )
    return redirect(url_for("methodiek.index"))


def require_read() -> None:
    """Refuse (403) who may not read the method."""
    if not permissions.can_read_methodiek(current_user):
        abort(403)


def require_edit() -> None:
    """Refuse (403) who may not edit the method."""
    if not permissions.can_edit_methodiek(current_user):
        abort(403)


def load_version(version_id: int) -> MethodiekVersion:
    """The version, or 404."""
    version = service.load_version(db.session, version_id)
    if version is None:
        abort(404)
    return version


def load_plan(version_id: int, number: int) -> SessionPlan:
    """The session plan ``number`` of a version, or 404."""
    plan = service.load_session_plan(db.session, version_id, number)
    if plan is None:
        abort(404)
    return plan


def load_handout(version_id: int, filename: str) -> Handout:
    """The handout of a version, or 404."""
    handout = db.session.scalar(
        sa.select(Handout)
        .where(Handout.version_id == version_id, Handout.filename == filename)
        .options(so.joinedload(Handout.version))
    )
    if handout is None:
        abort(404)
    return handout


def load_document(version_id: int, path: str) -> MethodiekDocument:
    """The document at ``path`` of a version, or 404."""
    document = db.session.scalar(
        sa.select(MethodiekDocument)
        .where(MethodiekDocument.version_id == version_id, MethodiekDocument.path == path)
        .options(so.joinedload(MethodiekDocument.version))
    )
    if document is None:
        abort(404)
    return document


def load_attachment(attachment_id: int) -> Attachment:
    """The file with its session plan and version, or 404."""
    attachment = db.session.scalar(
        sa.select(Attachment)
        .where(Attachment.id == attachment_id)
        .options(so.joinedload(Attachment.session_plan).joinedload(SessionPlan.version))
    )
    if attachment is None:
        abort(404)
    return attachment


def restart_from(form, revision: int) -> None:
    """After a conflict she has seen: her next save starts from the colleague's revision."""
    form.revision.data = revision
    form.revision.raw_data = [str(revision)]
