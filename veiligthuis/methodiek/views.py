"""The method material in the browser: versions, drafts, editing, differences, files."""

from __future__ import annotations

import io

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from veiligthuis import permissions
from veiligthuis.auth.forms import EmptyForm
from veiligthuis.extensions import db
from veiligthuis.methodiek import attachments, diff, editing, meetings, service
from veiligthuis.methodiek.content import (
    BREAK_KIND,
    SESSION_MINUTES,
    Problem,
    SessionContent,
    is_break,
    session_path,
)
from veiligthuis.methodiek.diff import word_diff
from veiligthuis.methodiek.forms import (
    EXTRA_ACTIVITY_ROWS,
    AttachmentForm,
    NewHandoutForm,
    SessionForm,
    TextForm,
    VersionForm,
)
from veiligthuis.methodiek.models import (
    QUESTION_SET_KINDS,
    Attachment,
    Handout,
    MethodiekDocument,
    MethodiekVersion,
    QuestionSet,
    SessionPlan,
)
from veiligthuis.methodiek.render import render_markdown
from veiligthuis.methodiek.uploads import blob_path
from veiligthuis.models import DomainError
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


def _set_upload_limit() -> None:
    if request.endpoint == UPLOAD_ENDPOINT:
        request.max_content_length = _max_upload_bytes() + UPLOAD_MARGIN


def _max_upload_bytes() -> int:
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


def _require_read() -> None:
    if not permissions.can_read_methodiek(current_user):
        abort(403)


def _require_edit() -> None:
    if not permissions.can_edit_methodiek(current_user):
        abort(403)


def _version(version_id: int) -> MethodiekVersion:
    version = service.load_version(db.session, version_id)
    if version is None:
        abort(404)
    return version


def _plan(version_id: int, number: int) -> SessionPlan:
    plan = service.load_session_plan(db.session, version_id, number)
    if plan is None:
        abort(404)
    return plan


def _handout(version_id: int, filename: str) -> Handout:
    handout = db.session.scalar(
        sa.select(Handout)
        .where(Handout.version_id == version_id, Handout.filename == filename)
        .options(so.joinedload(Handout.version))
    )
    if handout is None:
        abort(404)
    return handout


def _problem_links(
    version: MethodiekVersion, problems: list[Problem]
) -> list[tuple[str, str | None]]:
    """Each problem with a link to where it can be fixed."""
    by_path = {}
    for plan in version.sessions:
        by_path[session_path(plan.number, plan.slug)] = url_for(
            "methodiek.session_edit", version_id=version.id, number=plan.number
        )
    for handout in version.handouts:
        by_path[f"bijlagen/{handout.filename}"] = url_for(
            "methodiek.handout_edit", version_id=version.id, filename=handout.filename
        )
    for document in version.documents:
        by_path[document.path] = url_for(
            "methodiek.document_edit", version_id=version.id, path=document.path
        )
    return [(str(p), by_path.get(p.file)) for p in problems]


# --- versions ------------------------------------------------------------------------------


@bp.route("/methodiek")
@login_required
def index():
    """The list of versions; editors start a draft here."""
    _require_read()
    versions = service.list_versions(db.session)
    draft = next((v for v in versions if not v.is_published), None)
    return render_template(
        "methodiek/index.html",
        versions=versions,
        draft=draft,
        can_edit=permissions.can_edit_methodiek(current_user),
        form=EmptyForm(),
    )


@bp.route("/methodiek/concept", methods=["POST"])
@login_required
def draft_new():
    """Start a draft as a copy of the latest published version."""
    _require_edit()
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        draft = service.create_draft(db.session, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("methodiek.index"))
    db.session.commit()
    flash(
        f"Concept {draft.label} gemaakt als kopie van versie {draft.based_on.label}. "
        "Deelnemers en groepen merken pas iets als het is gepubliceerd.",
        "success",
    )
    return redirect(url_for("methodiek.version", version_id=draft.id))


@bp.route("/methodiek/<int:version_id>")
@login_required
def version(version_id: int):
    """One version: its sessions, handouts, question sets and documents; a draft's problems."""
    _require_read()
    version = _version(version_id)
    can_edit = permissions.can_edit_methodiek(current_user) and not version.is_published
    problems = service.version_problems(version) if not version.is_published else []
    details_form = VersionForm(obj=version, prefix="v")
    return render_template(
        "methodiek/version.html",
        version=version,
        can_edit=can_edit,
        problems=_problem_links(version, problems) if can_edit else [],
        details_form=details_form,
        form=EmptyForm(),
        kinds=QUESTION_SET_KINDS,
        minutes=SESSION_MINUTES,
        is_break=is_break,
    )


@bp.route("/methodiek/<int:version_id>/gegevens", methods=["POST"])
@login_required
def version_details(version_id: int):
    """Change a draft's name, title and description."""
    _require_edit()
    version = _version(version_id)
    form = VersionForm(prefix="v")
    if form.validate_on_submit():
        try:
            service.update_version_details(
                db.session,
                current_user,
                version,
                label=form.label.data,
                title=form.title.data,
                description=form.description.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash("Gegevens van het concept opgeslagen.", "success")
    else:
        for messages in form.errors.values():
            for message in messages:
                flash(message, "error")
    return redirect(url_for("methodiek.version", version_id=version_id))


@bp.route("/methodiek/<int:version_id>/publiceren", methods=["POST"])
@login_required
def version_publish(version_id: int):
    """Publish a draft (refused while it has problems)."""
    _require_edit()
    version = _version(version_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        service.publish(db.session, current_user, version)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("methodiek.version", version_id=version_id))
    db.session.commit()
    flash(
        f"Versie {version.label} is gepubliceerd. Nieuwe groepen gebruiken haar; lopende groepen "
        "zien een melding en kunnen overstappen.",
        "success",
    )
    return redirect(url_for("methodiek.version", version_id=version_id))


@bp.route("/methodiek/<int:version_id>/verwijderen", methods=["POST"])
@login_required
def version_delete(version_id: int):
    """Throw a draft away."""
    _require_edit()
    version = _version(version_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        service.delete_draft(db.session, current_user, version)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("methodiek.version", version_id=version_id))
    db.session.commit()
    flash("Het concept is verwijderd.", "success")
    return redirect(url_for("methodiek.index"))


@bp.route("/methodiek/<int:version_id>/verschil")
@login_required
def version_diff(version_id: int):
    """The differences with the version this one was based on."""
    _require_read()
    version = _version(version_id)
    if version.based_on_id is None:
        flash(
            "Deze versie is niet op een eerdere versie gebaseerd. Kies twee versies om te vergelijken.",
            "warning",
        )
        return redirect(url_for("methodiek.index"))
    return redirect(url_for("methodiek.compare", van=version.based_on_id, naar=version.id))


@bp.route("/methodiek/vergelijken")
@login_required
def compare():
    """Word-level differences between any two versions."""
    _require_read()
    old_id = request.args.get("van", type=int)
    new_id = request.args.get("naar", type=int)
    versions = service.list_versions(db.session)
    old = service.load_version(db.session, old_id) if old_id else None
    new = service.load_version(db.session, new_id) if new_id else None
    diffs, unchanged = ([], 0)
    if old is not None and new is not None:
        diffs, unchanged = diff.compare_versions(old, new)
    elif old_id or new_id:
        flash("Kies twee bestaande versies om te vergelijken.", "error")
    return render_template(
        "methodiek/compare.html",
        versions=versions,
        old=old,
        new=new,
        diffs=diffs,
        unchanged=unchanged,
    )


# --- sessions ------------------------------------------------------------------------------


@bp.route("/methodiek/<int:version_id>/sessies/<int:number>")
@login_required
def session_view(version_id: int, number: int):
    """A session plan as facilitators read it."""
    _require_read()
    plan = _plan(version_id, number)
    return render_template(
        "methodiek/session.html",
        plan=plan,
        version=plan.version,
        body=render_markdown(plan.body),
        minutes=SESSION_MINUTES,
        is_break=is_break,
        can_edit=permissions.can_edit_methodiek(current_user) and not plan.version.is_published,
    )


def _plan_form_data(plan: SessionPlan) -> dict:
    rows = [
        {
            "title": a.get("title", ""),
            "minutes": a.get("minutes"),
            "is_break": is_break(a),
            "description": a.get("description", ""),
        }
        for a in plan.activities
    ]
    rows += [{"title": "", "minutes": None, "is_break": False, "description": ""}] * (
        EXTRA_ACTIVITY_ROWS
    )
    return {
        "revision": plan.revision,
        "title": plan.title,
        "theme": plan.theme,
        "goals": "\n".join(plan.goals),
        "activities": rows,
        "materials": "\n".join(plan.materials),
        "handouts": list(plan.handout_files),
        "home_practice": plan.home_practice,
        "culture_notes": plan.culture_notes,
        "low_literacy_notes": plan.low_literacy_notes,
        "body": plan.body,
    }


def _edit_from_form(form: SessionForm) -> editing.SessionEdit | None:
    """The form's values; None (with errors on the rows) when a row is half filled in."""
    activities = []
    ok = True
    for index, row in enumerate(form.activities, start=1):
        title = (row.form.title.data or "").strip()
        minutes = row.form.minutes.data
        description = row.form.description.data or ""
        if not title and minutes is None and not description.strip():
            continue  # an empty row
        if not title:
            row.form.title.errors = [*row.form.title.errors, f"Werkvorm {index} heeft geen titel."]
            ok = False
        if minutes is None and not row.form.minutes.errors:
            row.form.minutes.errors = [
                *row.form.minutes.errors,
                f"Vul bij werkvorm {index} het aantal minuten in.",
            ]
            ok = False
        activity = {"title": title, "minutes": minutes, "description": description}
        if row.form.is_break.data:
            activity["kind"] = BREAK_KIND
        activities.append(activity)
    if not ok:
        return None
    return editing.SessionEdit(
        title=form.title.data or "",
        theme=form.theme.data or "",
        goals=(form.goals.data or "").splitlines(),
        activities=activities,
        materials=(form.materials.data or "").splitlines(),
        handouts=list(form.handouts.data or []),
        home_practice=form.home_practice.data or "",
        culture_notes=form.culture_notes.data or "",
        low_literacy_notes=form.low_literacy_notes.data or "",
        body=form.body.data or "",
    )


def _form_total(form: SessionForm) -> int:
    total = 0
    for row in form.activities:
        minutes = row.form.minutes.data
        if isinstance(minutes, int):
            total += minutes
    return total


@bp.route("/methodiek/<int:version_id>/sessies/<int:number>/bewerken", methods=["GET", "POST"])
@login_required
def session_edit(version_id: int, number: int):
    """Edit a draft's session: fields, work forms with minutes, Markdown with preview."""
    _require_edit()
    plan = _plan(version_id, number)
    version = plan.version
    handout_names = list(
        db.session.scalars(
            sa.select(Handout.filename)
            .where(Handout.version_id == version.id)
            .order_by(Handout.filename)
        )
    )
    if request.method == "GET":
        if version.is_published:
            flash(service.PUBLISHED_REFUSAL.format(label=version.label), "warning")
            return redirect(url_for("methodiek.session_view", version_id=version_id, number=number))
        form = SessionForm(data=_plan_form_data(plan), handout_names=handout_names)
    else:
        form = SessionForm(handout_names=handout_names)
    preview = conflict = None
    status = 200
    if form.validate_on_submit():
        edit = _edit_from_form(form)
        if edit is None:
            status = 422
        elif form.preview.data:
            preview = render_markdown(editing.normalise_markdown(edit.body))
        else:
            try:
                changed = service.save_session(
                    db.session, current_user, plan, form.revision.data, edit
                )
            except DomainError as error:
                db.session.rollback()
                plan = _plan(version_id, number)
                version = plan.version
                status = 409 if version.is_published or error.field is None else 422
                if error.field in ("title", "theme", "handouts"):
                    getattr(form, error.field).errors.append(error.message)
                elif error.field == "activities":
                    flash(error.message, "error")
                else:
                    flash(error.message, "error")
                    if not version.is_published:
                        conflict = _conflict(plan, edit)
                        _restart_from(form, plan.revision)
            else:
                db.session.commit()
                flash(
                    f"Bijeenkomst {number} opgeslagen." if changed else "Er was niets veranderd.",
                    "success",
                )
                return redirect(
                    url_for("methodiek.session_edit", version_id=version_id, number=number)
                )
    elif request.method == "POST":
        status = 422
    return (
        render_template(
            "methodiek/session_edit.html",
            plan=plan,
            version=version,
            form=form,
            total=_form_total(form),
            minutes=SESSION_MINUTES,
            preview=preview,
            conflict=conflict,
            attachment_form=AttachmentForm(prefix="upload"),
            delete_form=EmptyForm(),
            max_upload_mb=get_setting(db.session, "max_upload_mb"),
        ),
        status,
    )


def _restart_from(form, revision: int) -> None:
    """After a conflict she has seen: her next save starts from the colleague's revision."""
    form.revision.data = revision
    form.revision.raw_data = [str(revision)]


def _conflict(plan: SessionPlan, edit: editing.SessionEdit):
    """What changed between the colleague's saved text and hers, for an edit conflict."""
    try:
        values = editing.clean_session_edit(edit)
    except DomainError:
        return None
    mine = SessionContent(
        number=plan.number,
        slug=plan.slug,
        title=values["title"],
        theme=values["theme"],
        goals=values["goals"],
        activities=values["activities"],
        materials=values["materials"],
        handouts=values["handout_files"],
        home_practice=values["home_practice"],
        culture_notes=values["culture_notes"],
        low_literacy_notes=values["low_literacy_notes"],
        body=values["body"],
    )
    return word_diff(diff.session_text(plan), diff.session_text(mine))


# --- attachments ---------------------------------------------------------------------------


@bp.route("/methodiek/<int:version_id>/sessies/<int:number>/bestanden", methods=["POST"])
@login_required
def attachment_upload(version_id: int, number: int):
    """Add a file to a draft's session, checked by its content."""
    _require_edit()
    plan = _plan(version_id, number)
    back = url_for("methodiek.session_edit", version_id=version_id, number=number) + "#bestanden"
    form = AttachmentForm(prefix="upload")
    if not form.validate_on_submit():
        flash("Het formulier is niet goed verstuurd. Probeer het opnieuw.", "error")
        return redirect(back)
    storage = request.files.get("upload-file")
    if storage is None:
        flash("Kies een bestand om te uploaden.", "error")
        return redirect(back)
    max_bytes = _max_upload_bytes()
    data = storage.stream.read(max_bytes + 1)
    try:
        attachment = attachments.add_attachment(
            db.session,
            current_user,
            plan,
            filename=storage.filename or "",
            data=data,
            upload_folder=current_app.config["UPLOAD_FOLDER"],
            max_bytes=max_bytes,
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    flash(f"Bestand {attachment.filename} toegevoegd.", "success")
    return redirect(back)


def _attachment(attachment_id: int) -> Attachment:
    attachment = db.session.scalar(
        sa.select(Attachment)
        .where(Attachment.id == attachment_id)
        .options(so.joinedload(Attachment.session_plan).joinedload(SessionPlan.version))
    )
    if attachment is None:
        abort(404)
    return attachment


@bp.route("/methodiek/bestanden/<int:attachment_id>")
@login_required
def attachment_download(attachment_id: int):
    """Download a session's file with its stored content type."""
    _require_read()
    attachment = _attachment(attachment_id)
    path = blob_path(current_app.config["UPLOAD_FOLDER"], attachment.sha256)
    if not path.is_file():
        abort(404)
    # Read at once (files are small, bounded by max_upload_mb): no file handle outlives the request.
    return send_file(
        io.BytesIO(path.read_bytes()),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
        conditional=False,
        etag=False,
        max_age=0,
    )


@bp.route("/methodiek/bestanden/<int:attachment_id>/verwijderen", methods=["POST"])
@login_required
def attachment_delete(attachment_id: int):
    """Take a file off a draft's session."""
    _require_edit()
    attachment = _attachment(attachment_id)
    plan = attachment.session_plan
    back = url_for("methodiek.session_edit", version_id=plan.version_id, number=plan.number)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attachments.remove_attachment(db.session, current_user, attachment)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    flash("Bestand weggehaald.", "success")
    return redirect(back + "#bestanden")


# --- handouts, documents, question sets ----------------------------------------------------


@bp.route("/methodiek/<int:version_id>/bijlagen/<filename>")
@login_required
def handout(version_id: int, filename: str):
    """A handout rendered for staff (and for printing)."""
    _require_read()
    handout = _handout(version_id, filename)
    return render_template(
        "methodiek/handout.html",
        handout=handout,
        version=handout.version,
        body=render_markdown(handout.body),
        can_edit=permissions.can_edit_methodiek(current_user) and not handout.version.is_published,
    )


def _text_edit(obj, version: MethodiekVersion, save, title: str, back: str, template_args: dict):
    """The shared edit flow for a handout or document: preview, save, conflicts."""
    if request.method == "GET":
        if version.is_published:
            flash(service.PUBLISHED_REFUSAL.format(label=version.label), "warning")
            return redirect(back)
        form = TextForm(data={"revision": obj.revision, "body": obj.body})
    else:
        form = TextForm()
    preview = conflict = None
    status = 200
    if form.validate_on_submit():
        if form.preview.data:
            preview = render_markdown(editing.normalise_markdown(form.body.data))
        else:
            try:
                changed = save(form.revision.data, form.body.data or "")
            except DomainError as error:
                db.session.rollback()
                db.session.refresh(obj)
                db.session.refresh(version)
                status = 422 if error.field == "body" else 409
                if error.field == "body":
                    form.body.errors.append(error.message)
                else:
                    flash(error.message, "error")
                    if not version.is_published:
                        conflict = word_diff(obj.body, editing.normalise_markdown(form.body.data))
                        _restart_from(form, obj.revision)
            else:
                db.session.commit()
                flash("Opgeslagen." if changed else "Er was niets veranderd.", "success")
                return redirect(request.path)
    elif request.method == "POST":
        status = 422
    return (
        render_template(
            "methodiek/text_edit.html",
            form=form,
            version=version,
            title=title,
            back=back,
            preview=preview,
            conflict=conflict,
            **template_args,
        ),
        status,
    )


@bp.route("/methodiek/<int:version_id>/bijlagen/<filename>/bewerken", methods=["GET", "POST"])
@login_required
def handout_edit(version_id: int, filename: str):
    """Edit a draft's handout."""
    _require_edit()
    handout = _handout(version_id, filename)
    return _text_edit(
        handout,
        handout.version,
        lambda revision, body: service.save_handout(
            db.session, current_user, handout, revision, body
        ),
        f"Bijlage {handout.filename}",
        url_for("methodiek.handout", version_id=version_id, filename=filename),
        {"handout": handout, "delete_form": EmptyForm()},
    )


@bp.route("/methodiek/<int:version_id>/bijlagen/<filename>/verwijderen", methods=["POST"])
@login_required
def handout_delete(version_id: int, filename: str):
    """Remove an unused handout from a draft."""
    _require_edit()
    handout = _handout(version_id, filename)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        service.delete_handout(db.session, current_user, handout)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("methodiek.handout", version_id=version_id, filename=filename))
    db.session.commit()
    flash(f"Bijlage {filename} verwijderd uit het concept.", "success")
    return redirect(url_for("methodiek.version", version_id=version_id))


@bp.route("/methodiek/<int:version_id>/bijlage-toevoegen", methods=["GET", "POST"])
@login_required
def handout_new(version_id: int):
    """Add a handout to a draft."""
    _require_edit()
    version = _version(version_id)
    if version.is_published:
        flash(service.PUBLISHED_REFUSAL.format(label=version.label), "warning")
        return redirect(url_for("methodiek.version", version_id=version_id))
    form = NewHandoutForm()
    status = 200
    if form.validate_on_submit():
        try:
            handout = service.add_handout(
                db.session, current_user, version, form.filename.data, form.body.data
            )
        except DomainError as error:
            db.session.rollback()
            target = getattr(form, error.field or "", None)
            if target is not None:
                target.errors.append(error.message)
            else:
                flash(error.message, "error")
            status = 422
        else:
            db.session.commit()
            flash(
                f"Bijlage {handout.filename} toegevoegd. Vink haar aan bij de bijeenkomst waar ze bij hoort.",
                "success",
            )
            return redirect(
                url_for("methodiek.handout", version_id=version_id, filename=handout.filename)
            )
    elif request.method == "POST":
        status = 422
    return render_template("methodiek/handout_new.html", form=form, version=version), status


def _document(version_id: int, path: str) -> MethodiekDocument:
    document = db.session.scalar(
        sa.select(MethodiekDocument)
        .where(MethodiekDocument.version_id == version_id, MethodiekDocument.path == path)
        .options(so.joinedload(MethodiekDocument.version))
    )
    if document is None:
        abort(404)
    return document


@bp.route("/methodiek/<int:version_id>/documenten/<path:path>")
@login_required
def document(version_id: int, path: str):
    """A document of the map: recruitment folder, press release, referrers, README."""
    _require_read()
    document = _document(version_id, path)
    is_markdown = document.path.endswith(".md")
    return render_template(
        "methodiek/document.html",
        document=document,
        version=document.version,
        body=render_markdown(document.body) if is_markdown else None,
        can_edit=permissions.can_edit_methodiek(current_user) and not document.version.is_published,
    )


@bp.route("/methodiek/<int:version_id>/document-bewerken/<path:path>", methods=["GET", "POST"])
@login_required
def document_edit(version_id: int, path: str):
    """Edit a draft's document."""
    _require_edit()
    document = _document(version_id, path)
    return _text_edit(
        document,
        document.version,
        lambda revision, body: service.save_document(
            db.session, current_user, document, revision, body
        ),
        f"Document {document.path}",
        url_for("methodiek.document", version_id=version_id, path=path),
        {"document": document},
    )


@bp.route("/methodiek/<int:version_id>/evaluatie/<kind>")
@login_required
def question_set(version_id: int, kind: str):
    """The evaluation questions of a set in the four languages."""
    _require_read()
    question_set = db.session.scalar(
        sa.select(QuestionSet)
        .where(QuestionSet.version_id == version_id, QuestionSet.kind == kind)
        .options(so.joinedload(QuestionSet.version))
    )
    if question_set is None:
        abort(404)
    return render_template(
        "methodiek/question_set.html",
        question_set=question_set,
        version=question_set.version,
        label=QUESTION_SET_KINDS.get(kind, kind),
    )


# --- groups --------------------------------------------------------------------------------


@bp.route("/groepen/<int:group_id>/methodiek-overstappen", methods=["POST"])
@login_required
def group_move(group_id: int):
    """Move a group's meetings not yet held to the newest published version."""
    from veiligthuis.web import load_group

    group = load_group(group_id, edit=True)
    back = url_for("groups.group_detail", group_id=group_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    version = db.session.get(MethodiekVersion, request.form.get("version_id", type=int) or 0)
    if version is None:
        flash("Kies een versie van de methodiek.", "error")
        return redirect(back)
    try:
        moved = meetings.move_group_to_version(db.session, current_user, group, version)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    flash(
        f"{moved} bijeenkomst(en) die nog komen gebruiken nu methodiek {version.label}. "
        "Bijeenkomsten die al geweest zijn houden hun versie.",
        "success",
    )
    return redirect(back)
