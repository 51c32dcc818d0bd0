"""The statistics survive the retention purge: the same figures before and after."""

from datetime import date

import pytest

from tests.evaluations.conftest import pearlin_values
from tests.reports.conftest import csv_files, report_for
from veiligthuis.extensions import db
from veiligthuis.groups import service as groups_service
from veiligthuis.groups.models import Participant
from veiligthuis.sessions import service as sessions_service
from veiligthuis.support import service as support_service

DAY = date(2026, 6, 1)


@pytest.fixture
def finished_year(eval_group, open_round, answer, make_user):
    """A group of 2026 with attendance, drop-outs, support, referrals and both measurements."""
    group = eval_group(participants=0, first_date=date(2026, 2, 2))
    actor, worker = group.facilitator_a, make_user("case_worker")

    def add(status, **fields):
        data = groups_service.ParticipantData(
            alias="Anna", status="active", intake_date=date(2026, 1, 5), **fields
        )
        participant = groups_service.add_participant(db.session, actor, group, data)
        if status == "dropped_out":
            data.status, data.dropout_reason = status, "werk, haar chef is streng"
            data.dropout_kind = "practical"
            groups_service.update_participant(db.session, actor, participant, data)
        return participant

    stayed = [add("active", age_band="25_34", language="Turks", country_of_birth="Turkije")]
    stayed += [add("active", age_band="35_44", referral_source="huisarts") for _ in range(6)]
    left = [add("dropped_out", violence_phase="left") for _ in range(5)]
    meetings = sorted(group.active_sessions, key=lambda s: s.number)
    marks = {(p.id, s.id): "present" for p in stayed for s in meetings[:10]}
    marks |= {(p.id, s.id): "present" for p in left for s in meetings[:2]}
    sessions_service.record_attendance(db.session, actor, group, marks)
    target = support_service.add_referral_target(db.session, actor, "Schuldhulp")
    for p in stayed[:5]:
        for _ in range(3):
            support_service.log_contact(
                db.session,
                worker,
                p,
                contact_date=DAY,
                kind="phone",
                minutes=20,
                note="sprak over haar zus",
                today=DAY,
            )
        support_service.save_record(
            db.session,
            worker,
            p,
            has_safety_plan=True,
            reviewed_date=DAY,
            is_evaluation_shared=False,
            today=DAY,
        )
        support_service.add_referral(
            db.session, worker, p, referral_date=DAY, target_id=target.id, note="", today=DAY
        )
    db.session.commit()
    for kind, score in (("voor", 3), ("na", 2)):
        round_, codes = open_round(group, kind, count=6)
        for code in codes:
            answer(round_, code, pearlin_values(score))
    groups_service.finish_group(db.session, actor, group, 9)
    db.session.commit()
    return group


def test_figures_are_the_same_after_the_purge(finished_year):
    before = csv_files(report_for())
    completion = before["afronding.csv"]
    assert "afgerond (9 keer of vaker aanwezig);7" in completion
    assert "uitgevallen;5" in completion
    assert "praktisch (tijd, vervoer, opvang, werk);5" in before["uitvalredenen.csv"]
    assert "3–5 contacten;5" in before["contacten.csv"]
    assert "Schuldhulp;5" in before["doorverwijzingen.csv"]
    assert "voormeting;6;16,0" in before["pearlin.csv"]

    purged = groups_service.anonymise_expired(db.session, date(2030, 1, 1), 12)
    db.session.commit()
    assert purged == 12
    assert all(
        p.alias == "geanonimiseerd" and p.dropout_reason is None
        for p in db.session.scalars(db.select(Participant))
    )
    assert csv_files(report_for()) == before
