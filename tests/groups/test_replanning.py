"""Issue 13: school holidays past the known years; changing a saved group."""

from datetime import date

from tests.groups.test_views import _form


def test_preview_in_2031_says_school_holidays_are_unknown(login_as, make_user, make_location):
    coordinator = make_user("coordinator")
    a, b = make_user("facilitator"), make_user("facilitator")
    location = make_location()
    client = login_as(coordinator)
    page = client.post(
        "/groepen/nieuw", data=_form(location, a, b, first_date="2031-06-02", preview="1")
    ).get_data(as_text=True)
    assert "schoolvakanties van 2031 zijn nog niet bekend" in page
    assert "sluitingsperiode" in page
    # Within the known years nothing is said.
    page = client.post(
        "/groepen/nieuw", data=_form(location, a, b, first_date="2026-04-20", preview="1")
    ).get_data(as_text=True)
    assert "nog niet bekend" not in page


def test_unknown_school_years_lists_the_years_without_data(app_ctx, make_location):
    from veiligthuis.extensions import db
    from veiligthuis.groups import service

    location = make_location()
    assert service.unknown_school_years(db.session, [date(2029, 12, 1)], location) == []
    # The data ends with the school year 2029-30: its summer holiday is known, autumn 2030 not.
    assert service.unknown_school_years(
        db.session, [date(2030, 6, 1), date(2030, 10, 21), date(2031, 1, 5)], location
    ) == [2030, 2031]


def test_finish_needs_the_checkbox_and_a_finished_group_can_be_reopened(login_as, make_group):
    import sqlalchemy as sa

    from veiligthuis.auth.models import AuditEntry
    from veiligthuis.extensions import db
    from veiligthuis.groups.models import Group, Participant

    group = make_group(participants=6)
    group.status = "running"
    group.participants[0].status = "dropped_out"
    group.participants[0].dropout_reason = "verhuisd"
    db.session.commit()
    client = login_as(group.facilitator_a)
    page = client.get(f"/groepen/{group.id}").get_data(as_text=True)
    assert "Ja, sluit de groep af" in page
    response = client.post(f"/groepen/{group.id}/afsluiten", follow_redirects=True)
    assert "Vink aan dat u de groep wilt afsluiten" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Group, group.id).status == "running"
    assert client.post(f"/groepen/{group.id}/afsluiten", data={"confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Group, group.id).status == "completed"
    page = client.get(f"/groepen/{group.id}").get_data(as_text=True)
    assert "Groep weer openen" in page
    assert client.post(f"/groepen/{group.id}/heropenen").status_code == 302
    db.session.expire_all()
    assert db.session.get(Group, group.id).status == "running"
    statuses = sorted(db.session.scalars(sa.select(Participant.status)).all())
    assert statuses == ["active"] * 5 + ["dropped_out"]
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "finish_group" in actions and "reopen_group" in actions


def _data(group, **changes):
    from veiligthuis.groups.service import GroupData

    values = {
        "name": group.name,
        "public_title": group.public_title,
        "location_id": group.location_id,
        "room_id": group.room_id,
        "weekday": group.weekday,
        "start_time": group.start_time,
        "first_date": group.first_date,
        "facilitator_a_id": group.facilitator_a_id,
        "facilitator_b_id": group.facilitator_b_id,
    }
    values.update(changes)
    return GroupData(**values)


def test_replan_moves_only_meetings_to_come_and_raises_their_sequence(make_group, make_user):
    from datetime import time, timedelta

    from icalendar import Calendar

    from veiligthuis.extensions import db
    from veiligthuis.groups import replanning
    from veiligthuis.sessions import ical
    from veiligthuis.sessions.schedule import to_local

    group = make_group(first_date=date(2026, 9, 7))
    newcomer = make_user("facilitator", name="Nieuwe Begeleider")
    before = [(s.id, s.start_dt, s.sequence) for s in group.active_sessions]
    now = group.active_sessions[3].end_dt + timedelta(hours=1)  # four meetings held
    data = _data(group, weekday=2, start_time=time(19, 0), facilitator_b_id=newcomer.id)
    replanning.replan_group(db.session, group.facilitator_a, group, data, now=now)
    after = group.active_sessions
    assert [(s.id, s.start_dt, s.sequence) for s in after[:4]] == before[:4]
    assert [s.id for s in after] == [b[0] for b in before]  # same meetings, same UIDs
    assert all(to_local(s.start_dt).weekday() == 2 for s in after[4:])
    assert all(to_local(s.start_dt).time() == time(19, 0) for s in after[4:])
    assert all(s.sequence == 1 for s in after[4:])
    assert (to_local(after[4].start_dt).date() - to_local(after[3].start_dt).date()).days >= 6
    assert [s.number for s in after] == list(range(1, 13))
    assert group.facilitator_b_id == newcomer.id and group.weekday == 2
    raw = ical.group_to_ical(group, "staff", host="test.local", base_url="http://test.local")
    events = [c for c in Calendar.from_ical(raw).walk("VEVENT")]
    sequences = {str(e["UID"]): int(e.get("SEQUENCE", 0)) for e in events}
    assert sequences[f"session-{after[4].id}@test.local"] == 1
    assert sequences[f"session-{after[0].id}@test.local"] == 0


def test_replan_reports_conflicts_and_refuses_without_confirmation(make_group, make_user):
    from datetime import timedelta

    import pytest

    from veiligthuis.extensions import db
    from veiligthuis.groups import replanning
    from veiligthuis.models import DomainError

    busy = make_user("facilitator", name="Drukke Begeleider")
    make_group(facilitators=(busy, make_user("facilitator")), first_date=date(2026, 9, 9))
    group = make_group(first_date=date(2026, 9, 7))
    now = group.active_sessions[1].end_dt + timedelta(hours=1)
    data = _data(group, weekday=2, facilitator_b_id=busy.id)
    preview = replanning.preview_replan(db.session, group.facilitator_a, group, data, now=now)
    assert preview.conflicts and len(preview.sessions) == 10
    with pytest.raises(DomainError, match="conflicten"):
        replanning.replan_group(db.session, group.facilitator_a, group, data, now=now)
    # a facilitator cannot take herself off her group; a coordinator can
    data = _data(group, facilitator_a_id=busy.id)
    with pytest.raises(DomainError, match="coördinator"):
        replanning.preview_replan(db.session, group.facilitator_a, group, data, now=now)


def test_replan_page_previews_then_saves_and_audits(app, login_as, make_group, make_user):
    from datetime import timedelta

    import sqlalchemy as sa

    from veiligthuis.auth.models import AuditEntry
    from veiligthuis.extensions import db
    from veiligthuis.groups.models import Group
    from veiligthuis.sessions.schedule import to_local, today_local

    coordinator = make_user("coordinator")
    newcomer = make_user("facilitator", name="Nadia Nieuw")
    group = make_group(first_date=today_local() - timedelta(weeks=3))
    held = [s.start_dt for s in group.active_sessions[:3]]
    client = login_as(coordinator)
    page = client.get(f"/groepen/{group.id}/planning").get_data(as_text=True)
    assert "Nieuwe planning vanaf" in page and "Planning wijzigen" in page
    form = _form(
        group.location,
        group.facilitator_a,
        newcomer,
        weekday=(group.weekday + 1) % 7,
        start_time="19:00",
        first_date=today_local().isoformat(),
    )
    page = client.post(f"/groepen/{group.id}/planning", data=form | {"preview": "1"}).get_data(
        as_text=True
    )
    assert "gehouden, blijft" in page and "19:00–21:30" in page
    db.session.expire_all()
    assert db.session.get(Group, group.id).facilitator_b_id != newcomer.id
    response = client.post(f"/groepen/{group.id}/planning", data=form | {"save": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    group = db.session.get(Group, group.id)
    assert group.facilitator_b_id == newcomer.id
    assert [s.start_dt for s in group.active_sessions if s.start_dt in held] == held
    coming = [s for s in group.active_sessions if to_local(s.start_dt).hour == 19]
    assert len(coming) >= 8
    assert db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "replan_group")
    ).one()
    # another facilitator may not
    from tests.conftest import login

    other_client = app.test_client()
    login(other_client, make_user("facilitator"))
    assert other_client.get(f"/groepen/{group.id}/planning").status_code == 404
