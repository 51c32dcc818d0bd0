"""Handouts, documents and question sets of the method in the browser."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from veiligthuis import permissions
from veiligthuis.auth.forms import EmptyForm
from veiligthuis.evaluations.texts import face_mood
from veiligthuis.extensions import db
from veiligthuis.forms import confirmed
from veiligthuis.methodiek import editing, recruitment, service
from veiligthuis.methodiek.blueprint import (
    bp,
    load_document,
    load_handout,
    load_version,
    require_edit,
    require_read,
    restart_from,
)
from veiligthuis.methodiek.content import REFERRERS_DOCUMENT
from veiligthuis.methodiek.diff import word_diff
from veiligthuis.methodiek.forms import (
    LAYOUT_HINT,
    NewHandoutForm,
    TextForm,
)
from veiligthuis.methodiek.models import (
    QUESTION_SET_KINDS,
    MethodiekVersion,
    QuestionSet,
)
from veiligthuis.methodiek.render import render_markdown
from veiligthuis.models import DomainError, utcnow
from veiligthuis.pdf import render_pdf
from veiligthuis.web import apply_domain_error


@bp.route("/methodiek/<int:version_id>/bijlagen/<filename>")
@login_required
def handout(version_id: int, filename: str):
    """A handout rendered for staff (and for printing)."""
    require_read()
    handout = load_handout(version_id, filename)
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
                apply_domain_error(form, error)
                db.session.refresh(obj)
                db.session.refresh(version)
                status = 422 if error.field == "body" else 409
                if error.field != "body" and not version.is_published:
                    conflict = word_diff(obj.body, editing.normalise_markdown(form.body.data))
                    restart_from(form, obj.revision)
            else:
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
            layout_hint=LAYOUT_HINT,
            press_release=recruitment.PRESS_RELEASE,
            **template_args,
        ),
        status,
    )


@bp.route("/methodiek/<int:version_id>/bijlagen/<filename>/bewerken", methods=["GET", "POST"])
@login_required
def handout_edit(version_id: int, filename: str):
    """Edit a draft's handout."""
    require_edit()
    handout = load_handout(version_id, filename)
    return _text_edit(
        handout,
        handout.version,
        lambda revision, body: service.save_handout(
            db.session, current_user, handout, revision, body
        ),
        f"Bijlage {handout.title}",
        url_for("methodiek.handout", version_id=version_id, filename=filename),
        {"handout": handout, "delete_form": EmptyForm()},
    )


@bp.route("/methodiek/<int:version_id>/bijlagen/<filename>/verwijderen", methods=["POST"])
@login_required
def handout_delete(version_id: int, filename: str):
    """Remove an unused handout from a draft."""
    require_edit()
    handout = load_handout(version_id, filename)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not confirmed("Vink aan dat u de bijlage wilt verwijderen; er is niets verwijderd."):
        return redirect(url_for("methodiek.handout", version_id=version_id, filename=filename))
    try:
        service.delete_handout(db.session, current_user, handout)
    except DomainError as error:
        apply_domain_error(None, error)
        return redirect(url_for("methodiek.handout", version_id=version_id, filename=filename))
    flash(f"Bijlage {filename} verwijderd uit het concept.", "success")
    return redirect(url_for("methodiek.version", version_id=version_id))


@bp.route("/methodiek/<int:version_id>/bijlage-toevoegen", methods=["GET", "POST"])
@login_required
def handout_new(version_id: int):
    """Add a handout to a draft."""
    require_edit()
    version = load_version(version_id)
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
            apply_domain_error(form, error)
            status = 422
        else:
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


@bp.route("/methodiek/<int:version_id>/documenten/<path:path>")
@login_required
def document(version_id: int, path: str):
    """A document of the map: the press release filled in, the referrers as a table, the rest."""
    require_read()
    document = load_document(version_id, path)
    body = gaps = referrers = None
    if document.path == recruitment.PRESS_RELEASE:
        values = recruitment.press_values(db.session, utcnow())
        body = render_markdown(recruitment.fill_placeholders(document.body, values))
        gaps = recruitment.gaps(document.body, values)
    elif document.path == REFERRERS_DOCUMENT:
        referrers = recruitment.referrer_list(document.body)
    elif document.is_text:
        body = render_markdown(document.body)
    return render_template(
        "methodiek/document.html",
        document=document,
        version=document.version,
        body=body,
        gaps=gaps,
        referrers=referrers,
        is_referrers=document.path == REFERRERS_DOCUMENT,
        can_edit=permissions.can_edit_methodiek(current_user) and not document.version.is_published,
    )


@bp.route("/methodiek/<int:version_id>/persbericht.pdf")
@login_required
def press_release_pdf(version_id: int):
    """The press release filled in, as a PDF to send to a newspaper."""
    require_read()
    document = load_document(version_id, recruitment.PRESS_RELEASE)
    values = recruitment.press_values(db.session, utcnow())
    html = render_template(
        "pdf/press_release.html",
        body=render_markdown(recruitment.fill_placeholders(document.body, values)),
    )
    return Response(
        render_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="persbericht.pdf"'},
    )


@bp.route("/methodiek/<int:version_id>/document-bewerken/<path:path>", methods=["GET", "POST"])
@login_required
def document_edit(version_id: int, path: str):
    """Edit a draft's document."""
    require_edit()
    document = load_document(version_id, path)
    return _text_edit(
        document,
        document.version,
        lambda revision, body: service.save_document(
            db.session, current_user, document, revision, body
        ),
        document.label,
        url_for("methodiek.document", version_id=version_id, path=path),
        {"document": document},
    )


@bp.route("/methodiek/<int:version_id>/evaluatie/<kind>")
@login_required
def question_set(version_id: int, kind: str):
    """The evaluation questions of a set in the four languages."""
    require_read()
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
        face_mood=face_mood,
        version=question_set.version,
        label=QUESTION_SET_KINDS.get(kind, kind),
    )
