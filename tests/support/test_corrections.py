"""Issue 13: a logged contact or referral can be corrected and deleted, audited, and the
"no contact" signal follows; an empty contact is refused."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from tests.support.conftest import local_day, phone_call
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.models import DomainError
from veiligthuis.support import corrections, service
from veiligthuis.support.models import Referral, Signal, SupportContact


def _open_no_contact(participant):
    return db.session.scalars(
        sa.select(Signal).where(
            Signal.participant_id == participant.id,
            Signal.kind == "no_contact",
            Signal.status != "closed",
        )
    ).all()


def test_an_empty_contact_is_refused(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    today = local_day(s.group.active_sessions[0])
    with pytest.raises(DomainError, match="leeg contact") as refused:
        service.log_contact(
            db.session,
            s.worker,
            her,
            contact_date=today,
            kind="phone",
            minutes=None,
            note=" ",
            today=today,
        )
    assert refused.value.field == "note"


def test_deleting_the_contact_brings_the_no_contact_signal_back(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    today = local_day(s.group.active_sessions[0]) + timedelta(weeks=4)
    service.refresh_signals(db.session, None, s.group, today)
    contact = phone_call(s.worker, her, today, today=today)
    assert _open_no_contact(her) == []
    corrections.update_contact(
        db.session,
        s.worker,
        contact,
        contact_date=today,
        kind="home_visit",
        minutes=30,
        note="Huisbezoek.",
        today=today,
    )
    assert contact.kind == "home_visit" and _open_no_contact(her) == []
    corrections.delete_contact(db.session, s.worker, contact, today=today)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SupportContact)) == 0
    assert len(_open_no_contact(her)) == 1
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "support_contact_update" in actions and "support_contact_delete" in actions


def test_correct_and_delete_through_the_pages(support_setup, login_as):
    s = support_setup(n=1)
    (her,) = s.clients
    today = service.today_local()
    target = service.add_referral_target(db.session, s.worker, "Schuldhulp")
    other = service.add_referral_target(db.session, s.worker, "Juridisch Loket")
    contact = phone_call(s.worker, her, today)
    referral = service.add_referral(
        db.session, s.worker, her, referral_date=today, target_id=target.id, note="Eerste stap"
    )
    db.session.commit()
    client = login_as(s.worker)
    page = client.get(f"/ondersteuning/deelnemers/{her.id}").get_data(as_text=True)
    assert "corrigeren" in page
    base = f"/ondersteuning/deelnemers/{her.id}"
    response = client.post(
        f"{base}/contact/{contact.id}",
        data={
            "contact-contact_date": today.isoformat(),
            "contact-kind": "phone",
            "contact-minutes": "",
            "contact-note": "",
        },
    )
    assert response.status_code == 422 and "leeg contact" in response.get_data(as_text=True)
    response = client.post(
        f"{base}/verwijzing/{referral.id}",
        data={
            "referral-referral_date": today.isoformat(),
            "referral-target_id": other.id,
            "referral-note": "Toch het loket",
        },
    )
    assert response.status_code == 302
    response = client.post(f"{base}/verwijzing/{referral.id}/verwijderen", data={})
    assert response.status_code == 422 and "Vink aan" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).target_id == other.id
    assert (
        client.post(
            f"{base}/verwijzing/{referral.id}/verwijderen", data={"delete-confirm": "y"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/contact/{contact.id}/verwijderen", data={"delete-confirm": "y"}
        ).status_code
        == 302
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SupportContact)) == 0


def test_someone_elses_contact_answers_404(support_setup, login_as, make_user):
    s = support_setup(n=1)
    (her,) = s.clients
    contact = phone_call(s.worker, her, service.today_local())
    db.session.commit()
    client = login_as(make_user("case_worker"))
    url = f"/ondersteuning/deelnemers/{her.id}/contact/{contact.id}"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/verwijderen", data={"delete-confirm": "y"}).status_code == 404


def test_a_correction_to_a_contact_a_colleague_deleted_meanwhile_says_so(support_setup, login_as):
    """The contact goes (a colleague's delete commits) after her request loaded it and before
    her correction is written: she reads what happened, nothing of hers is half stored."""
    s = support_setup(n=1)
    (her,) = s.clients
    today = service.today_local()
    contact = phone_call(s.worker, her, today)
    db.session.commit()
    contact_id = contact.id
    client = login_as(s.worker)
    audited = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))

    deleted = []

    def colleague_deletes(session, _context, _instances):
        if deleted or not any(isinstance(o, SupportContact) for o in session.dirty):
            return
        deleted.append(contact_id)
        with db.engine.begin() as connection:
            connection.execute(sa.delete(SupportContact).where(SupportContact.id == contact_id))

    sa.event.listen(so.Session, "before_flush", colleague_deletes)
    try:
        response = client.post(
            f"/ondersteuning/deelnemers/{her.id}/contact/{contact_id}",
            data={
                "contact-contact_date": today.isoformat(),
                "contact-kind": "home_visit",
                "contact-minutes": "30",
                "contact-note": "Huisbezoek",
            },
        )
    finally:
        sa.event.remove(so.Session, "before_flush", colleague_deletes)
    assert deleted, "the correction reached the database"
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "intussen door iemand anders gewijzigd of verwijderd" in page
    assert "Uw wijziging is niet opgeslagen." in page
    # a way on from here, to the page she came from (not a repeat of the refused POST)
    assert f'href="/ondersteuning/deelnemers/{her.id}/contact/{contact_id}"' in page
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SupportContact)) == 0
    # her correction's audit entry went with it; nothing of the refused request stayed
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == audited
