"""Staff accounts, their leave, and the run-time settings (coordinators only)."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from veiligthuis import permissions, undo
from veiligthuis.auth import service
from veiligthuis.auth.forms import EmptyForm, LeaveForm, StaffForm
from veiligthuis.auth.models import ROLES, Leave, User
from veiligthuis.auth.views import bp, current_session_hash
from veiligthuis.extensions import db
from veiligthuis.forms import confirmed
from veiligthuis.models import DomainError
from veiligthuis.programmes import service as programmes_service
from veiligthuis.settings import DEFAULTS, get_settings, save_settings
from veiligthuis.web import apply_domain_error
from veiligthuis.wording import day_nl


def _require_manager() -> None:
    if not permissions.can_manage(current_user):
        abort(403)


@bp.route("/beheer/medewerkers")
@login_required
def staff_list():
    _require_manager()
    users = db.session.scalars(sa.select(User).order_by(User.name)).all()
    return render_template("auth/staff_list.html", users=users, roles=ROLES)


def _staff_form(user: User | None) -> StaffForm:
    """The account form; it asks for programmes only where there is more than one."""
    programmes_service.default_programme(db.session)
    programmes = programmes_service.programmes_for(db.session, current_user)
    data = None
    if request.method == "GET":
        data = {
            "roles": user.roles if user else [],
            "programme_ids": [p.id for p in user.programmes] if user else [programmes[0].id],
        }
    form = StaffForm(obj=user, data=data, programmes=programmes)
    if len(programmes) < 2:
        del form.programme_ids  # only the women's group: she works in it, as before
    return form


def _save_programmes(user: User, form: StaffForm) -> None:
    if "programme_ids" in form:
        chosen = set(form.programme_ids.data or [])
        programmes = programmes_service.programmes_for(db.session, current_user)
        programmes_service.set_user_programmes(
            db.session, current_user, user, [p for p in programmes if p.id in chosen]
        )


@bp.route("/beheer/medewerkers/nieuw", methods=["GET", "POST"])
@login_required
def staff_new():
    _require_manager()
    form = _staff_form(None)
    if form.validate_on_submit():
        try:
            user = service.create_user(
                db.session,
                email=form.email.data,
                name=form.name.data,
                password=form.password.data or "",
                roles=form.roles.data,
            )
            _save_programmes(user, form)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(f"Account voor {user.name} aangemaakt.", "success")
            return redirect(url_for("auth.staff_list"))
    return render_template("auth/staff_form.html", form=form, user=None)


@bp.route("/beheer/medewerkers/<int:user_id>", methods=["GET", "POST"])
@login_required
def staff_edit(user_id: int):
    _require_manager()
    user = db.get_or_404(User, user_id)
    form = _staff_form(user)
    del form.email  # the address is the login name: not changed here
    if form.validate_on_submit():
        if user.id == current_user.id and "coordinator" not in form.roles.data:
            form.roles.errors.append("U kunt uw eigen coördinatorrol niet intrekken.")
        else:
            try:
                service.update_user(
                    user,
                    name=form.name.data,
                    roles=form.roles.data,
                    is_enabled=form.is_enabled.data or user.id == current_user.id,
                    password=form.password.data or "",
                    keep_session=current_session_hash() if user.id == current_user.id else None,
                )
                _save_programmes(user, form)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                flash("Wijzigingen opgeslagen.", "success")
                return redirect(url_for("auth.staff_edit", user_id=user.id))
    return render_template(
        "auth/staff_form.html",
        form=form,
        user=user,
        leave_form=LeaveForm(prefix="leave"),
        undo_items=[
            (item["label"], url_for("auth.leave_restore", user_id=user.id, token=item["token"]))
            for item in undo.pending(f"staff-{user.id}")
        ],
    )


@bp.route("/beheer/medewerkers/<int:user_id>/tweestaps-herstellen", methods=["POST"])
@login_required
def staff_reset_two_factor(user_id: int):
    _require_manager()
    user = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit() and confirmed(
        "Vink aan dat u inloggen in twee stappen wilt herstellen; er is niets veranderd."
    ):
        service.reset_two_factor(db.session, current_user, user)
        flash(f"Inloggen in twee stappen van {user.name} is hersteld: zij stelt het opnieuw in.")
    return redirect(url_for("auth.staff_edit", user_id=user.id))


@bp.route("/beheer/medewerkers/<int:user_id>/verlof", methods=["POST"])
@login_required
def staff_leave(user_id: int):
    _require_manager()
    user = db.get_or_404(User, user_id)
    form = LeaveForm(prefix="leave")
    if form.validate_on_submit():
        try:
            service.add_leave(
                db.session, user, form.start_date.data, form.end_date.data, form.reason.data or ""
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("Verlof vastgelegd.", "success")
    else:
        flash("Vul bij verlof twee geldige datums in.", "error")
    return redirect(url_for("auth.staff_edit", user_id=user.id))


@bp.route("/beheer/verlof/<int:leave_id>/verwijderen", methods=["POST"])
@login_required
def leave_delete(leave_id: int):
    _require_manager()
    leave = db.get_or_404(Leave, leave_id)
    user_id = leave.user_id
    if EmptyForm().validate_on_submit() and confirmed(
        "Vink aan dat u het verlof wilt verwijderen; er is niets verwijderd."
    ):
        label = (
            f"Verlof {day_nl(leave.start_date)} tot en met {day_nl(leave.end_date)}: {leave.reason}"
        )
        snapshot = service.delete_leave(db.session, current_user, leave)
        undo.remember("leave", f"staff-{user_id}", label, snapshot)
        flash("Verlof verwijderd.", "success")
    return redirect(url_for("auth.staff_edit", user_id=user_id))


@bp.route("/beheer/medewerkers/<int:user_id>/verlof/terugzetten/<token>", methods=["POST"])
@login_required
def leave_restore(user_id: int, token: str):
    _require_manager()
    user = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    item = undo.take(token, f"staff-{user_id}")
    if item is None:
        flash("Dit kan niet meer ongedaan worden gemaakt (na een uur of na uitloggen).", "error")
        return redirect(url_for("auth.staff_edit", user_id=user_id))
    try:
        service.restore_leave(db.session, current_user, user, item["snapshot"])
    except DomainError as error:
        apply_domain_error(None, error)
    else:
        flash("Verlof teruggezet.", "success")
    return redirect(url_for("auth.staff_edit", user_id=user_id))


@bp.route("/beheer/instellingen", methods=["GET", "POST"])
@login_required
def settings():
    _require_manager()
    values = get_settings(db.session)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        errors = save_settings(db.session, current_user, request.form)
        if not errors:
            flash("Instellingen opgeslagen.", "success")
            return redirect(url_for("auth.settings"))
        values.update({k: request.form.get(k, "") for k in DEFAULTS if k in errors})
    return render_template(
        "auth/settings.html", values=values, defaults=DEFAULTS, errors=errors, form=EmptyForm()
    )
