"""Saving a woman's record from its page, field by field over what a colleague saved since she
opened it (:mod:`veiligthuis.meanwhile`): a safe-contact change made meanwhile is never put
back by a save that did not touch it."""

from dataclasses import asdict

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
        meanwhile.show_on_form(form, merged, current)
        # the case worker's choice is the id as text
        form.case_worker_id.data = str(form.case_worker_id.data or "")
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
