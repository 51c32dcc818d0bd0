"""Login, logout, staff accounts, leave and run-time settings."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from veiligthuis import permissions
from veiligthuis.auth import service
from veiligthuis.auth.forms import (
    CodeForm,
    EmptyForm,
    LeaveForm,
    LoginForm,
    PasswordChangeForm,
    StaffForm,
)
from veiligthuis.auth.models import ROLES, Leave, User
from veiligthuis.extensions import db, login_manager
from veiligthuis.models import DomainError
from veiligthuis.settings import DEFAULTS, get_settings, set_setting

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Log in om verder te gaan."
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        return db.session.get(User, int(user_id))
    except ValueError:
        return None


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("groups.dashboard")


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("groups.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = service.authenticate(db.session, form.email.data or "", form.password.data or "")
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            db.session.commit()  # the failure count, or a rehashed password
            if user is None:
                form.password.errors.append(
                    "Deze combinatie van e-mailadres en wachtwoord klopt niet."
                )
            elif user.totp_secret:
                session["pending_user_id"] = user.id
                session["pending_next"] = _safe_next(request.args.get("next"))
                return redirect(url_for("auth.login_code"))
            else:
                session.clear()  # a fresh session for a fresh login
                login_user(user)
                return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/inloggen/code", methods=["GET", "POST"])
def login_code():
    user = db.session.get(User, session.get("pending_user_id") or 0)
    if user is None or not user.totp_secret or not user.is_enabled:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if service.is_locked_out(db.session, user.email):
            form.code.errors.append(
                "Te veel mislukte pogingen. Probeer het over een kwartier opnieuw."
            )
        elif service.verify_two_factor(db.session, user, form.code.data):
            target = session.get("pending_next") or url_for("groups.dashboard")
            db.session.commit()
            session.clear()
            login_user(user)
            return redirect(target)
        else:
            db.session.commit()
            form.code.errors.append("Deze code klopt niet. Kijk in de app en probeer het opnieuw.")
    return render_template("auth/login_code.html", form=form)


@bp.route("/account", methods=["GET"])
@login_required
def account():
    return _render_account()


def _render_account(password_form=None, code_form=None, status=200):
    pending = session.get("new_totp_secret")
    qr_svg = None
    if pending and not current_user.totp_secret:
        import segno

        uri = service.totp_uri(current_user, pending, issuer="veiligthuis")
        qr_svg = segno.make(uri).svg_data_uri(scale=5)
    return (
        render_template(
            "auth/account.html",
            password_form=password_form or PasswordChangeForm(prefix="pw"),
            code_form=code_form or CodeForm(prefix="totp"),
            pending_secret=pending if qr_svg else None,
            qr_svg=qr_svg,
            empty_form=EmptyForm(),
        ),
        status,
    )


@bp.route("/account/wachtwoord", methods=["POST"])
@login_required
def account_password():
    form = PasswordChangeForm(prefix="pw")
    if form.validate_on_submit():
        try:
            service.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except DomainError as error:
            getattr(form, error.field or "new_password", form.new_password).errors.append(
                error.message
            )
        else:
            db.session.commit()
            flash("Uw wachtwoord is gewijzigd.", "success")
            return redirect(url_for("auth.account"))
    return _render_account(password_form=form, status=422)


@bp.route("/account/tweestaps", methods=["POST"])
@login_required
def account_two_factor():
    if current_user.totp_secret:
        return redirect(url_for("auth.account"))
    if "new_totp_secret" not in session:
        if EmptyForm().validate_on_submit():
            session["new_totp_secret"] = service.new_totp_secret()
        return redirect(url_for("auth.account"))
    form = CodeForm(prefix="totp")
    if form.validate_on_submit():
        try:
            service.enable_two_factor(current_user, session["new_totp_secret"], form.code.data)
        except DomainError as error:
            form.code.errors.append(error.message)
        else:
            db.session.commit()
            session.pop("new_totp_secret", None)
            flash("Inloggen in twee stappen staat aan.", "success")
            return redirect(url_for("auth.account"))
    return _render_account(code_form=form, status=422)


@bp.route("/account/tweestaps/uit", methods=["POST"])
@login_required
def account_two_factor_off():
    if EmptyForm().validate_on_submit():
        service.disable_two_factor(current_user)
        db.session.commit()
        flash("Inloggen in twee stappen staat uit.", "success")
    return redirect(url_for("auth.account"))


@bp.route("/uitloggen", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
    return redirect(url_for("auth.login"))


def _require_manager() -> None:
    if not permissions.can_manage(current_user):
        abort(403)


@bp.route("/beheer/medewerkers")
@login_required
def staff_list():
    _require_manager()
    users = db.session.scalars(sa.select(User).order_by(User.name)).all()
    return render_template("auth/staff_list.html", users=users, roles=ROLES)


@bp.route("/beheer/medewerkers/nieuw", methods=["GET", "POST"])
@login_required
def staff_new():
    _require_manager()
    form = StaffForm()
    if form.validate_on_submit():
        try:
            user = service.create_user(
                db.session,
                email=form.email.data,
                name=form.name.data,
                password=form.password.data or "",
                roles=form.roles.data,
            )
        except DomainError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            db.session.commit()
            flash(f"Account voor {user.name} aangemaakt.", "success")
            return redirect(url_for("auth.staff_list"))
    return render_template("auth/staff_form.html", form=form, user=None)


@bp.route("/beheer/medewerkers/<int:user_id>", methods=["GET", "POST"])
@login_required
def staff_edit(user_id: int):
    _require_manager()
    user = db.get_or_404(User, user_id)
    form = StaffForm(obj=user, data=None if request.method == "POST" else {"roles": user.roles})
    del form.email  # the address is the login name: not changed here
    leave_form = LeaveForm(prefix="leave")
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
                )
            except DomainError as error:
                getattr(form, error.field or "name").errors.append(error.message)
            else:
                db.session.commit()
                flash("Wijzigingen opgeslagen.", "success")
                return redirect(url_for("auth.staff_edit", user_id=user.id))
    return render_template(
        "auth/staff_form.html", form=form, user=user, leave_form=leave_form, delete_form=EmptyForm()
    )


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
            flash(error.message, "error")
        else:
            db.session.commit()
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
    if EmptyForm().validate_on_submit():
        service.remove_leave(db.session, current_user, leave)
        db.session.commit()
        flash("Verlof verwijderd.", "success")
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
        parsed = {}
        for key, (default, _label) in DEFAULTS.items():
            raw = request.form.get(key, "")
            if isinstance(default, bool):
                parsed[key] = raw == "on"
            elif isinstance(default, int):
                try:
                    number = int(raw)
                except ValueError:
                    errors[key] = "Vul een heel getal in."
                    continue
                if not 1 <= number <= 600:
                    errors[key] = "Kies een getal van 1 tot en met 600."
                    continue
                parsed[key] = number
            else:
                text = raw.strip()
                if not text or len(text) > 120:
                    errors[key] = "Vul een tekst in van hoogstens 120 tekens."
                    continue
                parsed[key] = text
        if key_error := _settings_rules(parsed):
            errors.update(key_error)
        if not errors:
            for key, value in parsed.items():
                set_setting(db.session, key, value)
            db.session.commit()
            flash("Instellingen opgeslagen.", "success")
            return redirect(url_for("auth.settings"))
        values.update({k: request.form.get(k, "") for k in DEFAULTS if k in errors})
    return render_template(
        "auth/settings.html", values=values, defaults=DEFAULTS, errors=errors, form=EmptyForm()
    )


def _settings_rules(parsed: dict) -> dict[str, str]:
    from veiligthuis.wording import find_sensitive_words

    errors = {}
    if parsed.get("completion_threshold", 9) > 12:
        errors["completion_threshold"] = "Een groep heeft twaalf bijeenkomsten: kies hoogstens 12."
    for key in ("public_title", "neutral_sender"):
        if key in parsed and find_sensitive_words(parsed[key]):
            errors[key] = "Deze tekst is niet neutraal genoeg: deelnemers kunnen hem ontvangen."
    return errors
