"""List pages run the same number of queries however much they list (ten years of data)."""

from datetime import timedelta

import sqlalchemy as sa
from flask_login import login_user

from tests.conftest import count_queries, login
from veiligthuis.auth.models import AuditEntry, User
from veiligthuis.extensions import db
from veiligthuis.models import utcnow
from veiligthuis.settings import get_setting
from veiligthuis.web import Around, load_group


def _count(client, url) -> int:
    with count_queries(db.engine) as n:
        response = client.get(url)
    assert response.status_code == 200, url
    return n()


def test_audit_log_query_count_is_flat(client, make_user):
    boss = make_user("coordinator")
    login(client, boss)

    def add(n):
        for i in range(n):
            db.session.add(
                AuditEntry(
                    actor_id=boss.id,
                    action="view",
                    object_type="Participant",
                    object_id=i,
                    participant_code=f"C{i:05d}",
                    created_dt=utcnow() - timedelta(minutes=i),
                )
            )
        db.session.commit()

    add(2)
    few = _count(client, "/beheer/audit")
    add(60)
    assert _count(client, "/beheer/audit") == few


def test_grid_and_results_do_not_load_case_workers(client, make_user, make_group, make_participant):
    """The attendance grid and results page count the same with or without case workers."""
    group = make_group()
    for _ in range(3):
        make_participant(group)
    other = make_group(facilitators=(group.facilitator_a, group.facilitator_b))
    for _ in range(3):
        make_participant(other, case_worker=make_user("case_worker"))
    login(client, group.facilitator_a)
    get_setting(db.session, "completion_threshold")  # the settings are kept from now on
    db.session.commit()
    for page in ("presentie", "evaluaties"):
        plain = _count(client, f"/groepen/{group.id}/{page}")
        assert _count(client, f"/groepen/{other.id}/{page}") == plain, page


def test_load_group_leaves_the_people_out_when_asked(app, make_user, make_group, make_participant):
    group = make_group()
    make_participant(group, case_worker=make_user("case_worker"))
    coordinator_id, group_id = make_user("coordinator").id, group.id
    # (around, her case worker loaded, the meetings' people and the group's facilitators loaded)
    for around, case_worker, everyone in (
        (Around.NOBODY, False, False),
        (Around.CASE_WORKERS, True, False),
        (Around.EVERYONE, True, True),
    ):
        db.session.expunge_all()
        with app.test_request_context():
            login_user(db.session.get(User, coordinator_id))
            light = load_group(group_id, around=around)
            woman, meeting = sa.inspect(light.participants[0]), sa.inspect(light.sessions[0])
            assert ("case_worker" not in woman.unloaded) is case_worker, around
            for name in ("facilitator_a", "facilitator_b", "substitute", "room"):
                assert (name not in meeting.unloaded) is everyone, (around, name)
            assert ("facilitator_a" not in sa.inspect(light).unloaded) is everyone, around


def test_group_page_names_every_substitute_in_the_same_queries(client, make_user, make_group):
    """A meeting's people come from the group, plus one read for all people it does not hold."""
    group = make_group()
    login(client, make_user("coordinator"))
    meetings = sorted(group.sessions, key=lambda s: s.number)
    plain = _count(client, f"/groepen/{group.id}")

    def substitute(meeting, name):
        meeting.substitute_id = make_user("facilitator", name=name).id
        meeting.substitute_for_id = group.facilitator_b_id
        db.session.commit()

    substitute(meetings[1], "Invalster Een")
    one = _count(client, f"/groepen/{group.id}")
    assert one <= plain + 1
    for number, name in ((3, "Invalster Twee"), (4, "Invalster Drie"), (6, "Invalster Vier")):
        substitute(meetings[number], name)
    # each count is of the first view after a change: the table of meetings is worked out
    url = f"/groepen/{group.id}"
    with count_queries(db.engine) as queries:
        page = client.get(url).get_data(as_text=True)
    for name in ("Een", "Twee", "Drie", "Vier"):
        assert f"Invalster {name} valt in voor {group.facilitator_b.name}" in page
    assert queries() == one


def test_dashboard_shows_each_groups_next_meeting_in_the_same_queries(
    client, make_user, make_group
):
    from veiligthuis.sessions.models import SessionStatus
    from veiligthuis.sessions.schedule import today_local

    login(client, make_user("coordinator"))
    group = make_group(first_date=today_local() - timedelta(weeks=3))
    group.status = "running"
    db.session.commit()
    now = utcnow()
    ahead = [gs for gs in group.active_sessions if gs.end_dt >= now]
    link = f"/groepen/{group.id}/bijeenkomsten/"
    page = client.get("/").get_data(as_text=True)
    assert f'{link}{ahead[0].number}"' in page
    ahead[0].status = SessionStatus.CANCELLED  # a cancelled meeting is not the next one
    db.session.commit()
    # the first view after a change works the table out; the next one is kept
    few, kept = _count(client, "/"), _count(client, "/")
    page = client.get("/").get_data(as_text=True)
    assert f'{link}{ahead[0].number}"' not in page and f'{link}{ahead[1].number}"' in page
    for _ in range(4):
        make_group()
    assert (_count(client, "/"), _count(client, "/")) == (few, kept)


def test_staff_list_runs_the_same_queries_for_three_or_twenty_staff(client, make_user):
    login(client, make_user("coordinator"))
    make_user("facilitator", "case_worker")
    few = _count(client, "/beheer/medewerkers")
    for i in range(17):
        make_user("facilitator" if i % 2 else "case_worker", "editor")
    assert _count(client, "/beheer/medewerkers") == few
