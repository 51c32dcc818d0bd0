"""Partners, referral addresses, referrals, outcomes, conversion, purge and statistics."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.partners.conftest import referral_data
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.groups.models import Participant
from veiligthuis.models import DomainError, utcnow
from veiligthuis.partners import service
from veiligthuis.partners.models import (
    PartnerKind,
    PartnerReferral,
    ReferralAddress,
    ReferralStatus,
)
from veiligthuis.partners.statistics import partner_statistics
from veiligthuis.volunteers.models import ChildcareNeed

TODAY = date(2026, 10, 5)


def test_only_a_hash_of_the_token_is_stored(make_partner):
    partner, token = make_partner()
    assert len(token) >= 40
    stored = db.session.scalars(sa.select(ReferralAddress.token_hash)).all()
    assert stored == [service.hash_token(token)]
    assert token not in stored[0]
    assert service.find_address(db.session, token).partner_id == partner.id


def test_revoking_stops_the_address_at_once(make_partner, make_user):
    partner, token = make_partner()
    assert service.revoke_referral_address(db.session, make_user("coordinator"), partner)
    assert service.find_address(db.session, token) is None


def test_a_new_address_replaces_the_old_one(make_partner, make_user):
    partner, old = make_partner()
    new = service.new_referral_address(db.session, make_user("coordinator"), partner)
    assert service.find_address(db.session, old) is None
    assert service.find_address(db.session, new).partner_id == partner.id


def test_an_inactive_partner_has_no_working_address(make_partner, make_user):
    partner, token = make_partner()
    actor = make_user("coordinator")
    service.save_partner(
        db.session, actor, partner, name=partner.name, kind=partner.kind, is_active=False
    )
    assert service.find_address(db.session, token) is None
    with pytest.raises(DomainError):
        service.new_referral_address(db.session, actor, partner)


def test_partner_names_are_unique_and_kinds_known(make_partner, make_user):
    make_partner(name="Huisartsen Oost", kind=PartnerKind.GP)
    actor = make_user("coordinator")
    with pytest.raises(DomainError) as error:
        service.save_partner(db.session, actor, None, name="Huisartsen Oost", kind="gp")
    assert error.value.field == "name"
    with pytest.raises(DomainError) as error:
        service.save_partner(db.session, actor, None, name="X", kind="politie")
    assert error.value.field == "kind"


def test_a_referral_without_consent_is_refused_with_an_explanation(make_partner):
    _partner, token = make_partner()
    address = service.find_address(db.session, token)
    with pytest.raises(DomainError) as error:
        service.submit_referral(db.session, address, referral_data(has_consent=False), TODAY)
    assert error.value.field == "has_consent"
    assert "toestemming" in error.value.message
    assert db.session.scalars(sa.select(PartnerReferral)).all() == []


def test_a_contact_detail_is_needed_unless_only_via_the_partner(make_partner):
    _partner, token = make_partner()
    address = service.find_address(db.session, token)
    with pytest.raises(DomainError) as error:
        service.submit_referral(db.session, address, referral_data(contact_detail=" "), TODAY)
    assert error.value.field == "contact_detail"
    referral = service.submit_referral(
        db.session,
        address,
        referral_data(safe_channel="via_partner", contact_detail="0612345678"),
        TODAY,
    )
    assert referral.contact_detail == ""


def test_childcare_junk_is_refused(app_ctx):
    with pytest.raises(DomainError):
        service.check_childcare({"baby": 1})
    with pytest.raises(DomainError):
        service.check_childcare({"0_1": 40})
    assert service.check_childcare({"0_1": 0, "8_12": 2}) == {"8_12": 2}


def test_a_referral_keeps_the_partner_and_what_was_typed_only(make_partner):
    partner, token = make_partner()
    address = service.find_address(db.session, token)
    referral = service.submit_referral(db.session, address, referral_data(), TODAY)
    db.session.commit()
    assert referral.partner_id == partner.id
    assert referral.received_date == TODAY
    assert referral.status == ReferralStatus.NEW
    assert len(referral.reference) == 8
    # The audit entry names no actor: the partner has no account and is not identified.
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.object_type == "PartnerReferral")
    ).one()
    assert entry.actor_id is None


def test_limiter_counts_per_bucket_and_forgets_after_the_window(app_ctx):
    buckets = {"a": 2, "b": 5}
    now = utcnow()
    assert not service.is_limited(db.session, buckets, now)
    service.count_attempt(db.session, buckets, now)
    service.count_attempt(db.session, buckets, now)
    assert service.is_limited(db.session, buckets, now)
    assert not service.is_limited(db.session, {"b": 5}, now)
    assert not service.is_limited(db.session, buckets, now + timedelta(hours=1, minutes=1))


@pytest.fixture
def referral(make_partner):
    _partner, token = make_partner()
    address = service.find_address(db.session, token)
    referral = service.submit_referral(db.session, address, referral_data(), TODAY)
    db.session.commit()
    return referral


def test_outcomes_are_recorded_and_audited(referral, make_user):
    actor = make_user("coordinator")
    with pytest.raises(DomainError) as error:
        service.record_outcome(
            db.session, actor, referral, outcome="not_reached", attempts=None, note="", today=TODAY
        )
    assert error.value.field == "attempts"
    service.record_outcome(
        db.session, actor, referral, outcome="not_reached", attempts=3, note="", today=TODAY
    )
    assert (referral.status, referral.attempts) == ("not_reached", 3)
    entries = db.session.scalars(
        sa.select(AuditEntry.detail).where(
            AuditEntry.object_type == "PartnerReferral", AuditEntry.actor_id == actor.id
        )
    ).all()
    assert entries == [f"{referral.reference}: new -> not_reached"]
    with pytest.raises(DomainError):
        service.record_outcome(
            db.session, actor, referral, outcome="lost", attempts=None, note="", today=TODAY
        )


def test_accepting_makes_her_a_participant_without_retyping(referral, make_user, make_group):
    actor = make_user("coordinator")
    group = make_group()
    participant = service.convert_to_participant(db.session, actor, referral, group, "waiting")
    db.session.commit()
    assert participant.group_id == group.id
    assert participant.status == "waiting"
    assert participant.alias == "Samira"
    assert (participant.phone, participant.safe_channel) == ("0612345678", "phone")
    assert participant.safe_times == "dinsdag tussen 10 en 12"
    assert participant.referral_source == "other"  # a housing association
    assert participant.external_case_worker_org == "Woonstede"
    assert participant.language == "Arabisch"
    assert "Tolk" in participant.safe_notes
    assert db.session.get(ChildcareNeed, participant.id).children == {"2_3": 1, "4_7": 2}
    assert referral.status == ReferralStatus.CONVERTED
    assert referral.participant_id == participant.id
    assert referral.partner_id is not None  # the partner stays, for the yearly report
    codes = db.session.scalars(
        sa.select(AuditEntry.participant_code).where(AuditEntry.action == "convert")
    ).all()
    assert codes == [participant.code]
    with pytest.raises(DomainError):
        service.convert_to_participant(db.session, actor, referral, group, "waiting")


def test_a_full_group_refuses_her_as_active_and_nothing_is_half_done(
    referral, make_user, make_group
):
    actor = make_user("coordinator")
    group = make_group(participants=12)
    with pytest.raises(DomainError):
        service.convert_to_participant(db.session, actor, referral, group, "active")
    db.session.rollback()
    assert db.session.get(PartnerReferral, referral.id).status == ReferralStatus.NEW


def test_purge_removes_only_old_referrals_that_never_became_a_participant(
    make_partner, make_user, make_group
):
    _partner, token = make_partner()
    address = service.find_address(db.session, token)
    old = service.submit_referral(db.session, address, referral_data(), date(2024, 1, 10))
    recent = service.submit_referral(db.session, address, referral_data(), date(2026, 6, 1))
    joined = service.submit_referral(db.session, address, referral_data(), date(2024, 1, 10))
    service.convert_to_participant(
        db.session, make_user("coordinator"), joined, make_group(), "waiting"
    )
    db.session.commit()
    old_id = old.id
    assert service.purge_expired_referrals(db.session, TODAY, 24) == 1
    db.session.commit()
    remaining = set(db.session.scalars(sa.select(PartnerReferral.id)))
    assert remaining == {recent.id, joined.id}
    assert old_id not in remaining
    # Once she is anonymised, the referral's personal copy goes too.
    participant = db.session.get(Participant, joined.participant_id)
    participant.anonymised_dt = utcnow()
    db.session.commit()
    service.purge_expired_referrals(db.session, TODAY, 24)
    db.session.commit()
    db.session.refresh(joined)
    assert (joined.alias, joined.contact_detail, joined.note) == ("geanonimiseerd", "", "")


def test_statistics_per_partner_suppress_small_counts(make_partner, make_user, make_group):
    actor = make_user("coordinator")
    partner, token = make_partner(actor=actor)
    address = service.find_address(db.session, token)
    group = make_group()
    referrals = [
        service.submit_referral(db.session, address, referral_data(), TODAY) for _ in range(7)
    ]
    for referral in referrals[:6]:
        service.convert_to_participant(db.session, actor, referral, group, "active")
    service.record_outcome(
        db.session, actor, referrals[6], outcome="not_reached", attempts=2, note="", today=TODAY
    )
    db.session.get(Participant, referrals[0].participant_id).status = "completed"
    db.session.commit()
    (stats,) = [s for s in partner_statistics(db.session, 2026) if s.partner == partner]
    assert (stats.referred, stats.reached, stats.started, stats.completed) == (7, 6, 6, 1)
    assert [stats.shown(n) for n in ("referred", "reached", "started", "completed")] == [
        "7",
        "6",
        "6",
        "< 5",
    ]
    (last_year,) = [s for s in partner_statistics(db.session, 2025) if s.partner == partner]
    assert last_year.shown("referred") == "0"


def test_looking_at_an_accepted_referral_is_audited_under_her_code(referral, make_user, make_group):
    actor = make_user("coordinator")
    participant = service.convert_to_participant(
        db.session, actor, referral, make_group(), "intake"
    )
    service.view_referral(db.session, actor, referral)
    db.session.commit()
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "view").order_by(AuditEntry.id.desc())
    ).first()
    assert (entry.object_type, entry.participant_code) == ("PartnerReferral", participant.code)


def test_the_retention_command_removes_old_referrals(runner, make_partner):
    from veiligthuis.sessions.schedule import today_local

    _partner, token = make_partner()
    address = service.find_address(db.session, token)
    old_day = today_local() - timedelta(days=800)
    service.submit_referral(db.session, address, referral_data(), old_day)
    kept = service.submit_referral(db.session, address, referral_data(), today_local())
    db.session.commit()
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "1 aanmelding(en) zonder deelname verwijderd." in result.output
    db.session.expire_all()
    assert db.session.scalars(sa.select(PartnerReferral.id)).all() == [kept.id]
