"""Group rules, without HTTP."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.groups import service
from veiligthuis.groups.models import Group, Participant
from veiligthuis.models import DomainError
from veiligthuis.settings import set_setting


def _data(location, a, b, **changes):
    values = dict(
        name="Dinsdaggroep",
        public_title="Vrouwengroep",
        location_id=location.id,
        room_id=location.rooms[0].id,
        weekday=0,
        start_time=time(10, 0),
        first_date=date(2026, 4, 20),
        facilitator_a_id=a.id,
        facilitator_b_id=b.id,
    )
    values.update(changes)
    return service.GroupData(**values)


def test_preview_skips_kings_day_and_has_twelve_sessions(make_user, make_location):
    a, b = make_user("facilitator"), make_user("facilitator")
    location = make_location(region="noord")
    preview = service.preview_group(db.session, _data(location, a, b))
    days = [p.day for p in preview.sessions]
    assert len(days) == 12
    assert date(2026, 4, 27) not in days
    assert any(s.day == date(2026, 4, 27) and s.reason == "Koningsdag" for s in preview.skipped)
    assert all(p.end_dt - p.start_dt == timedelta(minutes=150) for p in preview.sessions)


def test_bevrijdingsdag_follows_the_setting(make_user, make_location):
    a, b = make_user("facilitator"), make_user("facilitator")
    location = make_location()
    data = _data(location, a, b, weekday=1, first_date=date(2026, 4, 28))
    assert date(2026, 5, 5) not in [p.day for p in service.preview_group(db.session, data).sessions]
    set_setting(db.session, "skip_liberation_day", False)
    assert date(2026, 5, 5) in [p.day for p in service.preview_group(db.session, data).sessions]


def test_closure_period_of_the_organisation_is_skipped(make_user, make_location):
    from veiligthuis.sessions.service import add_closure

    a, b = make_user("facilitator"), make_user("facilitator")
    location = make_location()
    add_closure(db.session, date(2026, 9, 14), date(2026, 9, 18), "Teamweek", None)
    preview = service.preview_group(db.session, _data(location, a, b, first_date=date(2026, 9, 7)))
    assert date(2026, 9, 14) not in [p.day for p in preview.sessions]
    assert [s.reason for s in preview.skipped if s.day == date(2026, 9, 14)] == ["Teamweek"]


def test_create_group_saves_twelve_meetings_and_audits(make_user, make_location):
    a, b = make_user("facilitator"), make_user("facilitator")
    group = service.create_group(db.session, a, _data(make_location(), a, b))
    db.session.commit()
    assert [s.number for s in group.sessions] == list(range(1, 13))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"facilitator_b_id": "a"}, "facilitator_b_id", "twee verschillende begeleiders"),
        ({"room_id": "other"}, "room_id", "hoort niet bij de gekozen locatie"),
        ({"name": "x" * 121}, "name", "te lang"),
        ({"public_title": "Groep huiselijk geweld"}, "public_title", "neutraal"),
        ({"start_time": time(22, 0)}, None, "middernacht"),
        ({"first_date": date(1900, 1, 1)}, "first_date", "tussen 2000 en 2100"),
        ({"location_id": 999999}, "location_id", "Kies een locatie"),
    ],
)
def test_bad_group_data_is_refused_and_nothing_saved(
    make_user, make_location, changes, field, message
):
    a, b = make_user("facilitator"), make_user("facilitator")
    location, other = make_location(), make_location()
    resolved = {
        key: a.id if value == "a" else other.rooms[0].id if value == "other" else value
        for key, value in changes.items()
    }
    with pytest.raises(DomainError) as excinfo:
        service.create_group(db.session, a, _data(location, a, b, **resolved))
    assert message in excinfo.value.message
    assert excinfo.value.field == field
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Group)) == 0


def test_a_non_facilitator_cannot_lead_a_group(make_user, make_location):
    a, worker = make_user("facilitator"), make_user("case_worker")
    with pytest.raises(DomainError, match="rol begeleider"):
        service.create_group(db.session, a, _data(make_location(), a, worker))


def test_conflicts_block_saving_until_accepted(make_user, make_location, make_group):
    a, b, c = (make_user("facilitator") for _ in range(3))
    location = make_location()
    make_group(facilitators=(a, b), location=location, first_date=date(2026, 9, 7))
    data = _data(make_location(), a, c, first_date=date(2026, 9, 7), weekday=0)
    preview = service.preview_group(db.session, data)
    assert len(preview.conflicts) == 12
    assert all("leidt dan al" in c.message for c in preview.conflicts)
    with pytest.raises(DomainError, match="conflicten"):
        service.create_group(db.session, a, data)
    group = service.create_group(db.session, a, data, accept_conflicts=True)
    assert len(group.sessions) == 12


def test_room_double_booking_and_leave_are_conflicts(make_user, make_location, make_group):
    from veiligthuis.auth.service import add_leave

    a, b, c, d = (make_user("facilitator") for _ in range(4))
    location = make_location()
    make_group(facilitators=(a, b), location=location, first_date=date(2026, 9, 7))
    add_leave(db.session, c, date(2026, 9, 14), date(2026, 9, 20), "Vakantie")
    preview = service.preview_group(
        db.session, _data(location, c, d, first_date=date(2026, 9, 7), start_time=time(11, 0))
    )
    messages = [c.message for c in preview.conflicts]
    assert sum("ruimte Zaal 1 is dan al bezet" in m for m in messages) == 12
    assert sum("verlof (Vakantie)" in m for m in messages) == 1


def test_back_to_back_groups_do_not_conflict(make_user, make_location, make_group):
    a, b = make_user("facilitator"), make_user("facilitator")
    location = make_location()
    make_group(
        facilitators=(a, b), location=location, first_date=date(2026, 9, 7), start=time(9, 0)
    )
    data = _data(location, a, b, first_date=date(2026, 9, 7), start_time=time(11, 30))
    assert service.preview_group(db.session, data).conflicts == []


def test_thirteenth_active_participant_is_refused_waiting_list_accepted(make_group):
    group = make_group(participants=12)
    with pytest.raises(DomainError, match="wachtlijst") as excinfo:
        service.add_participant(
            db.session,
            group.facilitator_a,
            group,
            service.ParticipantData(alias="Nina", status="active"),
        )
    assert excinfo.value.field == "status"
    db.session.rollback()
    waiting = service.add_participant(
        db.session,
        group.facilitator_a,
        group,
        service.ParticipantData(alias="Nina", status="waiting"),
    )
    assert waiting.status == "waiting"
    assert service.active_count(group) == 12


def test_a_dropped_out_participant_frees_a_place(make_group):
    group = make_group(participants=12)
    first = group.participants[0]
    data = service.ParticipantData(
        alias=first.alias, status="dropped_out", dropout_reason="verhuisd"
    )
    service.update_participant(db.session, group.facilitator_a, first, data)
    newcomer = service.add_participant(
        db.session,
        group.facilitator_a,
        group,
        service.ParticipantData(alias="Nina", status="active"),
    )
    assert newcomer.status == "active" and service.active_count(group) == 12


def test_dropping_out_needs_a_reason(make_group):
    group = make_group(participants=1)
    with pytest.raises(DomainError, match="reden van uitval"):
        service.update_participant(
            db.session,
            group.facilitator_a,
            group.participants[0],
            service.ParticipantData(alias="X", status="dropped_out"),
        )


def test_alias_rules(make_group):
    group = make_group()
    for alias, message in (("", "voornaam of alias"), ("a" * 61, "te lang")):
        with pytest.raises(DomainError, match=message):
            service.add_participant(
                db.session, group.facilitator_a, group, service.ParticipantData(alias=alias)
            )


def test_participant_codes_are_unique_and_readable(make_group):
    group = make_group(participants=12, status="intake")
    codes = [p.code for p in group.participants]
    assert len(set(codes)) == 12
    assert all(len(c) == 7 and c[3] == "-" and not set(c) & set("01IO") for c in codes)


def test_starting_needs_six_or_a_coordinators_reason(make_group, make_user):
    group = make_group(participants=5)
    with pytest.raises(DomainError, match="minstens 6"):
        service.start_group(db.session, group.facilitator_a, group)
    coordinator = make_user("coordinator")
    with pytest.raises(DomainError, match="reden"):
        service.start_group(db.session, coordinator, group, "kort")
    service.start_group(db.session, coordinator, group, "Twee vrouwen starten in week 2.")
    assert group.status == "running"
    assert group.start_override_reason == "Twee vrouwen starten in week 2."


def test_six_participants_start_without_override(make_group):
    group = make_group(participants=6)
    service.start_group(db.session, group.facilitator_a, group)
    assert group.status == "running" and group.start_override_reason is None


def test_every_change_of_a_participant_is_audited(make_group):
    group = make_group()
    participant = service.add_participant(
        db.session, group.facilitator_a, group, service.ParticipantData(alias="Roos")
    )
    service.update_participant(
        db.session,
        group.facilitator_b,
        participant,
        service.ParticipantData(alias="Roos", status="active"),
    )
    db.session.commit()
    entries = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.participant_code == participant.code)
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.actor_id) for e in entries] == [
        ("create", group.facilitator_a_id),
        ("update", group.facilitator_b_id),
    ]
    assert "intake -> active" in entries[1].detail
    assert all("Roos" not in e.detail for e in entries)


def test_diversity_fields_are_not_stored_when_switched_off(make_group):
    group = make_group()
    set_setting(db.session, "diversity_fields", False)
    participant = service.add_participant(
        db.session,
        group.facilitator_a,
        group,
        service.ParticipantData(alias="Roos", age_band="35_44", violence_phase="tension"),
    )
    assert participant.age_band is None and participant.violence_phase is None


def test_visible_groups_for_a_facilitator_are_her_own(make_group, make_user):
    def visible(user) -> list[int]:
        every, params = service.visible_scope(user)
        query = sa.select(Group.id).where(service.visible_groups_where(every)).order_by(Group.id)
        return list(db.session.scalars(query, params))

    mine = make_group()
    other = make_group()
    assert visible(mine.facilitator_a) == [mine.id]
    # standing in for a colleague at one meeting shows her that group too
    other.active_sessions[3].substitute_id = mine.facilitator_a.id
    db.session.commit()
    assert visible(mine.facilitator_a) == [mine.id, other.id]
    assert visible(make_user("coordinator")) == [mine.id, other.id]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 0
