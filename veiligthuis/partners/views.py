"""The public referral form (/verwijzen/<token>) and the coordinator's partner and referral pages.

The public form is written for a partner's desk: a neutral title and wording, nothing loaded
from elsewhere, no link to our staff pages, and a reference number as the only confirmation.
"""

from typing import Any

import segno
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import validate_csrf
from markupsafe import Markup
from wtforms import ValidationError

from veiligthuis import changes, permissions
from veiligthuis.auth.forms import EmptyForm
from veiligthuis.auth.service import staff_with_role
from veiligthuis.extensions import csrf, db
from veiligthuis.forms import confirmed
from veiligthuis.groups.models import Group
from veiligthuis.models import DomainError
from veiligthuis.partners import service
from veiligthuis.partners.forms import AcceptForm, OutcomeForm, PartnerForm, PublicReferralForm
from veiligthuis.partners.models import (
    CHILD_AGE_BANDS,
    PARTNER_KINDS,
    REFERRAL_CHANNELS,
    REFERRAL_STATUSES,
    Partner,
    PartnerReferral,
)
from veiligthuis.partners.statistics import partner_statistics
from veiligthuis.sessions.schedule import today_local
from veiligthuis.settings import get_setting
from veiligthuis.signals import template_hook
from veiligthuis.support import mail
from veiligthuis.web import after_commit, apply_domain_error
from veiligthuis.wording import find_sensitive_words

bp = Blueprint("partners", __name__)


# --- the public referral form -----------------------------------------------------------------


def _public(template: str, status: int = 200, **context):
    return render_template(f"partners/{template}", **context), status


def _buckets(address) -> dict[str, int]:
    secret = current_app.config["SECRET_KEY"]
    return {
        service.limiter_key(secret, "token", str(address.id)): service.LIMIT_PER_TOKEN,
        service.limiter_key(secret, "client", request.remote_addr or "-"): service.LIMIT_PER_CLIENT,
    }


def _csrf_ok() -> bool:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


def _neutral_partner_name(address) -> str | None:
    name = address.partner.name
    return None if find_sensitive_words(name) else name


@bp.route("/verwijzen/<token>", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps what she typed
def public_form(token: str):
    """A partner refers a woman, with her consent, through the partner's own address."""
    address = service.find_address(db.session, token)
    if address is None:
        # A post without a valid form token is refused as such, whatever the address.
        if request.method == "POST" and not _csrf_ok():
            return _public("public_gone.html", 400, expired=True)
        return _public("public_gone.html", 404)
    form = PublicReferralForm()
    context: dict[str, Any] = {"form": form, "partner_name": _neutral_partner_name(address)}
    if request.method == "GET":
        return _public("public_form.html", **context)
    buckets = _buckets(address)
    if service.is_limited(db.session, buckets):
        return _public("public_form.html", 429, too_many=True, **context)
    reference = None
    if not form.validate() and "csrf_token" in form.errors:
        service.count_attempt(db.session, buckets)
        return _public("public_form.html", 400, expired=True, **context)
    if not form.errors:
        reference = _submit(form, address)
    # Counted after any rollback of a refused form, so refusals count too.
    service.count_attempt(db.session, buckets)
    if reference is None:
        return _public("public_form.html", 422, **context)
    if get_setting(db.session, "referral_mail"):
        _notify_coordinators()
    return _public("public_thanks.html", reference=reference)


def _referral_data(form: PublicReferralForm) -> service.ReferralData:
    return service.ReferralData(
        alias=form.alias.data or "",
        safe_channel=form.safe_channel.data or "",
        has_consent=bool(form.has_consent.data),
        contact_detail=form.contact_detail.data or "",
        safe_times=form.safe_times.data or "",
        is_voicemail_ok=bool(form.is_voicemail_ok.data),
        language=form.language.data or "",
        needs_interpreter=bool(form.needs_interpreter.data),
        childcare=form.children() if form.needs_childcare.data else {},
        note=form.note.data or "",
    )


def _submit(form: PublicReferralForm, address) -> str | None:
    """The referral's reference, or None when the service refused it (shown at the field)."""
    try:
        return service.submit_referral(
            db.session, address, _referral_data(form), today_local()
        ).reference
    except DomainError as error:
        apply_domain_error(form, error)
        return None


def _notify_coordinators() -> None:
    """After the commit, a neutral mail (no name, no partner) to every coordinator."""
    recipients = staff_with_role(db.session, "coordinator")
    config = current_app.config
    after_commit(lambda: mail.notify_staff(config, recipients))


# --- partners ---------------------------------------------------------------------------------


def _require(predicate) -> None:
    if not predicate(current_user):
        abort(403)


def _load_partner(partner_id: int) -> Partner:
    _require(permissions.can_manage_partners)
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        abort(404)
    return partner


@bp.route("/partners", methods=["GET", "POST"])
@login_required
def partner_list():
    _require(permissions.can_manage_partners)
    form = PartnerForm()
    if form.validate_on_submit():
        try:
            partner = service.save_partner(
                db.session,
                current_user,
                None,
                name=form.name.data,
                kind=form.kind.data,
                contact=form.contact.data or "",
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(f"Partner {partner.name} toegevoegd.", "success")
            return redirect(url_for("partners.partner_detail", partner_id=partner.id))
    partners = db.session.scalars(
        sa.select(Partner).options(so.selectinload(Partner.addresses)).order_by(Partner.name)
    ).all()
    return render_template("partners/list.html", partners=partners, form=form, kinds=PARTNER_KINDS)


def _address_url(token: str) -> str:
    path = url_for("partners.public_form", token=token)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def _render_partner(partner, form, *, new_url=None, status=200):
    qr = segno.make(new_url, error="m").svg_data_uri(scale=5) if new_url else None
    return (
        render_template(
            "partners/detail.html",
            partner=partner,
            form=form,
            action_form=EmptyForm(),
            new_url=new_url,
            qr=qr,
            kinds=PARTNER_KINDS,
        ),
        status,
    )


@bp.route("/partners/<int:partner_id>", methods=["GET", "POST"])
@login_required
def partner_detail(partner_id: int):
    partner = _load_partner(partner_id)
    form = PartnerForm(obj=partner)
    if form.validate_on_submit():
        try:
            service.save_partner(
                db.session,
                current_user,
                partner,
                name=form.name.data,
                kind=form.kind.data,
                contact=form.contact.data or "",
                is_active=form.is_active.data,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("Partner opgeslagen.", "success")
            return redirect(url_for("partners.partner_detail", partner_id=partner.id))
    return _render_partner(partner, form)


@bp.route("/partners/<int:partner_id>/adres", methods=["POST"])
@login_required
def address_new(partner_id: int):
    """A new referral address, shown once (with its QR code) on the page this answers."""
    partner = _load_partner(partner_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    # A new address ends the one the partner has been given: that needs the tick.
    if partner.active_address is not None and not confirmed(
        "Vink aan dat het huidige verwijsadres vervalt; er is niets veranderd."
    ):
        return redirect(url_for("partners.partner_detail", partner_id=partner.id))
    try:
        token = service.new_referral_address(db.session, current_user, partner)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("partners.partner_detail", partner_id=partner.id))
    # formdata=None: this post carries no partner fields, and an unticked "Actief" would be
    # saved next (switching the partner off revokes the address just made).
    form = PartnerForm(formdata=None, obj=partner)
    return _render_partner(partner, form, new_url=_address_url(token))


@bp.route("/partners/<int:partner_id>/adres/intrekken", methods=["POST"])
@login_required
def address_revoke(partner_id: int):
    partner = _load_partner(partner_id)
    if EmptyForm().validate_on_submit() and confirmed(
        "Vink aan dat u het verwijsadres wilt intrekken; het adres werkt nog."
    ):
        if service.revoke_referral_address(db.session, current_user, partner):
            flash("Het verwijsadres is ingetrokken en werkt niet meer.", "success")
        else:
            flash("Er was geen werkend verwijsadres.", "info")
    return redirect(url_for("partners.partner_detail", partner_id=partner.id))


@bp.route("/partners/statistieken")
@login_required
def statistics():
    _require(permissions.can_manage_partners)
    year = request.args.get("jaar", type=int)
    if year is not None and not 2000 <= year <= 2100:
        year = None
    year = year or today_local().year
    stats = partner_statistics(db.session, year)
    return render_template("partners/statistics.html", stats=stats, year=year, kinds=PARTNER_KINDS)


# --- the referral queue -----------------------------------------------------------------------


@bp.route("/aanmeldingen")
@login_required
def queue():
    _require(permissions.can_handle_referrals)
    show_all = request.args.get("alle") == "1"
    referrals = service.queue(db.session, current_user, show_all=show_all)
    return render_template(
        "partners/queue.html", referrals=referrals, show_all=show_all, statuses=REFERRAL_STATUSES
    )


def _open_groups():
    return db.session.scalars(
        sa.select(Group).where(Group.status.in_(("planned", "running"))).order_by(Group.first_date)
    ).all()


def _render_referral(referral, outcome_form=None, accept_form=None, status=200):
    outcome_form = outcome_form or OutcomeForm(formdata=None, prefix="outcome")
    accept_form = accept_form or AcceptForm(formdata=None, prefix="accept", groups=_open_groups())
    service.view_referral(db.session, current_user, referral)
    return (
        render_template(
            "partners/referral.html",
            referral=referral,
            outcome_form=outcome_form,
            accept_form=accept_form,
            statuses=REFERRAL_STATUSES,
            channels=REFERRAL_CHANNELS,
            bands=CHILD_AGE_BANDS,
            kinds=PARTNER_KINDS,
        ),
        status,
    )


def _load_referral(referral_id: int) -> PartnerReferral:
    _require(permissions.can_handle_referrals)
    referral = db.session.get(PartnerReferral, referral_id)
    if referral is None:
        abort(404)
    return referral


@bp.route("/aanmeldingen/<int:referral_id>")
@login_required
def referral_detail(referral_id: int):
    return _render_referral(_load_referral(referral_id))


@bp.route("/aanmeldingen/<int:referral_id>/uitkomst", methods=["POST"])
@login_required
def referral_outcome(referral_id: int):
    referral = _load_referral(referral_id)
    form = OutcomeForm(prefix="outcome")
    if form.validate_on_submit():
        try:
            service.record_outcome(
                db.session,
                current_user,
                referral,
                outcome=form.outcome.data,
                attempts=form.attempts.data,
                note=form.note.data or "",
                today=today_local(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("Uitkomst vastgelegd.", "success")
            return redirect(url_for("partners.referral_detail", referral_id=referral.id))
    return _render_referral(referral, outcome_form=form, status=422)


@bp.route("/aanmeldingen/<int:referral_id>/deelnemer", methods=["POST"])
@login_required
def referral_accept(referral_id: int):
    """Make her a participant of a group (waiting list, intake or active) from the referral."""
    referral = _load_referral(referral_id)
    form = AcceptForm(prefix="accept", groups=_open_groups())
    if form.validate_on_submit():
        group = db.session.get(Group, form.group_id.data) if form.group_id.data else None
        if group is None:
            form.group_id.errors.append("Kies een groep.")
        else:
            try:
                participant = service.convert_to_participant(
                    db.session, current_user, referral, group, form.status.data
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                flash(f"{participant.alias} is deelnemer ({participant.code}).", "success")
                return redirect(
                    url_for(
                        "groups.participant_detail",
                        group_id=group.id,
                        participant_id=participant.id,
                    )
                )
    return _render_referral(referral, accept_form=form, status=422)


# --- the dashboard ----------------------------------------------------------------------------


@template_hook.connect_via("dashboard-panels")
def _dashboard_panel(_sender, user=None, **_kwargs):
    if user is None or not permissions.can_handle_referrals(user):
        return None
    # read again only after something changed (a referral in, or one acted on)
    count = changes.cached(
        db.session, "new referrals", None, lambda: service.new_referral_count(db.session)
    )
    return Markup(render_template("partners/_dashboard_panel.html", count=count))
