"""Saving a woman's record from its page, field by field over what a colleague saved since she
opened it (:mod:`veiligthuis.meanwhile`): a safe-contact change made meanwhile is never put
back by a save that did not touch it."""

from dataclasses import asdict
from datetime import date

from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from veiligthuis import meanwhile
from veiligthuis.auth.service import audit
from veiligthuis.extensions import db
from veiligthuis.groups import service
from veiligthuis.groups.forms import ParticipantForm, participant_data
from veiligthuis.groups.models import Participant
from veiligthuis.models import DomainError
from veiligthuis.web import apply_domain_error


def stored_data(participant: Participant) -> service.ParticipantData:
    """Her record as the form would send it unchanged (the same conversions as a save)."""
    return participant_data(ParticipantForm(formdata=None, obj=participant, meta={"csrf": False}))


def show_stored(form: ParticipantForm, participant: Participant) -> None:
    """The form as she opens it: it remembers what it showed."""
    form.case_worker_id.data = str(participant.case_worker_id or "")
    form.seen.data = meanwhile.fingerprint(asdict(stored_data(participant)))


def save(form: ParticipantForm, participant: Participant, attempts: int = 2) -> int | None:
    """Save what she changed; None when saved, else the status of the page that shows why
    (409: a colleague changed a field she changed too, and nothing was saved)."""
    try:
        return _save(form, participant)
    except StaleDataError:
        # A colleague's save landed between reading her record and writing it (its revision
        # moved on): start again from the record as it is now.
        db.session.rollback()
        if attempts <= 1:
            raise
        return save(form, participant, attempts - 1)


def _save(form: ParticipantForm, participant: Participant) -> int | None:
    current = asdict(stored_data(participant))
    merged = meanwhile.merge(asdict(participant_data(form)), form.seen.data, current)
    if merged.conflicts:
        _show_conflicts(form, merged, current)
        audit(db.session, current_user, "view", participant, participant_code=participant.code)
        return 409
    try:
        service.update_participant(
            db.session, current_user, participant, service.ParticipantData(**merged.values)
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return 200
    return None


def _show_conflicts(form: ParticipantForm, merged: meanwhile.Merged, current: dict) -> None:
    """Her form again, starting from the record as it is now: a field only a colleague changed
    shows the colleague's value, a field both changed shows hers with the other beside it. Its
    fingerprint is of the record now, so saving it again keeps what she leaves in the fields."""
    for name, value in merged.values.items():
        if name not in merged.conflicts and name in form:
            field = form[name]
            field.data = str(value or "") if name == "case_worker_id" else value
            field.raw_data = None
    for name in merged.conflicts:
        form[name].errors = [
            f"Een collega heeft dit intussen gewijzigd in: «{_shown(form, name, current[name])}». "
            "Uw invoer staat er nog: pas die aan of sla hem zo opnieuw op."
        ]
    form.seen.data = meanwhile.fingerprint(current)


def _shown(form: ParticipantForm, name: str, value: object) -> str:
    """A stored value as the form shows it."""
    field = form[name]
    if field.type == "BooleanField":
        return "aangevinkt" if value else "niet aangevinkt"
    if field.type == "SelectField":
        labels = {str(choice[0]): choice[1] for choice in field.choices}
        return labels.get(str(value or ""), str(value or ""))
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value) if value else "leeg"
