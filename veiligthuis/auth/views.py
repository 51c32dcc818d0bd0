"""Login in one or two steps, logout, the session store and the known-device cookie."""

import secrets
from datetime import timedelta
from typing import cast
from urllib.parse import urlsplit

import segno
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from veiligthuis.auth import service
from veiligthuis.auth.forms import (
    CodeForm,
    EmptyForm,
    LoginForm,
)
from veiligthuis.auth.models import User, audit_source
from veiligthuis.auth.web_session import (
    DatabaseSession,
    DatabaseSessionInterface,
    hash_id,
    session_user,
)
from veiligthuis.extensions import db, login_manager
from veiligthuis.models import DomainError, utcnow
from veiligthuis.settings import get_setting
from veiligthuis.web import apply_domain_error

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Log in om verder te gaan."
login_manager.session_protection = "strong"


#: Her account when her session's row did not bring it (``web_session.session_user``), with her
#: roles in the same statement: every request asks for them (menu, permissions). Built once,
#: so SQLAlchemy works out its cache key once rather than on every request.
_USER_WITH_ROLES = (
    sa.select(User).where(User.id == sa.bindparam("user_id")).options(so.joinedload(User.role_rows))
)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user_pk = int(user_id)
    except ValueError:
        return None
    user = session_user(session, user_pk)
    if user is not None:
        return user
    return db.session.scalars(_USER_WITH_ROLES, {"user_id": user_pk}).unique().one_or_none()


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("groups.dashboard")


DEVICE_COOKIE = "vt_device"
DEVICE_MAX_AGE = 180 * 24 * 3600


def _install_session_interface(state) -> None:
    state.app.session_interface = DatabaseSessionInterface()


bp.record_once(_install_session_interface)


@bp.before_app_request
def _remember_audit_source() -> None:
    # Every audit entry written in this request records where it came from (NEN 7513).
    audit_source.set(
        ((request.remote_addr or "")[:45], request.headers.get("User-Agent", "")[:255])
    )


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def known_device(email: str) -> str | None:
    """The id of this browser's known-device cookie when it was issued for ``email``."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        data = _device_serializer().loads(raw, max_age=DEVICE_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("e") != email.strip().lower():
        return None
    return str(data.get("d"))[:64]


def _issue_device_cookie(response, email: str, device: str | None):
    value = _device_serializer().dumps({"e": email.lower(), "d": device or secrets.token_hex(16)})
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_MAX_AGE,
        path=url_for("auth.login"),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Strict",
    )
    return response


def _client() -> str:
    return (request.remote_addr or "")[:45]


def _finish_login(user: User, target: str):
    """Log her in in a fresh session and mark this browser as one of hers."""
    session.clear()
    login_user(user)
    cast(DatabaseSession, session).regenerate()
    idle = timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])
    service.purge_stale_sessions(
        db.session, utcnow() - max(idle, current_app.permanent_session_lifetime)
    )
    if user.has_role("coordinator") and not get_setting(db.session, "require_two_factor"):
        flash(
            "Let op: inloggen in twee stappen is niet verplicht. Zet het aan bij Beheer → "
            "Instellingen: met alleen een wachtwoord kan een ander bij deelnemersgegevens.",
            "error",
        )
    return _issue_device_cookie(redirect(target), user.email, known_device(user.email))


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("groups.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        try:
            user = service.authenticate(
                db.session,
                email,
                form.password.data or "",
                address=_client(),
                device=known_device(email),
            )
        except DomainError as error:
            apply_domain_error(form, DomainError(error.message, "password"))
        else:
            if user is None:
                form.password.errors.append(
                    "Deze combinatie van e-mailadres en wachtwoord klopt niet."
                )
            elif user.totp_secret or service.needs_two_factor(db.session, user):
                session["pending_user_id"] = user.id
                session["pending_next"] = _safe_next(request.args.get("next"))
                if user.totp_secret:
                    return redirect(url_for("auth.login_code"))
                return redirect(url_for("auth.login_enrol"))
            else:
                return _finish_login(user, _safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/inloggen/code", methods=["GET", "POST"])
def login_code():
    user = db.session.get(User, session.get("pending_user_id") or 0)
    if user is None or not user.totp_secret or not user.is_enabled:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            ok = service.verify_two_factor(
                db.session, user, form.code.data, address=_client(), device=known_device(user.email)
            )
        except DomainError as error:
            apply_domain_error(form, DomainError(error.message, "code"))
        else:
            if ok:
                return _finish_login(
                    user, session.get("pending_next") or url_for("groups.dashboard")
                )
            form.code.errors.append("Deze code klopt niet. Kijk in de app en probeer het opnieuw.")
    return render_template("auth/login_code.html", form=form)


@bp.route("/inloggen/instellen", methods=["GET", "POST"])
def login_enrol():
    """Her role sees participant data: before she is in, she sets up her authenticator app."""
    user = db.session.get(User, session.get("pending_user_id") or 0)
    if user is None or user.totp_secret or not user.is_enabled:
        return redirect(url_for("auth.login"))
    secret = session.setdefault("pending_secret", service.new_totp_secret())
    form = CodeForm()
    if form.validate_on_submit():
        try:
            service.enable_two_factor(user, secret, form.code.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            codes = service.new_recovery_codes(db.session, user)
            target = session.get("pending_next") or url_for("groups.dashboard")
            _finish_login(user, target)
            page = render_template("auth/recovery_codes.html", codes=codes, target=target)
            return _issue_device_cookie(make_response(page), user.email, None)
    qr_svg = segno.make(service.totp_uri(user, secret, issuer="veiligthuis")).svg_data_uri(scale=5)
    return render_template("auth/login_enrol.html", form=form, secret=secret, qr_svg=qr_svg)


@bp.route("/uitloggen", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            # Logging out ends her sessions everywhere: a copied cookie opens nothing after.
            service.end_sessions(db.session, current_user)
        logout_user()
        session.clear()
    return redirect(url_for("auth.login"))


def current_session_hash() -> str | None:
    """The stored id of this request's session."""
    sid = getattr(session, "sid", None)
    return hash_id(sid) if sid else None


# The account, staff and audit pages add their routes to this blueprint.
from veiligthuis.auth import account_views, audit_views, staff_views  # noqa: E402, F401
