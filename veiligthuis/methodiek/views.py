"""The method material in the browser: versions, drafts, differences, moving a group.

The session pages and the text pages join the same blueprint from their own modules.
"""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup

from veiligthuis import permissions
from veiligthuis.auth.forms import EmptyForm
from veiligthuis.extensions import db
from veiligthuis.forms import confirmed
from veiligthuis.methodiek import diff, meetings, service, session_views, text_views  # noqa: F401
from veiligthuis.methodiek.blueprint import (
    bp,
    load_version,
    require_edit,
    require_read,
)
from veiligthuis.methodiek.content import (
    HANDOUTS_DIR,
    META_FILE,
    SESSIONS_DIR,
    Problem,
    is_break,
    question_set_path,
    session_path,
)
from veiligthuis.methodiek.forms import (
    VersionForm,
)
from veiligthuis.methodiek.models import (
    QUESTION_SET_KINDS,
    MethodiekVersion,
)
from veiligthuis.models import DomainError

# The session and text pages register their routes on bp when imported.
from veiligthuis.programmes.service import visible_programme_ids
from veiligthuis.signals import template_hook
from veiligthuis.web import apply_domain_error, load_group


def _problem_links(
    version: MethodiekVersion, problems: list[Problem]
) -> list[tuple[str, str | None]]:
    """Each problem named by the part it is in (not its file), with a link to fix it there."""
    places: dict[str, tuple[str, str | None]] = {
        META_FILE: ("Gegevens van het concept", None),
        f"{SESSIONS_DIR}/": ("Bijeenkomsten", None),
    }
    for kind, label in QUESTION_SET_KINDS.items():
        places[question_set_path(kind)] = (f"Evaluatievragen {label}", None)
    for plan in version.sessions:
        places[session_path(plan.number, plan.slug)] = (
            f"Bijeenkomst {plan.number}",
            url_for("methodiek.session_edit", version_id=version.id, number=plan.number),
        )
    for handout in version.handouts:
        places[f"{HANDOUTS_DIR}/{handout.filename}"] = (
            f"Bijlage {handout.title}",
            url_for("methodiek.handout_edit", version_id=version.id, filename=handout.filename),
        )
    for document in version.documents:
        places[document.path] = (
            document.label,
            url_for("methodiek.document_edit", version_id=version.id, path=document.path),
        )
    links = []
    for problem in problems:
        label, link = places.get(problem.file, (problem.file, None))
        where = f"{label}, regel {problem.line}" if problem.line else label
        links.append((f"{where}: {problem.message}", link))
    return links


@bp.route("/methodiek")
@login_required
def index():
    """The list of versions; editors start a draft here."""
    require_read()
    versions = service.list_versions(db.session, visible_programme_ids(current_user))
    # one method book per programme, each with its own draft
    books = {}
    for v in versions:
        books.setdefault(v.programme, []).append(v)
    return render_template(
        "methodiek/index.html",
        versions=versions,
        books=sorted(books.items(), key=lambda b: (not b[0].is_default, b[0].name)),
        can_edit=permissions.can_edit_methodiek(current_user),
        form=EmptyForm(),
    )


@bp.route("/methodiek/concept", methods=["POST"])
@login_required
def draft_new():
    """Start a draft as a copy of the latest published version."""
    require_edit()
    if not EmptyForm().validate_on_submit():
        abort(400)
    programme_id = request.form.get("programme_id", type=int)
    if programme_id is not None and not permissions.in_programme(current_user, programme_id):
        abort(404)
    try:
        draft = service.create_draft(db.session, current_user, programme_id)
    except DomainError as error:
        apply_domain_error(None, error)
        return redirect(url_for("methodiek.index"))
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
    require_read()
    return _version_page(load_version(version_id))


def _version_page(version, refused: VersionForm | None = None):
    """The version's page; ``refused``, its details form that was not saved, shown with its
    messages and what she typed (422)."""
    can_edit = permissions.can_edit_methodiek(current_user) and not version.is_published
    problems = service.version_problems(version) if not version.is_published else []
    details_form = refused or VersionForm(formdata=None, obj=version, prefix="v")
    return render_template(
        "methodiek/version.html",
        version=version,
        can_edit=can_edit,
        problems=_problem_links(version, problems) if can_edit else [],
        details_form=details_form,
        form=EmptyForm(),
        kinds=QUESTION_SET_KINDS,
        minutes=version.programme.session_minutes,
        is_break=is_break,
    ), (200 if refused is None else 422)


@bp.route("/methodiek/<int:version_id>/gegevens", methods=["POST"])
@login_required
def version_details(version_id: int):
    """Change a draft's name, title and description."""
    require_edit()
    version = load_version(version_id)
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
            apply_domain_error(form, error)
        else:
            flash("Gegevens van het concept opgeslagen.", "success")
            return redirect(url_for("methodiek.version", version_id=version_id))
    return _version_page(load_version(version_id), form)


@bp.route("/methodiek/<int:version_id>/publiceren", methods=["POST"])
@login_required
def version_publish(version_id: int):
    """Publish a draft (refused while it has problems)."""
    require_edit()
    version = load_version(version_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        service.publish(db.session, current_user, version)
    except DomainError as error:
        apply_domain_error(None, error)
        return redirect(url_for("methodiek.version", version_id=version_id))
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
    require_edit()
    version = load_version(version_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not confirmed("Vink aan dat u het concept wilt weggooien; er is niets weggegooid."):
        return redirect(url_for("methodiek.version", version_id=version_id))
    try:
        service.delete_draft(db.session, current_user, version)
    except DomainError as error:
        apply_domain_error(None, error)
        return redirect(url_for("methodiek.version", version_id=version_id))
    flash("Het concept is verwijderd.", "success")
    return redirect(url_for("methodiek.index"))


@bp.route("/methodiek/<int:version_id>/verschil")
@login_required
def version_diff(version_id: int):
    """The differences with the version this one was based on."""
    require_read()
    version = load_version(version_id)
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
    require_read()
    old_id = request.args.get("van", type=int)
    new_id = request.args.get("naar", type=int)
    versions = service.list_versions(db.session, visible_programme_ids(current_user))
    visible = {v.id for v in versions}
    old = service.load_version(db.session, old_id) if old_id in visible else None
    new = service.load_version(db.session, new_id) if new_id in visible else None
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


@bp.route("/groepen/<int:group_id>/methodiek-overstappen", methods=["POST"])
@login_required
def group_move(group_id: int):
    """Move a group's meetings not yet held to the newest published version."""

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
        apply_domain_error(None, error)
        return redirect(back)
    flash(
        (
            "De bijeenkomst die nog komt gebruikt"
            if moved == 1
            else f"De {moved} bijeenkomsten die nog komen gebruiken"
        )
        + f" nu methodiek {version.label}. "
        "Bijeenkomsten die al geweest zijn houden hun versie.",
        "success",
    )
    return redirect(back)


@template_hook.connect_via("session-preparation")
def preparation_panel(_hook, *, gs, user, **_kwargs):
    """On the meeting page: its plan with clock times, for staff who may read the method book."""
    if not permissions.can_read_methodiek(user):
        return None
    preparation = meetings.session_preparation(db.session, gs)
    if preparation is None:
        return None
    return Markup(
        render_template("methodiek/_session_preparation.html", preparation=preparation, gs=gs)
    )


@template_hook.connect_via("group-notices")
def version_notice_panel(_hook, *, group, can_edit=False, **_kwargs):
    """Above a group's page: a newer published version than its coming meetings use."""
    notice = meetings.version_notice(db.session, group)
    if notice is None:
        return None
    return Markup(
        render_template(
            "methodiek/_version_notice.html",
            methodiek_notice=notice,
            group=group,
            can_edit=can_edit,
        )
    )
