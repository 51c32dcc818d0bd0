"""Issue 13: a deleted contact or referral can be put back (from the same login, within the
hour), audited, and the "no contact" signal follows the contact back."""

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.support.conftest import local_day, phone_call
from tests.support.test_corrections import _open_no_contact
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.support import corrections, service
from veiligthuis.support.models import Referral, SupportContact


def _restore_urls(page: str) -> list[str]:
    return re.findall(r'action="([^"]*/terugzetten/[^"]+)"', page)


def test_restoring_a_deleted_contact_closes_the_no_contact_signal_again(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    today = local_day(s.group.active_sessions[0]) + timedelta(weeks=4)
    service.refresh_signals(db.session, None, s.group, today)
    contact = phone_call(s.worker, her, today, today=today)
    snapshot = corrections.delete_contact(db.session, s.worker, contact, today=today)
    assert len(_open_no_contact(her)) == 1
    back = corrections.restore_contact(db.session, s.worker, her, snapshot, today=today)
    assert (back.contact_date, back.kind, back.minutes, back.note, back.case_worker_id) == (
        today,
        "phone",
        10,
        "Gebeld.",
        s.worker.id,
    )
    assert _open_no_contact(her) == []
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "support_contact_restore")
    ).one()
    assert entry.participant_code == her.code and entry.actor_id == s.worker.id


def test_undo_through_the_pages(app, support_setup, login_as, make_user):
    s = support_setup(n=1)
    (her,) = s.clients
    today = service.today_local()
    target = service.add_referral_target(db.session, s.worker, "Schuldhulp")
    contact = phone_call(s.worker, her, today)
    referral = service.add_referral(
        db.session, s.worker, her, referral_date=today, target_id=target.id, note="Eerste stap"
    )
    db.session.commit()
    client = login_as(s.worker)
    base = f"/ondersteuning/deelnemers/{her.id}"
    assert "Zojuist verwijderd" not in client.get(base).get_data(as_text=True)
    client.post(f"{base}/contact/{contact.id}/verwijderen", data={"delete-confirm": "y"})
    client.post(f"{base}/verwijzing/{referral.id}/verwijderen", data={"delete-confirm": "y"})
    page = client.get(base).get_data(as_text=True)
    assert "Zojuist verwijderd" in page and "Verwijzing naar Schuldhulp" in page
    urls = _restore_urls(page)
    assert len(urls) == 2
    # The deletion lives in her own login: staff who may not see her get 404, and even her own
    # second login (another device) cannot put it back.
    from tests.conftest import login

    stranger = app.test_client()
    login(stranger, make_user("coordinator"))
    assert stranger.post(urls[0]).status_code == 404
    elsewhere = app.test_client()
    login(elsewhere, s.worker)
    refused = elsewhere.post(urls[0], follow_redirects=True).get_data(as_text=True)
    assert "kan niet meer ongedaan" in refused
    for url in urls:
        assert client.post(url).status_code == 302
    db.session.expire_all()
    assert db.session.scalars(sa.select(SupportContact.note)).all() == ["Gebeld."]
    assert db.session.scalars(sa.select(Referral.note)).all() == ["Eerste stap"]
    page = client.get(base).get_data(as_text=True)
    assert "Zojuist verwijderd" not in page
    again = client.post(urls[0], follow_redirects=True).get_data(as_text=True)
    assert "kan niet meer ongedaan" in again
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SupportContact)) == 1
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "support_contact_restore" in actions and "referral_restore" in actions


def test_an_undo_expires_after_the_hour(app):
    from veiligthuis import undo
    from veiligthuis.models import utcnow

    with app.test_request_context():
        undo.remember("closure", "closures", "Kerst", {"reason": "Kerst"})
        assert [i["label"] for i in undo.pending("closures")] == ["Kerst"]
        assert undo.pending("participant-1") == []
        from flask import session

        old = (utcnow() - timedelta(minutes=undo.UNDO_MINUTES + 1)).isoformat()
        session["undo"] = [dict(session["undo"][0], at=old)]
        assert undo.pending("closures") == []
        assert undo.take(session.get("undo", [{}])[0].get("token", "x"), "closures") is None


def test_nothing_comes_back_after_retention_removed_her_data(support_setup):
    import pytest

    from veiligthuis.models import DomainError, utcnow

    s = support_setup(n=1)
    (her,) = s.clients
    today = service.today_local()
    contact = phone_call(s.worker, her, today, minutes=5)
    snapshot = corrections.delete_contact(db.session, s.worker, contact, today=today)
    her.anonymised_dt = utcnow()
    with pytest.raises(DomainError, match="bewaartermijn"):
        corrections.restore_contact(db.session, s.worker, her, snapshot, today=today)


def test_an_expired_undo_leaves_the_stored_session_at_her_next_request(login_as, make_user, app):
    from veiligthuis import undo
    from veiligthuis.auth.models import WebSession
    from veiligthuis.models import utcnow

    client = login_as(make_user("coordinator"))
    old = (utcnow() - timedelta(minutes=undo.UNDO_MINUTES + 1)).isoformat()
    snapshot = {"note": "Een verwijderde notitie"}
    item = {"token": "t", "kind": "contact", "scope": "x", "label": "l", "snapshot": snapshot}
    with client.session_transaction() as session:
        session["undo"] = [dict(item, at=old)]

    def stored() -> str:
        db.session.expire_all()
        return " ".join(str(row.data) for row in db.session.scalars(sa.select(WebSession)))

    assert "Een verwijderde notitie" in stored()
    assert client.get("/").status_code == 200
    assert "Een verwijderde notitie" not in stored()
