"""Session plans in the browser: reading, editing with work forms and minutes, their files."""

from __future__ import annotations

import io

import sqlalchemy as sa
from flask import (
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
from veiligthuis.forms import confirmed
from veiligthuis.methodiek import attachments, diff, editing, service
from veiligthuis.methodiek.blueprint import (
    bp,
    load_attachment,
    load_plan,
    max_upload_bytes,
    require_edit,
    require_read,
    restart_from,
)
from veiligthuis.methodiek.content import (
    BREAK_KIND,
    SessionContent,
    is_break,
)
from veiligthuis.methodiek.diff import word_diff
from veiligthuis.methodiek.forms import (
    EXTRA_ACTIVITY_ROWS,
    AttachmentForm,
    SessionForm,
)
from veiligthuis.methodiek.models import (
    Handout,
    SessionPlan,
)
from veiligthuis.methodiek.render import render_markdown
from veiligthuis.methodiek.uploads import blob_path
from veiligthuis.models import DomainError
from veiligthuis.settings import get_setting
from veiligthuis.web import apply_domain_error


@bp.route("/methodiek/<int:version_id>/sessies/<int:number>")
@login_required
def session_view(version_id: int, number: int):
    """A session plan as facilitators read it."""
    require_read()
    plan = load_plan(version_id, number)
    return render_template(
        "methodiek/session.html",
        plan=plan,
        version=plan.version,
        handout_titles={h.filename: h.title for h in plan.version.handouts},
        body=render_markdown(plan.body),
        minutes=plan.version.programme.session_minutes,
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
        activity, complete = _row_activity(index, row.form)
        ok = ok and complete
        if activity is not None:
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


def _row_activity(index: int, row) -> tuple[dict | None, bool]:
    """A work form row's values (None for an empty row) and whether it is filled in enough.

    A half-filled row gets its errors on the row and counts as not complete.
    """
    title = (row.title.data or "").strip()
    minutes = row.minutes.data
    description = row.description.data or ""
    if not title and minutes is None and not description.strip():
        return None, True
    complete = True
    if not title:
        row.title.errors = [*row.title.errors, f"Werkvorm {index} heeft geen titel."]
        complete = False
    if minutes is None and not row.minutes.errors:
        row.minutes.errors = [
            *row.minutes.errors,
            f"Vul bij werkvorm {index} het aantal minuten in.",
        ]
        complete = False
    activity = {"title": title, "minutes": minutes, "description": description}
    if row.is_break.data:
        activity["kind"] = BREAK_KIND
    return activity, complete


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
    require_edit()
    plan = load_plan(version_id, number)
    version = plan.version
    handouts = list(
        db.session.scalars(
            sa.select(Handout).where(Handout.version_id == version.id).order_by(Handout.filename)
        )
    )
    if request.method == "GET" and version.is_published:
        flash(service.PUBLISHED_REFUSAL.format(label=version.label), "warning")
        return redirect(url_for("methodiek.session_view", version_id=version_id, number=number))
    if request.method == "GET":
        form = SessionForm(data=_plan_form_data(plan), handouts=handouts)
    else:
        form = SessionForm(handouts=handouts)
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
                plan, status, conflict = _refused(form, edit, error, version_id, number)
                version = plan.version
            else:
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
            minutes=version.programme.session_minutes,
            preview=preview,
            conflict=conflict,
            attachment_form=AttachmentForm(prefix="upload"),
            delete_form=EmptyForm(),
            max_upload_mb=get_setting(db.session, "max_upload_mb"),
        ),
        status,
    )


def _refused(form: SessionForm, edit: editing.SessionEdit, error: DomainError, version_id, number):
    """After a refused save: the reloaded plan, the status, and the differences of a conflict."""
    # A work form's refusal has no field of its own on the page: it is shown at the top.
    apply_domain_error(None if error.field == "activities" else form, error)
    plan = load_plan(version_id, number)
    status = 409 if plan.version.is_published or error.field is None else 422
    conflict = None
    if error.field not in ("title", "theme", "handouts", "activities") and not (
        plan.version.is_published
    ):
        conflict = _conflict(plan, edit)
        restart_from(form, plan.revision)
    return plan, status, conflict


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


@bp.route("/methodiek/<int:version_id>/sessies/<int:number>/bestanden", methods=["POST"])
@login_required
def attachment_upload(version_id: int, number: int):
    """Add a file to a draft's session, checked by its content."""
    require_edit()
    plan = load_plan(version_id, number)
    back = url_for("methodiek.session_edit", version_id=version_id, number=number) + "#bestanden"
    form = AttachmentForm(prefix="upload")
    if not form.validate_on_submit():
        flash("Het formulier is niet goed verstuurd. Probeer het opnieuw.", "error")
        return redirect(back)
    storage = request.files.get("upload-file")
    if storage is None:
        flash("Kies een bestand om te uploaden.", "error")
        return redirect(back)
    max_bytes = max_upload_bytes()
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
        apply_domain_error(None, error)
        return redirect(back)
    flash(f"Bestand {attachment.filename} toegevoegd.", "success")
    return redirect(back)


@bp.route("/methodiek/bestanden/<int:attachment_id>")
@login_required
def attachment_download(attachment_id: int):
    """Download a session's file with its stored content type."""
    require_read()
    attachment = load_attachment(attachment_id)
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
    require_edit()
    attachment = load_attachment(attachment_id)
    plan = attachment.session_plan
    back = url_for("methodiek.session_edit", version_id=plan.version_id, number=plan.number)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not confirmed("Vink aan dat u het bestand wilt weghalen; er is niets weggehaald."):
        return redirect(back + "#bestanden")
    try:
        attachments.remove_attachment(db.session, current_user, attachment)
    except DomainError as error:
        apply_domain_error(None, error)
        return redirect(back)
    flash("Bestand weggehaald.", "success")
    return redirect(back + "#bestanden")
