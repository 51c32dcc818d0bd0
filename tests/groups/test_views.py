"""Planning a group and its participants through the pages."""

from datetime import date

import sqlalchemy as sa

from tests.conftest import count_queries
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group, Participant


def _form(location, a, b, **changes):
    data = {
        "name": "Maandaggroep",
        "public_title": "Vrouwengroep",
        "location_id": location.id,
        "room_id": location.rooms[0].id,
        "weekday": 0,
        "start_time": "10:00",
        "first_date": "2026-04-20",
        "facilitator_a_id": a.id,
        "facilitator_b_id": b.id,
    }
    data.update(changes)
    return data


def test_preview_shows_skipped_holiday_then_save(login_as, make_user, make_location):
    coordinator = make_user("coordinator")
    a, b = make_user("facilitator"), make_user("facilitator")
    location = make_location()
    client = login_as(coordinator)
    page = client.post("/groepen/nieuw", data=_form(location, a, b, preview="1")).get_data(
        as_text=True
    )
    assert "overgeslagen: Koningsdag" in page
    assert "maandag 27 april 2026" in page
    assert page.count("10:00–12:30") == 12
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Group)) == 0
    response = client.post("/groepen/nieuw", data=_form(location, a, b, save="1"))
    assert response.status_code == 302
    group = db.session.scalars(sa.select(Group)).one()
    assert len(group.sessions) == 12
    detail = client.get(response.location).get_data(as_text=True)
    assert "Maandaggroep" in detail and "maandag 20 april 2026" in detail


def test_conflicts_are_shown_before_saving(login_as, make_user, make_location, make_group):
    a, b, c = (make_user("facilitator") for _ in range(3))
    make_group(facilitators=(a, b), first_date=date(2026, 4, 20))
    client = login_as(a)
    page = client.post("/groepen/nieuw", data=_form(make_location(), a, c, save="1")).get_data(
        as_text=True
    )
    assert "leidt dan al groep" in page
    assert "Er zijn conflicten in de planning" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Group)) == 1
    response = client.post(
        "/groepen/nieuw", data=_form(make_location(), a, c, save="1", accept_conflicts="y")
    )
    assert response.status_code == 302


def test_bad_group_input_gets_dutch_messages(login_as, make_user, make_location):
    a, b = make_user("facilitator"), make_user("facilitator")
    location, other = make_location(), make_location()
    client = login_as(a)
    cases = [
        ({"first_date": "2026-02-30"}, "Vul een geldige datum in."),
        ({"start_time": "25:00"}, "Vul een geldige tijd in"),
        ({"start_time": "22:30"}, "loopt door tot na middernacht"),
        ({"facilitator_b_id": a.id}, "twee verschillende begeleiders"),
        ({"room_id": other.rooms[0].id}, "hoort niet bij de gekozen locatie"),
        ({"location_id": "abc"}, "Ongeldige keuze"),
        ({"name": "x" * 130}, "Hoogstens 120 tekens"),
        ({"facilitator_a_id": 99999}, "rol begeleider"),
    ]
    for changes, message in cases:
        response = client.post("/groepen/nieuw", data=_form(location, a, b, save="1", **changes))
        assert response.status_code == 200, changes
        assert message in response.get_data(as_text=True), changes
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Group)) == 0


def _participant(alias="Roos", **changes):
    data = {
        "alias": alias,
        "status": "active",
        "safe_channel": "phone",
        "intake_date": "2026-09-01",
    }
    data.update(changes)
    return data


def test_adding_a_13th_active_participant_offers_the_waiting_list(login_as, make_group):
    group = make_group(participants=12)
    client = login_as(group.facilitator_a)
    page = client.post(f"/groepen/{group.id}/deelnemers/nieuw", data=_participant("Nina")).get_data(
        as_text=True
    )
    assert "al 12 actieve deelnemers" in page and "wachtlijst" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 12
    response = client.post(
        f"/groepen/{group.id}/deelnemers/nieuw", data=_participant("Nina", status="waiting")
    )
    assert response.status_code == 302
    listing = client.get(f"/groepen/{group.id}/deelnemers").get_data(as_text=True)
    assert "Nina" in listing and "wachtlijst" in listing


def test_participant_bad_input_changes_nothing(login_as, make_group, make_user):
    group = make_group(participants=1)
    participant = group.participants[0]
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}/deelnemers/{participant.id}"
    for changes, message in [
        ({"alias": "a" * 61}, "Hoogstens 60 tekens"),
        ({"status": "dropped_out"}, "reden van uitval"),
        ({"case_worker_id": "99999"}, "Kies een hulpverlener uit de lijst"),
        ({"intake_date": "2026-13-01"}, "Vul een geldige datum in."),
        ({"status": "gone"}, "Kies een geldige status."),
        ({"age_band": "99"}, "Kies een waarde uit de lijst."),
    ]:
        data = _participant("Anders") | changes
        page = client.post(url, data=data).get_data(as_text=True)
        assert message in page, changes
    db.session.expire_all()
    assert db.session.get(Participant, participant.id).alias == participant.alias


def test_participant_page_is_audited_per_view(login_as, make_group):
    group = make_group(participants=1)
    participant = group.participants[0]
    client = login_as(group.facilitator_b)
    client.get(f"/groepen/{group.id}/deelnemers/{participant.id}")
    client.get(f"/groepen/{group.id}/deelnemers/{participant.id}")
    views = db.session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.action == "view", AuditEntry.participant_code == participant.code
        )
    ).all()
    assert len(views) == 2 and {v.actor_id for v in views} == {group.facilitator_b_id}


def test_participant_of_another_group_address_answers_404(login_as, make_group):
    group, other = make_group(participants=1), make_group(participants=1)
    client = login_as(group.facilitator_a)
    assert (
        client.get(f"/groepen/{group.id}/deelnemers/{other.participants[0].id}").status_code == 404
    )
    assert (
        client.get(f"/groepen/{other.id}/deelnemers/{other.participants[0].id}").status_code == 404
    )


def test_start_with_five_needs_coordinator_override(login_as, make_group, make_user):
    group = make_group(participants=5)
    client = login_as(group.facilitator_a)
    response = client.post(f"/groepen/{group.id}/starten", data={})
    assert response.status_code == 422
    assert "minstens 6 actieve deelnemers" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Group, group.id).status == "planned"
    client.post("/uitloggen", data={})
    client = login_as(make_user("coordinator"))
    client.post(
        f"/groepen/{group.id}/starten",
        data={"override_reason": "Start toch, zesde komt in week 2."},
    )
    db.session.expire_all()
    started = db.session.get(Group, group.id)
    assert started.status == "running" and "zesde komt" in started.start_override_reason
    assert "zesde komt in week 2" in client.get(f"/groepen/{group.id}").get_data(as_text=True)


def test_attendance_grid_saves_and_counts(login_as, make_group):
    group = make_group(participants=2)
    first, second = group.participants
    sessions = group.active_sessions
    client = login_as(group.facilitator_a)
    data = {f"a-{first.id}-{s.id}": "present" for s in sessions[:9]}
    data[f"a-{second.id}-{sessions[0].id}"] = "excused"
    response = client.post(f"/groepen/{group.id}/presentie", data=data)
    assert response.status_code == 302
    page = client.get(f"/groepen/{group.id}/presentie").get_data(as_text=True)
    assert page.count('value="present" selected') == 9
    assert page.count('value="excused" selected') == 1
    listing = client.get(f"/groepen/{group.id}/deelnemers").get_data(as_text=True)
    assert ">9</td>" in listing


def test_tampered_attendance_keys_change_nothing(login_as, make_group):
    group, other = make_group(participants=1), make_group(participants=1)
    client = login_as(group.facilitator_a)
    for key in (f"a-{other.participants[0].id}-{group.active_sessions[0].id}", "a-x-y", "a-1-2-3"):
        client.post(f"/groepen/{group.id}/presentie", data={key: "present"})
    page = client.get(f"/groepen/{group.id}/presentie").get_data(as_text=True)
    assert 'value="present" selected' not in page


def _fill(make_group, make_participant, make_user, groups, per_group):
    created = []
    for _ in range(groups):
        group = make_group(participants=per_group)
        created.append(group)
    return created


def test_query_counts_do_not_grow_with_data(app, login_as, make_user, make_group):
    coordinator = make_user("coordinator")
    client = login_as(coordinator)
    small = make_group(participants=1)
    counts_small = {}
    for url in (
        "/groepen",
        f"/groepen/{small.id}",
        f"/groepen/{small.id}/presentie",
        f"/groepen/{small.id}/deelnemers",
    ):
        with count_queries(db.engine) as n:
            assert client.get(url).status_code == 200
        counts_small[url] = n()
    big = make_group(participants=12)
    for _ in range(4):
        make_group(participants=6)
    # attendance on every meeting of the big group
    from veiligthuis.sessions import service as sessions_service

    marks = {(p.id, s.id): "present" for p in big.participants for s in big.active_sessions}
    sessions_service.record_attendance(db.session, coordinator, big, marks)
    db.session.commit()
    for url, small_count in counts_small.items():
        big_url = url.replace(f"/{small.id}", f"/{big.id}")
        with count_queries(db.engine) as n:
            assert client.get(big_url).status_code == 200
        assert n() == small_count, (url, small_count, n())


def test_list_pages_audit_each_participant_shown(login_as, make_group):
    group = make_group(participants=3)
    client = login_as(group.facilitator_a)
    client.get(f"/groepen/{group.id}/deelnemers")
    client.get(f"/groepen/{group.id}/presentie")
    rows = db.session.execute(
        sa.select(AuditEntry.action, AuditEntry.participant_code, AuditEntry.actor_id)
    ).all()
    codes = sorted(p.code for p in group.participants)
    assert sorted(code for action, code, _a in rows if action == "list") == codes
    assert sorted(code for action, code, _a in rows if action == "attendance_view") == codes
    assert {actor for *_rest, actor in rows} == {group.facilitator_a_id}
