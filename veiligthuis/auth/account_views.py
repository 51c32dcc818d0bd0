"""Her own account: password, two-step login, recovery codes and her active sessions."""

from datetime import timedelta

import segno
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from veiligthuis.auth import service
from veiligthuis.auth.forms import CodeForm, EmptyForm, PasswordChangeForm, TwoFactorOffForm
from veiligthuis.auth.views import bp, current_session_hash
from veiligthuis.extensions import db
from veiligthuis.models import DomainError
from veiligthuis.web import apply_domain_error
from veiligthuis.wording import plural


@bp.route("/account", methods=["GET"])
@login_required
def account():
    return _render_account()


def _render_account(password_form=None, code_form=None, off_form=None, codes=None, status=200):
    pending = session.get("new_totp_secret")
    qr_svg = None
    if pending and not current_user.totp_secret:
        uri = service.totp_uri(current_user, pending, issuer="veiligthuis")
        qr_svg = segno.make(uri).svg_data_uri(scale=5)
    config = current_app.config
    sessions = service.active_sessions(
        db.session,
        current_user,
        idle=timedelta(minutes=config["STAFF_IDLE_MINUTES"]),
        absolute=timedelta(hours=config["STAFF_SESSION_HOURS"]),
    )
    return (
        render_template(
            "auth/account.html",
            password_form=password_form or PasswordChangeForm(prefix="pw"),
            code_form=code_form or CodeForm(prefix="totp"),
            off_form=off_form or TwoFactorOffForm(prefix="off"),
            pending_secret=pending if qr_svg else None,
            qr_svg=qr_svg,
            recovery_codes=codes,
            sessions=sessions,
            current_hash=current_session_hash(),
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
                current_user,
                form.current_password.data,
                form.new_password.data,
                keep_session=current_session_hash(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            session.regenerate()
            flash("Uw wachtwoord is gewijzigd; uw andere sessies zijn beëindigd.", "success")
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
            apply_domain_error(form, error)
        else:
            session.pop("new_totp_secret", None)
            codes = service.new_recovery_codes(db.session, current_user)
            flash("Inloggen in twee stappen staat aan.", "success")
            return _render_account(codes=codes)
    return _render_account(code_form=form, status=422)


@bp.route("/account/tweestaps/uit", methods=["POST"])
@login_required
def account_two_factor_off():
    form = TwoFactorOffForm(prefix="off")
    if form.validate_on_submit():
        try:
            service.disable_two_factor(db.session, current_user, form.password.data, form.code.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("Inloggen in twee stappen staat uit.", "success")
            return redirect(url_for("auth.account"))
    return _render_account(off_form=form, status=422)


@bp.route("/account/herstelcodes", methods=["POST"])
@login_required
def account_recovery_codes():
    if not current_user.totp_secret or not EmptyForm().validate_on_submit():
        return redirect(url_for("auth.account"))
    return _render_account(codes=service.new_recovery_codes(db.session, current_user))


@bp.route("/account/sessies/beeindigen", methods=["POST"])
@login_required
def account_end_session():
    if EmptyForm().validate_on_submit():
        target = request.form.get("session", "")[:64]
        if target == "andere":
            count = service.end_sessions(db.session, current_user, keep=current_session_hash())
            flash(f"{plural(count, 'andere sessie', 'andere sessies')} beëindigd.", "success")
        elif service.end_session(db.session, current_user, target):
            flash("Sessie beëindigd.", "success")
    return redirect(url_for("auth.account"))
