"""The meeting page: moving, cancelling, substitutes, notes; closure periods."""

import re
from datetime import date, time

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import AuditEntry, Leave
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group
from veiligthuis.sessions import service
from veiligthuis.sessions.models import ClosurePeriod, GroupSession
from veiligthuis.sessions.schedule import to_local


def _sessions(group_id):
    db.session.expire_all()
    return db.session.get(Group, group_id).active_sessions


def test_move_following_through_the_page(login_as, make_group):
    group = make_group(first_date=date(2026, 9, 7))
    client = login_as(group.facilitator_a)
    response = client.post(
        f"/groepen/{group.id}/bijeenkomsten/3/verplaatsen",
        data={"move-new_date": "2026-09-23", "move-new_time": "13:30", "move-scope": "following"},
    )
    assert response.status_code == 302
    days = [to_local(s.start_dt) for s in _sessions(group.id)]
    assert days[2].date() == date(2026, 9, 23) and days[2].time() == time(13, 30)
    assert all(d.weekday() == 2 and d.time() == time(13, 30) for d in days[2:])
    assert days[1].date() == date(2026, 9, 14)


def test_move_with_bad_input_shows_dutch_message_and_changes_nothing(login_as, make_group):
    group = make_group(first_date=date(2026, 9, 7))
    before = [s.start_dt for s in group.active_sessions]
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}/bijeenkomsten/2/verplaatsen"
    for data, message in [
        (
            {"move-new_date": "2026-02-30", "move-new_time": "10:00", "move-scope": "one"},
            "Vul een geldige datum in.",
        ),
        (
            {"move-new_date": "2026-09-15", "move-new_time": "23:00", "move-scope": "one"},
            "na middernacht",
        ),
        (
            {"move-new_date": "2026-12-25", "move-new_time": "10:00", "move-scope": "one"},
            "Eerste kerstdag",
        ),
        (
            {"move-new_date": "2026-09-15", "move-new_time": "10:00", "move-scope": "alles"},
            "Ongeldige keuze",
        ),
    ]:
        response = client.post(url, data=data)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page, data
    assert [s.start_dt for s in _sessions(group.id)] == before


def test_move_into_a_conflict_shows_it_and_needs_confirmation(login_as, make_group, make_user):
    a, b, c = (make_user("facilitator") for _ in range(3))
    make_group(facilitators=(a, b), first_date=date(2026, 9, 8), start=time(10, 0))
    mine = make_group(facilitators=(a, c), first_date=date(2026, 9, 7), start=time(10, 0))
    client = login_as(a)
    url = f"/groepen/{mine.id}/bijeenkomsten/1/verplaatsen"
    data = {"move-new_date": "2026-09-08", "move-new_time": "11:00", "move-scope": "one"}
    response = client.post(url, data=data)
    assert response.status_code == 409
    assert "leidt dan al groep" in response.get_data(as_text=True)
    assert to_local(_sessions(mine.id)[0].start_dt).date() == date(2026, 9, 7)
    assert client.post(url, data=data | {"move-confirm": "y"}).status_code == 302
    assert to_local(_sessions(mine.id)[0].start_dt).date() == date(2026, 9, 8)


def test_cancel_through_the_page_adds_a_replacement(login_as, make_group):
    group = make_group(first_date=date(2026, 9, 7))
    client = login_as(group.facilitator_b)
    assert (
        client.post(
            f"/groepen/{group.id}/bijeenkomsten/5/annuleren", data={"cancel-reason": ""}
        ).status_code
        == 422
    )
    response = client.post(
        f"/groepen/{group.id}/bijeenkomsten/5/annuleren",
        data={"cancel-reason": "Zaal onder water", "cancel-confirm": "y"},
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "geannuleerd: Zaal onder water" in page
    assert len(_sessions(group.id)) == 12
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GroupSession)) == 13


def test_substitute_through_the_page(login_as, make_group, make_user):
    group = make_group()
    substitute = make_user("facilitator", name="Invalster Ida")
    client = login_as(group.facilitator_a)
    response = client.post(
        f"/groepen/{group.id}/bijeenkomsten/2/invaller",
        data={"sub-replaces": group.facilitator_b_id, "sub-substitute": substitute.id},
    )
    assert response.status_code == 302
    page = client.get(f"/groepen/{group.id}/bijeenkomsten/2").get_data(as_text=True)
    assert "Invalster Ida valt in voor" in page
    # the substitute now sees the group, but may not change it
    client.post("/uitloggen", data={})
    client = login_as(substitute)
    assert client.get(f"/groepen/{group.id}").status_code == 200
    assert client.post(f"/groepen/{group.id}/presentie", data={}).status_code == 403


def test_notes_are_shown_on_the_next_meeting(login_as, make_group):
    group = make_group()
    client = login_as(group.facilitator_a)
    client.post(
        f"/groepen/{group.id}/bijeenkomsten/1/aantekeningen",
        data={"notes-notes": "Rustige start, veel thee."},
    )
    page = client.get(f"/groepen/{group.id}/bijeenkomsten/2").get_data(as_text=True)
    assert "Rustige start, veel thee." in page


def test_closures_admin(login_as, make_user, make_location):
    location = make_location(name="De Linde")
    client = login_as(make_user("coordinator"))
    bad = client.post(
        "/beheer/sluitingen",
        data={
            "start_date": "2026-12-28",
            "end_date": "2026-12-20",
            "reason": "Kerst",
            "location_id": 0,
        },
    )
    assert "De einddatum ligt voor de begindatum." in bad.get_data(as_text=True)
    ok = client.post(
        "/beheer/sluitingen",
        data={
            "start_date": "2026-12-21",
            "end_date": "2027-01-01",
            "reason": "Kerstsluiting",
            "location_id": location.id,
        },
    )
    assert ok.status_code == 302
    closure = db.session.scalars(sa.select(ClosurePeriod)).one()
    assert closure.location_id == location.id
    assert "De Linde" in client.get("/beheer/sluitingen").get_data(as_text=True)


def test_deleting_a_closure_period_is_audited(login_as, make_user):
    coordinator = make_user("coordinator")
    closure = ClosurePeriod(
        start_date=date(2026, 12, 21), end_date=date(2027, 1, 1), reason="Kerstsluiting"
    )
    db.session.add(closure)
    db.session.commit()
    closure_id = closure.id
    client = login_as(coordinator)
    # without the tick nothing is deleted
    page = client.post(f"/beheer/sluitingen/{closure_id}/verwijderen", follow_redirects=True)
    assert "Vink aan dat u de sluitingsperiode wilt verwijderen" in page.get_data(as_text=True)
    assert len(db.session.scalars(sa.select(ClosurePeriod)).all()) == 1
    response = client.post(f"/beheer/sluitingen/{closure_id}/verwijderen", data={"confirm": "y"})
    assert response.status_code == 302
    assert db.session.scalars(sa.select(ClosurePeriod)).all() == []
    entry = db.session.scalars(sa.select(AuditEntry)).one()
    assert (entry.actor_id, entry.action, entry.object_type, entry.object_id) == (
        coordinator.id,
        "closure_delete",
        "ClosurePeriod",
        closure_id,
    )
    assert "2026-12-21 t/m 2027-01-01 Kerstsluiting" in entry.detail


def test_deleting_leave_is_audited(login_as, make_user):
    coordinator = make_user("coordinator")
    nina = make_user("facilitator", name="Nina")
    leave = Leave(
        user_id=nina.id, start_date=date(2026, 10, 1), end_date=date(2026, 10, 14), reason="Vrij"
    )
    db.session.add(leave)
    db.session.commit()
    leave_id = leave.id
    client = login_as(coordinator)
    # Without the tick nothing is removed, and she is told why.
    page = client.post(f"/beheer/verlof/{leave_id}/verwijderen", follow_redirects=True)
    assert "Vink aan dat u het verlof wilt verwijderen" in page.get_data(as_text=True)
    assert [x.id for x in db.session.scalars(sa.select(Leave))] == [leave_id]
    assert db.session.scalars(sa.select(AuditEntry)).all() == []
    response = client.post(f"/beheer/verlof/{leave_id}/verwijderen", data={"confirm": "y"})
    assert response.status_code == 302
    assert db.session.scalars(sa.select(Leave)).all() == []
    entry = db.session.scalars(sa.select(AuditEntry)).one()
    assert (entry.actor_id, entry.action, entry.object_type, entry.object_id) == (
        coordinator.id,
        "leave_delete",
        "Leave",
        leave_id,
    )
    assert entry.detail == f"{nina.id}: 2026-10-01 t/m 2026-10-14"


def test_staff_and_leave_admin(login_as, make_user):
    coordinator = make_user("coordinator")
    client = login_as(coordinator)
    short = client.post(
        "/beheer/medewerkers/nieuw",
        data={
            "name": "Nina",
            "email": "nina@example.org",
            "roles": ["facilitator"],
            "password": "kort",
        },
    )
    assert "minstens 12 tekens" in short.get_data(as_text=True)
    no_role = client.post(
        "/beheer/medewerkers/nieuw",
        data={"name": "Nina", "email": "nina@example.org", "password": "lang-genoeg-123"},
    )
    assert "Kies minstens één rol." in no_role.get_data(as_text=True)
    ok = client.post(
        "/beheer/medewerkers/nieuw",
        data={
            "name": "Nina",
            "email": "Nina@Example.org",
            "roles": ["facilitator", "case_worker"],
            "password": "lang-genoeg-123",
        },
    )
    assert ok.status_code == 302
    again = client.post(
        "/beheer/medewerkers/nieuw",
        data={
            "name": "Nina 2",
            "email": "nina@example.org",
            "roles": ["editor"],
            "password": "lang-genoeg-123",
        },
    )
    assert "bestaat al een account" in again.get_data(as_text=True)
    from veiligthuis.auth.service import find_user_by_email

    nina = find_user_by_email(db.session, "nina@example.org")
    assert nina.roles == {"facilitator", "case_worker"}
    client.post(
        f"/beheer/medewerkers/{nina.id}/verlof",
        data={
            "leave-start_date": "2026-10-01",
            "leave-end_date": "2026-10-14",
            "leave-reason": "Vakantie",
        },
    )
    assert "Vakantie" in client.get(f"/beheer/medewerkers/{nina.id}").get_data(as_text=True)
    # she cannot take away her own coordinator role
    own = client.post(
        f"/beheer/medewerkers/{coordinator.id}",
        data={"name": "X", "roles": ["editor"], "is_enabled": "y"},
    )
    assert "eigen coördinatorrol" in own.get_data(as_text=True)


def test_a_disabled_account_cannot_log_in(client, make_user):
    user = make_user("facilitator")
    user.is_enabled = False
    db.session.commit()
    from tests.conftest import PASSWORD

    response = client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "klopt niet" in response.get_data(as_text=True)


def test_settings_refuse_a_non_neutral_title(login_as, make_user):
    client = login_as(make_user("coordinator"))
    from veiligthuis.settings import DEFAULTS

    data = {
        key: str(default)
        for key, (default, _label) in DEFAULTS.items()
        if not isinstance(default, bool)
    }
    data["public_title"] = "Groep tegen huiselijk geweld"
    data["completion_threshold"] = "13"
    page = client.post("/beheer/instellingen", data=data).get_data(as_text=True)
    assert "niet neutraal genoeg" in page and "hoogstens 12" in page
    data.update(public_title="Vrouwengroep Noord", completion_threshold="8", skip_good_friday="on")
    assert client.post("/beheer/instellingen", data=data).status_code == 302
    from veiligthuis.settings import get_settings

    values = get_settings(db.session)
    assert values["public_title"] == "Vrouwengroep Noord" and values["completion_threshold"] == 8
    assert values["skip_good_friday"] is True and values["skip_liberation_day"] is False


def test_the_grid_counts_its_own_marks_as_the_group_page_counts(login_as, make_group):
    group = make_group(participants=2, first_date=date(2026, 9, 7))
    first, second = group.participants
    meetings = group.active_sessions
    marks = {(first.id, s.id): "present" for s in meetings[:9]}
    marks |= {(second.id, s.id): "present" for s in meetings[:3]}
    marks[(second.id, meetings[3].id)] = "excused"
    service.record_attendance(db.session, group.facilitator_a, group, marks)
    # a cancelled meeting's marks stay stored, but count for nothing
    service.cancel_session(db.session, group.facilitator_a, meetings[0], "Storm")
    db.session.commit()
    expected = service.attendance_summaries(db.session, group, 9)  # counted by the database
    assert (expected[first.id].present, expected[second.id].present) == (8, 2)
    client = login_as(group.facilitator_a)
    page = client.get(f"/groepen/{group.id}/presentie").get_data(as_text=True)
    for woman in (first, second):
        row = re.search(rf"<th scope=\"row\">{woman.alias} .*?</tr>", page, re.S).group(0)
        present, proof = re.findall(r"<td class=\"num\">(\d+)</td>\s*<td>(ja|)</td>", row)[0]
        summary = expected[woman.id]
        assert (int(present), proof == "ja") == (summary.present, summary.has_completed)


def test_a_refused_move_of_a_meeting_a_colleague_cancelled_meanwhile_says_so(login_as, make_group):
    """A colleague's cancellation lands between the refusal and the page shown again (which
    reads the meeting anew after the rollback): a cancelled meeting has no page of its own."""
    group = make_group(first_date=date(2026, 9, 7))
    third = group.active_sessions[2].id
    client = login_as(group.facilitator_a)

    cancelled = []

    def colleague_cancels(_session, _transaction):
        if cancelled:
            return
        cancelled.append(third)
        with db.engine.begin() as connection:
            connection.execute(
                sa.update(GroupSession)
                .where(GroupSession.id == third)
                .values(status="cancelled", number=None, cancel_reason="ziek")
            )

    sa.event.listen(so.Session, "after_soft_rollback", colleague_cancels)
    try:
        response = client.post(
            f"/groepen/{group.id}/bijeenkomsten/3/verplaatsen",
            # "this and all following" to before meeting 2: refused
            data={
                "move-new_date": "2026-09-08",
                "move-new_time": "13:30",
                "move-scope": "following",
            },
        )
    finally:
        sa.event.remove(so.Session, "after_soft_rollback", colleague_cancels)
    assert cancelled, "the refusal rolled back"
    assert response.status_code == 303
    assert response.headers["Location"] == f"/groepen/{group.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bijeenkomst 3 is intussen door iemand anders geannuleerd" in page
    assert "Er is niets gewijzigd." in page
    days = [to_local(s.start_dt).date() for s in _sessions(group.id)]
    assert date(2026, 9, 8) not in days and len(days) == 11
