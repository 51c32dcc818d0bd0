"""Pages to correct or delete a logged contact or referral (from her support page)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField
from wtforms.validators import DataRequired

from veiligthuis.extensions import db
from veiligthuis.forms import choices
from veiligthuis.models import DomainError
from veiligthuis.support import corrections, service
from veiligthuis.support.forms import ContactForm, ReferralForm
from veiligthuis.support.models import Referral, SupportContact
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


def _back(participant, anchor: str):
    return redirect(url_for("support.client", participant_id=participant.id) + f"#{anchor}")


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
        corrections.delete_contact(db.session, current_user, contact)
        flash("Contact verwijderd.", "success")
        return _back(participant, "contacten")
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
        corrections.delete_referral(db.session, current_user, participant, referral)
        flash("Verwijzing verwijderd.", "success")
        return _back(participant, "verwijzingen")
    return _page(participant, _referral_form(referral, formdata=None), delete_form, "referral", 422)
