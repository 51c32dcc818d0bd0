"""Pages to correct or delete a logged contact or referral (from her support page)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, SubmitField
from wtforms.validators import DataRequired

from veiligthuis import undo
from veiligthuis.auth.forms import EmptyForm
from veiligthuis.extensions import db
from veiligthuis.forms import choices
from veiligthuis.models import DomainError
from veiligthuis.signals import template_hook
from veiligthuis.support import corrections, service
from veiligthuis.support.checks import short_date
from veiligthuis.support.forms import ContactForm, ReferralForm
from veiligthuis.support.models import CONTACT_KINDS, Referral, SupportContact
from veiligthuis.support.views import bp, load_client
from veiligthuis.web import apply_domain_error


class DeleteForm(FlaskForm):
    # Without JavaScript a checkbox is the confirmation step.
    confirm = BooleanField(
        "Ja, verwijder dit", validators=[DataRequired("Vink aan dat u dit wilt verwijderen.")]
    )
    submit = SubmitField("Verwijderen")


def _load(model, item_id: int, participant_id: int):
    participant = load_client(participant_id)
    item = db.session.get(model, item_id)
    if item is None or item.participant_id != participant.id:
        abort(404)
    return participant, item


def _scope(participant) -> str:
    return f"participant-{participant.id}"


def _back(participant, anchor: str):
    # Without an anchor she lands at the top, where the message (and an undo) is.
    address = url_for("support.client", participant_id=participant.id)
    return redirect(address + (f"#{anchor}" if anchor else ""))


def _page(participant, form, delete_form, kind: str, status: int = 200):
    return render_template(
        "support/correct.html",
        participant=participant,
        form=form,
        delete_form=delete_form,
        kind=kind,
    ), status


@bp.route(
    "/ondersteuning/deelnemers/<int:participant_id>/contact/<int:contact_id>",
    methods=["GET", "POST"],
)
@login_required
def contact_edit(participant_id: int, contact_id: int):
    participant, contact = _load(SupportContact, contact_id, participant_id)
    form = ContactForm(prefix="contact", obj=contact)
    if form.validate_on_submit():
        try:
            corrections.update_contact(
                db.session,
                current_user,
                contact,
                contact_date=form.contact_date.data,
                kind=form.kind.data,
                minutes=form.minutes.data,
                note=form.note.data or "",
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("Contact gecorrigeerd.", "success")
            return _back(participant, "contacten")
    return _page(
        participant, form, DeleteForm(prefix="delete"), "contact", 200 if not form.errors else 422
    )


@bp.route(
    "/ondersteuning/deelnemers/<int:participant_id>/contact/<int:contact_id>/verwijderen",
    methods=["POST"],
)
@login_required
def contact_delete(participant_id: int, contact_id: int):
    participant, contact = _load(SupportContact, contact_id, participant_id)
    delete_form = DeleteForm(prefix="delete")
    if delete_form.validate_on_submit():
        label = f"Contact van {short_date(contact.contact_date)} ({CONTACT_KINDS[contact.kind]})"
        snapshot = corrections.delete_contact(db.session, current_user, contact)
        undo.remember("contact", _scope(participant), label, snapshot)
        flash("Contact verwijderd.", "success")
        return _back(participant, "")
    form = ContactForm(formdata=None, prefix="contact", obj=contact)
    return _page(participant, form, delete_form, "contact", 422)


def _referral_form(referral=None, **kwargs):
    return ReferralForm(
        prefix="referral",
        obj=referral,
        targets=service.referral_targets(db.session, active_only=True),
        **kwargs,
    )


@bp.route(
    "/ondersteuning/deelnemers/<int:participant_id>/verwijzing/<int:referral_id>",
    methods=["GET", "POST"],
)
@login_required
def referral_edit(participant_id: int, referral_id: int):
    participant, referral = _load(Referral, referral_id, participant_id)
    form = _referral_form(referral)
    if referral.target_id not in {choice.value for choice in form.target_id.choices}:
        # a target switched off since stays selectable for the referral that has it
        form.target_id.choices += choices([(referral.target_id, referral.target.name)])
    if form.validate_on_submit():
        try:
            corrections.update_referral(
                db.session,
                current_user,
                participant,
                referral,
                referral_date=form.referral_date.data,
                target_id=form.target_id.data or 0,
                note=form.note.data or "",
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash("Verwijzing gecorrigeerd.", "success")
            return _back(participant, "verwijzingen")
    return _page(
        participant, form, DeleteForm(prefix="delete"), "referral", 200 if not form.errors else 422
    )


@bp.route(
    "/ondersteuning/deelnemers/<int:participant_id>/verwijzing/<int:referral_id>/verwijderen",
    methods=["POST"],
)
@login_required
def referral_delete(participant_id: int, referral_id: int):
    participant, referral = _load(Referral, referral_id, participant_id)
    delete_form = DeleteForm(prefix="delete")
    if delete_form.validate_on_submit():
        label = f"Verwijzing naar {referral.target.name} van {short_date(referral.referral_date)}"
        snapshot = corrections.delete_referral(db.session, current_user, participant, referral)
        undo.remember("referral", _scope(participant), label, snapshot)
        flash("Verwijzing verwijderd.", "success")
        return _back(participant, "")
    return _page(participant, _referral_form(referral, formdata=None), delete_form, "referral", 422)


@bp.route("/ondersteuning/deelnemers/<int:participant_id>/terugzetten/<token>", methods=["POST"])
@login_required
def deletion_restore(participant_id: int, token: str):
    participant = load_client(participant_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    item = undo.take(token, _scope(participant))
    if item is None:
        flash("Dit kan niet meer ongedaan worden gemaakt (na een uur of na uitloggen).", "error")
        return _back(participant, "contacten")
    is_contact = item["kind"] == "contact"
    try:
        if is_contact:
            corrections.restore_contact(db.session, current_user, participant, item["snapshot"])
        else:
            corrections.restore_referral(db.session, current_user, participant, item["snapshot"])
    except DomainError as error:
        apply_domain_error(None, error)
    else:
        flash(f"{item['label']} is teruggezet.", "success")
    return _back(participant, "contacten" if is_contact else "verwijzingen")


@template_hook.connect_via("support-client-undo")
def undo_panel(_hook, *, participant, **_kwargs):
    """Her contacts and referrals deleted in the last hour, each with an undo button."""
    items = [
        (
            item["label"],
            url_for("support.deletion_restore", participant_id=participant.id, token=item["token"]),
        )
        for item in undo.pending(_scope(participant))
    ]
    if not items:
        return None
    return Markup(render_template("macros/_undo.html", undo_items=items))
