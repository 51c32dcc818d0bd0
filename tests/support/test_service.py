"""Signal rules, contacts, referrals, the handover and the facilitators' view, without HTTP."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import count_queries
from tests.support.conftest import local_day, mark, phone_call
from veiligthuis.extensions import db
from veiligthuis.models import DomainError
from veiligthuis.sessions import service as sessions_service
from veiligthuis.settings import set_setting
from veiligthuis.support import service, signals_service
from veiligthuis.support.models import ReferralTarget, Signal, SupportContact


def _signals(participant, kind=None):
    query = sa.select(Signal).where(Signal.participant_id == participant.id)
    if kind:
        query = query.where(Signal.kind == kind)
    return db.session.scalars(query.order_by(Signal.id)).all()


# --- absence without notice ----------------------------------------------------------------------


def test_absence_without_notice_opens_a_signal_per_meeting(support_setup):
    s = support_setup()
    her, other = s.clients
    opened = mark(s.group, {(her, 1): "absent", (other, 1): "present", (her, 2): "present"})
    assert [(sig.participant_id, sig.kind) for sig in opened] == [
        (her.id, "absence_without_notice")
    ]
    signal = opened[0]
    assert signal.status == "open"
    assert signal.group_session_id == s.group.active_sessions[0].id
    assert signal.detail.startswith("bijeenkomst 1 (")
    mark(s.group, {(her, 3): "absent"})
    assert len(_signals(her, "absence_without_notice")) == 2
    assert _signals(other) == []


def test_absence_with_notice_does_not_count_as_without_notice(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    opened = mark(s.group, {(her, 1): "excused", (her, 2): "present", (her, 3): "excused"})
    assert opened == []
    assert _signals(her) == []


# --- consecutive absences -------------------------------------------------------------------------


def test_two_consecutive_absences_with_or_without_notice(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    opened = mark(s.group, {(her, 4): "excused", (her, 5): "excused"})
    assert [sig.kind for sig in opened] == ["consecutive_absence"]
    assert opened[0].detail == "bijeenkomsten 4 en 5"
    assert opened[0].group_session_id == s.group.active_sessions[3].id


def test_absences_with_a_meeting_attended_between_are_not_consecutive(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    opened = mark(s.group, {(her, 1): "excused", (her, 2): "present", (her, 3): "excused"})
    assert opened == []


def test_an_unmarked_meeting_between_absences_breaks_the_run(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    assert mark(s.group, {(her, 1): "excused", (her, 3): "excused"}) == []


def test_a_cancelled_meeting_does_not_break_consecutive(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    group = s.group
    third = group.active_sessions[2]
    mark(group, {(her, 2): "excused", (her, 3): "present"})
    # Meeting 3 is cancelled after all (its "present" mark no longer counts); the old
    # meeting 4 becomes number 3 and she misses it.
    sessions_service.cancel_session(db.session, s.facilitator, third, "Ziekte begeleiders")
    db.session.commit()
    assert third.number is None
    opened = mark(group, {(her, 3): "absent"})
    kinds = sorted(sig.kind for sig in opened)
    assert kinds == ["absence_without_notice", "consecutive_absence"]
    run = next(sig for sig in opened if sig.kind == "consecutive_absence")
    assert run.detail == "bijeenkomsten 2 en 3"


def test_the_consecutive_rule_as_a_pure_function(support_setup):
    s = support_setup(n=0)
    meetings = s.group.active_sessions[:4]
    ids = [gs.id for gs in meetings]
    found = service.attendance_occurrences(
        meetings, {ids[0]: "absent", ids[1]: "excused", ids[2]: "excused", ids[3]: "present"}
    )
    assert [(o.kind, o.key) for o in found] == [
        ("absence_without_notice", f"absence_without_notice:{ids[0]}"),
        ("consecutive_absence", f"consecutive_absence:{ids[0]}"),
    ]
    assert found[1].detail == "bijeenkomsten 1 t/m 3"


def test_a_signal_is_not_opened_twice_for_the_same_occurrence(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    first = mark(s.group, {(her, 1): "absent", (her, 2): "absent"})
    assert sorted(sig.kind for sig in first) == [
        "absence_without_notice",
        "absence_without_notice",
        "consecutive_absence",
    ]
    # Saving the grid again, or recomputing, finds nothing new.
    assert mark(s.group, {(her, 1): "absent", (her, 2): "absent"}) == []
    assert service.refresh_signals(db.session, None, s.group, local_day(s.group.sessions[0])) == []
    # Even after she closed them.
    for signal in _signals(her):
        service.close_signal(db.session, s.worker, signal, "Gebeld, ze was ziek.")
    db.session.commit()
    assert mark(s.group, {(her, 1): "absent"}) == []
    assert len(_signals(her)) == 3
    # A longer run is the same occurrence: its description grows, no second signal.
    mark(s.group, {(her, 3): "excused"})
    runs = _signals(her, "consecutive_absence")
    assert len(runs) == 1


def test_a_growing_run_updates_the_open_signal(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    mark(s.group, {(her, 5): "excused", (her, 6): "excused"})
    assert mark(s.group, {(her, 7): "excused"}) == []
    (run,) = _signals(her, "consecutive_absence")
    assert run.detail == "bijeenkomsten 5 t/m 7"


def test_corrected_attendance_lapses_an_unseen_signal_but_not_a_seen_one(support_setup):
    s = support_setup()
    her, other = s.clients
    mark(s.group, {(her, 1): "absent", (other, 1): "absent"})
    seen = _signals(other)[0]
    service.acknowledge_signal(db.session, s.worker, seen)
    db.session.commit()
    mark(s.group, {(her, 1): "present", (other, 1): "present"})
    (lapsed,) = _signals(her)
    assert lapsed.status == "closed"
    assert lapsed.closing_note == service.LAPSED_NOTE
    assert lapsed.closed_by_id is None
    assert _signals(other)[0].status == "acknowledged"


# --- no contact -----------------------------------------------------------------------------------


def test_no_contact_for_three_weeks_while_the_group_runs(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    first = local_day(s.group.active_sessions[0])
    assert service.refresh_signals(db.session, None, s.group, first + timedelta(days=20)) == []
    opened = service.refresh_signals(db.session, None, s.group, first + timedelta(days=21))
    assert [sig.kind for sig in opened] == ["no_contact"]
    assert opened[0].dedupe_key == f"no_contact:{first.isoformat()}"
    assert opened[0].detail == "nog geen contact vastgelegd"
    # The next day: the same occurrence.
    assert service.refresh_signals(db.session, None, s.group, first + timedelta(days=22)) == []


def test_a_contact_restarts_the_no_contact_period_and_closes_the_signal(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    first = local_day(s.group.active_sessions[0])
    today = first + timedelta(weeks=4)
    (signal,) = service.refresh_signals(db.session, None, s.group, today)
    phone_call(s.worker, her, today, today=today)
    assert signal.status == "closed"
    assert signal.closed_by_id == s.worker.id
    assert "Contact vastgelegd" in signal.closing_note
    assert service.refresh_signals(db.session, None, s.group, today + timedelta(days=20)) == []
    (again,) = service.refresh_signals(db.session, None, s.group, today + timedelta(days=21))
    assert again.dedupe_key == f"no_contact:{today.isoformat()}"
    assert again.detail.startswith("laatste contact ")


def test_the_no_contact_weeks_come_from_the_setting(support_setup):
    s = support_setup(n=1)
    set_setting(db.session, "no_contact_weeks", 5)
    first = local_day(s.group.active_sessions[0])
    assert service.refresh_signals(db.session, None, s.group, first + timedelta(weeks=4)) == []
    assert len(service.refresh_signals(db.session, None, s.group, first + timedelta(weeks=5))) == 1


def test_a_group_that_has_ended_raises_no_no_contact_signal(support_setup):
    ended = support_setup(n=1, status="completed")
    last = local_day(ended.group.active_sessions[-1])
    first = local_day(ended.group.active_sessions[0])
    for today in (first + timedelta(weeks=5), last, last + timedelta(weeks=4)):
        assert service.refresh_signals(db.session, None, ended.group, today) == []
    # Still "running" in the books but past its last meeting: quiet too.
    late = support_setup(n=1, status="running")
    after = local_day(late.group.active_sessions[-1]) + timedelta(days=1)
    assert service.refresh_signals(db.session, None, late.group, after) == []
    # And before it starts (planned).
    planned = support_setup(n=1, status="planned")
    day = local_day(planned.group.active_sessions[0]) + timedelta(weeks=4)
    assert service.refresh_signals(db.session, None, planned.group, day) == []


def test_no_contact_needs_an_own_case_worker_and_an_active_participant(
    support_setup, make_participant
):
    s = support_setup(n=1)
    nobody = make_participant(s.group)
    external = make_participant(s.group)
    external.external_case_worker_name = "Anja"
    (her,) = s.clients
    dropped = make_participant(s.group, case_worker=s.worker)
    dropped.status, dropped.dropout_reason = "dropped_out", "verhuisd"
    db.session.commit()
    first = local_day(s.group.active_sessions[0])
    opened = service.refresh_signals(db.session, None, s.group, first + timedelta(weeks=6))
    assert [sig.participant_id for sig in opened] == [her.id]
    assert nobody.id not in {sig.participant_id for sig in opened}


# --- care signals, acknowledge, close ------------------------------------------------------------


def test_file_a_care_signal(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    gs = s.group.active_sessions[1]
    day = local_day(gs)
    signal = service.file_care_signal(
        db.session,
        s.facilitator,
        gs,
        her,
        care_date=day,
        category="children",
        informed="collega-begeleider",
        note="Vertelde dat de kinderen bij de buren sliepen.",
        today=day,
    )
    db.session.commit()
    assert signal.kind == "care" and signal.status == "open"
    assert signal.filed_by_id == s.facilitator.id
    assert signal.group_session_id == gs.id
    assert signal.dedupe_key is None
    # Each one filed is its own occurrence (no dedupe key, no unique clash).
    service.file_care_signal(
        db.session,
        s.facilitator,
        gs,
        her,
        care_date=day,
        category="safety",
        informed="",
        note="Tweede zorg.",
        today=day,
    )
    db.session.commit()
    assert len(_signals(her, "care")) == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"care_date": None}, "care_date", "geldige datum"),
        ({"care_date": "future"}, "care_date", "toekomst"),
        ({"category": "weather"}, "category", "categorie"),
        ({"note": "  "}, "note", "korte notitie"),
        ({"note": "x" * 501}, "note", "Hoogstens 500"),
        ({"informed": "y" * 251}, "informed", "Hoogstens 250"),
        ({"participant": "other"}, "participant_id", "deelnemer van deze groep"),
    ],
)
def test_a_care_signal_is_refused_with_a_dutch_message(
    support_setup, make_group, make_participant, changes, field, message
):
    s = support_setup(n=1)
    gs = s.group.active_sessions[0]
    day = local_day(gs)
    values = {
        "care_date": day,
        "category": "health",
        "informed": "",
        "note": "Zag er moe uit.",
    }
    participant = s.clients[0]
    for key, value in changes.items():
        if key == "participant":
            participant = make_participant(make_group())
        elif value == "future":
            values[key] = day + timedelta(days=1)
        else:
            values[key] = value
    with pytest.raises(DomainError, match=message) as error:
        service.file_care_signal(db.session, s.facilitator, gs, participant, today=day, **values)
    assert error.value.field == field


def test_acknowledge_then_close_with_a_note(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    (signal,) = mark(s.group, {(her, 1): "absent"})
    service.acknowledge_signal(db.session, s.worker, signal)
    assert signal.status == "acknowledged" and signal.acknowledged_by_id == s.worker.id
    with pytest.raises(DomainError, match="al gezien"):
        service.acknowledge_signal(db.session, s.worker, signal)
    with pytest.raises(DomainError, match="korte notitie") as error:
        service.close_signal(db.session, s.worker, signal, "   ")
    assert error.value.field == "closing_note"
    service.close_signal(db.session, s.worker, signal, "Gebeld; ze was ziek.")
    assert signal.status == "closed" and signal.closing_note == "Gebeld; ze was ziek."
    with pytest.raises(DomainError, match="al afgesloten"):
        service.close_signal(db.session, s.worker, signal, "nog eens")


def test_open_signal_count_counts_her_clients_and_due_no_contact_without_writing(
    support_setup, make_user
):
    s = support_setup(n=2)
    her, other = s.clients
    other_worker = support_setup(n=1, group=s.group)
    mark(
        s.group, {(her, 1): "absent", (other, 1): "absent", (other_worker.clients[0], 1): "absent"}
    )
    service.acknowledge_signal(db.session, s.worker, _signals(other)[0])
    db.session.commit()
    first = local_day(s.group.active_sessions[0])
    assert service.open_signal_count(db.session, s.worker, first) == 1
    # Four weeks in, all three clients of hers are due a "no contact" signal (2 of hers).
    later = first + timedelta(weeks=4)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Signal))
    assert service.open_signal_count(db.session, s.worker, later) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signal)) == before
    # Once stored they are not counted twice.
    service.refresh_no_contact(db.session, None, s.clients, later)
    assert service.open_signal_count(db.session, s.worker, later) == 3
    assert service.open_signal_count(db.session, make_user("facilitator"), later) == 0


# --- contacts, safety plan, referrals ------------------------------------------------------------


def test_log_contact_checks_its_input(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    today = date(2026, 10, 1)
    cases = [
        ({"contact_date": date(2026, 10, 2)}, "contact_date", "toekomst"),
        ({"contact_date": date(1999, 1, 1)}, "contact_date", "na 2000"),
        ({"kind": "letter"}, "kind", "soort contact"),
        ({"minutes": 601}, "minutes", "tussen 0 en 600"),
        ({"note": "n" * 501}, "note", "Hoogstens 500"),
    ]
    for changes, field, message in cases:
        values = {"contact_date": today, "kind": "conversation", "minutes": 30, "note": "ok"}
        values.update(changes)
        with pytest.raises(DomainError, match=message) as error:
            service.log_contact(db.session, s.worker, her, today=today, **values)
        assert error.value.field == field
    contact = service.log_contact(
        db.session,
        s.worker,
        her,
        contact_date=today,
        kind="home_visit",
        minutes=None,
        note="  Huisbezoek.  ",
        today=today,
    )
    assert contact.note == "Huisbezoek." and contact.case_worker_id == s.worker.id


def test_safety_plan_status_and_consent(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    today = date(2026, 10, 1)
    with pytest.raises(DomainError, match="vink eerst aan"):
        service.save_record(
            db.session,
            s.worker,
            her,
            has_safety_plan=False,
            reviewed_date=date(2026, 9, 20),
            is_evaluation_shared=False,
            today=today,
        )
    record = service.save_record(
        db.session,
        s.worker,
        her,
        has_safety_plan=True,
        reviewed_date=date(2026, 9, 20),
        is_evaluation_shared=True,
        today=today,
    )
    assert record.has_safety_plan and record.safety_plan_reviewed_date == date(2026, 9, 20)
    service.save_record(
        db.session,
        s.worker,
        her,
        has_safety_plan=False,
        reviewed_date=None,
        is_evaluation_shared=False,
        today=today,
    )
    assert record.safety_plan_reviewed_date is None and not record.is_evaluation_shared


def test_referrals_only_to_active_targets_from_the_list(support_setup, make_user):
    s = support_setup(n=1)
    (her,) = s.clients
    coordinator = make_user("coordinator")
    assert service.add_default_referral_targets(db.session, coordinator) == len(
        service.DEFAULT_REFERRAL_TARGETS
    )
    assert service.add_default_referral_targets(db.session, coordinator) == 0
    target = service.add_referral_target(db.session, coordinator, "  Buurtteam   Oost ")
    assert target.name == "Buurtteam Oost"
    with pytest.raises(DomainError, match="staat al"):
        service.add_referral_target(db.session, coordinator, "buurtteam oost")
    today = date(2026, 10, 1)
    referral = service.add_referral(
        db.session, s.worker, her, referral_date=today, target_id=target.id, note="", today=today
    )
    assert referral.target.name == "Buurtteam Oost"
    service.set_referral_target_active(db.session, coordinator, target, False)
    with pytest.raises(DomainError, match="verwijsadres"):
        service.add_referral(
            db.session,
            s.worker,
            her,
            referral_date=today,
            target_id=target.id,
            note="",
            today=today,
        )
    active = service.referral_targets(db.session, active_only=True)
    assert target not in active and len(active) == len(service.DEFAULT_REFERRAL_TARGETS)
    assert db.session.get(ReferralTarget, target.id) is not None


# --- what facilitators see ------------------------------------------------------------------------


def test_support_overview_labels(support_setup, make_participant):
    s = support_setup(n=3)
    recent, old, silent = s.clients
    external = make_participant(s.group)
    external.external_case_worker_name = "Anja de Boer"
    nobody = make_participant(s.group)
    today = date(2026, 11, 20)
    for participant, day in ((recent, date(2026, 11, 12)), (old, date(2026, 9, 1))):
        service.log_contact(
            db.session,
            s.worker,
            participant,
            contact_date=day,
            kind="phone",
            minutes=5,
            note="GEHEIM-NOTITIE",
            today=today,
        )
    overview = service.support_overview(db.session, s.group.participants, today)
    assert overview[recent.id].label == "actief, laatste contact 12 nov"
    assert overview[recent.id].is_active
    assert overview[old.id].label == "geen recent contact, laatste 1 sep"
    assert overview[silent.id].label == "geen contact vastgelegd"
    assert overview[external.id].label == "via externe hulpverlener"
    assert overview[nobody.id].label == "geen hulpverlener"
    assert all("GEHEIM" not in repr(status) for status in overview.values())
    assert (
        service.support_overview(db.session, [old], date(2027, 2, 1))[old.id].label
        == "geen recent contact, laatste 1 sep 2026"
    )


def test_support_overview_uses_a_fixed_number_of_queries(support_setup):
    small = support_setup(n=1)
    large = support_setup(n=9)
    for s in (small, large):
        for participant in s.clients:
            service.log_contact(
                db.session,
                s.worker,
                participant,
                contact_date=date(2026, 10, 1),
                kind="phone",
                minutes=5,
                note="",
                today=date(2026, 10, 2),
            )
    db.session.commit()
    # the settings it reads are kept from the first time on (veiligthuis.changes)
    service.support_overview(db.session, list(small.group.participants), date(2026, 10, 2))
    counts = []
    for s in (small, large):
        db.session.rollback()  # each in a transaction of its own, as on a page
        participants = list(s.group.participants)
        with count_queries(db.engine) as n:
            service.support_overview(db.session, participants, date(2026, 10, 2))
        counts.append(n())
    assert counts[0] == counts[1] <= 2


# --- handover -------------------------------------------------------------------------------------


def test_handover_has_attendance_completion_care_signals_and_no_evaluation(support_setup):
    s = support_setup(n=1)
    (her,) = s.clients
    group = s.group
    set_setting(db.session, "completion_threshold", 9)
    marks = {(her, n): "present" for n in range(1, 13)}
    marks[(her, 4)] = "excused"
    marks[(her, 9)] = "absent"
    mark(group, marks)
    gs = group.active_sessions[5]
    service.file_care_signal(
        db.session,
        s.facilitator,
        gs,
        her,
        care_date=local_day(gs),
        category="safety",
        informed="coördinator",
        note="Was erg angstig na een telefoontje.",
        today=local_day(gs),
    )
    group.status = "completed"
    db.session.commit()
    summary = service.handover(db.session, her)
    assert (summary.present, summary.excused, summary.absent) == (10, 1, 1)
    assert summary.has_completed and summary.threshold == 9
    assert summary.is_final
    assert [sig.note for sig in summary.care_signals] == ["Was erg angstig na een telefoontje."]
    assert summary.is_evaluation_shared is False
    assert [status for _gs, status in summary.meetings][3] == "excused"
    set_setting(db.session, "completion_threshold", 11)
    assert not service.handover(db.session, her).has_completed


def test_retention_blanks_support_notes(support_setup):
    from veiligthuis.groups.service import anonymise_expired

    s = support_setup(n=1, status="completed")
    (her,) = s.clients
    day = local_day(s.group.active_sessions[0])
    service.log_contact(
        db.session,
        s.worker,
        her,
        contact_date=day,
        kind="phone",
        minutes=5,
        note="persoonlijk",
        today=day,
    )
    signal = service.file_care_signal(
        db.session,
        s.facilitator,
        s.group.active_sessions[0],
        her,
        care_date=day,
        category="health",
        informed="coördinator",
        note="persoonlijk",
        today=day,
    )
    service.close_signal(db.session, s.worker, signal, "persoonlijk")
    db.session.commit()
    assert anonymise_expired(db.session, date(2030, 1, 1), 24) == 1
    db.session.commit()
    db.session.expire_all()
    contact = db.session.scalars(sa.select(SupportContact)).one()
    assert contact.note == "" and contact.kind == "phone"
    signal = db.session.get(Signal, signal.id)
    assert (signal.note, signal.informed, signal.closing_note) == ("", "", "")
    assert signal.category == "health"


def test_a_signal_opened_by_a_simultaneous_save_is_not_opened_again(support_setup):
    # Two attendance saves at once both see no signal yet; the second insert must give way.
    s = support_setup(n=1)
    (her,) = s.clients
    mark(s.group, {(her, 1): "absent"})
    gs = s.group.active_sessions[0]
    occurrence = service.attendance_occurrences(s.group.active_sessions, {gs.id: "absent"})
    opened = signals_service._store(
        db.session, None, {her.id: her}, {her.id: occurrence}, [], set()
    )
    assert opened == []
    db.session.commit()
    assert len(_signals(her, "absence_without_notice")) == 1
