"""Calendar downloads, the personal feed and its secret address, access by role."""

from datetime import date, timedelta

import sqlalchemy as sa

from tests.calendars.conftest import parse_both, vevents
from tests.conftest import count_queries, login
from veiligthuis.auth.models import AuditEntry, User
from veiligthuis.extensions import db
from veiligthuis.sessions import service as sessions_service
from veiligthuis.sessions.schedule import today_local


def _soon(days: int = 7) -> date:
    """A first meeting date inside the personal feed's window, whatever today is."""
    return today_local() + timedelta(days=days)


def _check_calendar_response(response, filename):
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert f'filename="{filename}"' in response.headers["Content-Disposition"]


def test_group_calendar_for_staff(login_as, make_group):
    group = make_group()
    client = login_as(group.facilitator_b)
    response = client.get(f"/groepen/{group.id}/rooster.ics")
    _check_calendar_response(response, f"rooster-groep-{group.id}.ics")
    cal, vcal = parse_both(response.data)
    assert len(vevents(cal)) == 12 and len(vcal.vevent_list) == 12
    assert group.name in str(vevents(cal)[0]["SUMMARY"])


def test_participant_calendar_download_is_neutral(login_as, make_group):
    group = make_group(name="Interne naam Linde")
    client = login_as(group.facilitator_a)
    response = client.get(f"/groepen/{group.id}/deelnemersrooster.ics")
    _check_calendar_response(response, "agenda.ics")
    text = response.get_data(as_text=True)
    assert "Interne naam" not in text and group.facilitator_a.name not in text
    cal, _vcal = parse_both(response.data)
    assert {str(e["SUMMARY"]) for e in vevents(cal)} == {"Vrouwengroep"}
    assert {str(e["CLASS"]) for e in vevents(cal)} == {"PRIVATE"}


def test_calendars_by_role(app, make_group, make_user, make_participant):
    group = make_group()
    case_worker = make_user("case_worker")
    make_participant(group, case_worker=case_worker)
    substitute = make_user("facilitator")
    sessions_service.assign_substitute(
        db.session, group.facilitator_a, group.sessions[3], substitute, group.facilitator_a_id
    )
    db.session.commit()
    people = {
        "coordinator": (make_user("coordinator"), 200),
        "facilitator": (group.facilitator_a, 200),
        "substitute": (substitute, 200),
        "other facilitator": (make_user("facilitator"), 404),
        "case worker": (case_worker, 404),
        "editor": (make_user("editor"), 404),
    }
    for path in ("rooster.ics", "deelnemersrooster.ics"):
        url = f"/groepen/{group.id}/{path}"
        anonymous = app.test_client().get(url)
        assert anonymous.status_code == 302 and "/inloggen" in anonymous.location
        for role, (user, expected) in people.items():
            client = app.test_client()
            login(client, user)
            assert client.get(url).status_code == expected, (role, path)
        assert app.test_client().get(f"/groepen/999999/{path}").status_code == 302


def _token(user_id):
    db.session.expire_all()
    return db.session.get(User, user_id).feed_token


def test_feed_address_is_made_and_regenerated_on_the_agenda_page(app, login_as, make_group):
    group = make_group(first_date=_soon())
    her = group.facilitator_a
    client = login_as(her)
    page = client.get("/agenda").get_data(as_text=True)
    assert "Agenda-adres maken" in page
    assert _token(her.id) is None

    response = client.post("/agenda/vernieuwen")
    assert response.status_code == 302
    first = _token(her.id)
    assert first and len(first) >= 40
    page = client.get("/agenda").get_data(as_text=True)
    assert f"/agenda/{first}.ics" in page
    assert "Nieuw agenda-adres maken" in page

    anonymous = app.test_client()
    feed = anonymous.get(f"/agenda/{first}.ics")
    _check_calendar_response(feed, "agenda.ics")
    assert feed.headers["Content-Disposition"].startswith("inline")
    assert len(vevents(parse_both(feed.data)[0])) == 12

    client.post("/agenda/vernieuwen")
    second = _token(her.id)
    assert second != first
    gone = anonymous.get(f"/agenda/{first}.ics")
    assert gone.status_code == 404
    assert her.name not in gone.get_data(as_text=True)
    assert group.name not in gone.get_data(as_text=True)
    assert anonymous.get(f"/agenda/{second}.ics").status_code == 200
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.actor_id == her.id)
    ).all()
    assert actions.count("feed_token") == 2


def test_feed_without_login_shows_only_her_meetings(app, make_group, make_user):
    her = make_user("facilitator", name="Fatma")
    mine = make_group(facilitators=(her, make_user("facilitator")), first_date=_soon())
    theirs = make_group(first_date=_soon())
    db.session.get(User, her.id).feed_token = "x" * 43
    db.session.commit()
    response = app.test_client().get(f"/agenda/{'x' * 43}.ics")
    cal, vcal = parse_both(response.data)
    uids = {str(e["UID"]) for e in vevents(cal)}
    assert uids == {f"session-{gs.id}@{app.config['PUBLIC_HOST']}" for gs in mine.sessions}
    assert theirs.name not in response.get_data(as_text=True)
    assert len(vcal.vevent_list) == 12


def test_unknown_short_or_disabled_tokens_answer_404(app, make_user):
    her = make_user("facilitator")
    user = db.session.get(User, her.id)
    user.feed_token = "y" * 43
    db.session.commit()
    client = app.test_client()
    for token in ["z" * 43, "kort", "y" * 42, "y" * 44, "y" * 100, "%00", "..%2F..%2Fetc"]:
        assert client.get(f"/agenda/{token}.ics").status_code == 404, token
    assert client.get(f"/agenda/{'y' * 43}.ics").status_code == 200
    user.is_enabled = False
    db.session.commit()
    assert client.get(f"/agenda/{'y' * 43}.ics").status_code == 404


def test_agenda_page_lists_her_coming_meetings_and_needs_a_login(app, login_as, make_group):
    group = make_group(first_date=date(2030, 9, 2))
    response = app.test_client().get("/agenda")
    assert response.status_code == 302 and "/inloggen" in response.location
    assert app.test_client().post("/agenda/vernieuwen").status_code == 302
    page = login_as(group.facilitator_a).get("/agenda").get_data(as_text=True)
    assert page.count(group.name) == 12
    assert "Mijn agenda" in page


def test_feed_query_count_does_not_grow_with_her_groups(app, make_group, make_user):
    her = make_user("facilitator")
    user = db.session.get(User, her.id)
    user.feed_token = "q" * 43
    db.session.commit()
    make_group(facilitators=(her, make_user("facilitator")), first_date=_soon())
    client = app.test_client()
    url = f"/agenda/{'q' * 43}.ics"
    with count_queries(db.engine) as small:
        assert client.get(url).status_code == 200
    for day in (_soon(8), _soon(9), _soon(10)):
        group = make_group(facilitators=(make_user("facilitator"), her), first_date=day)
        sessions_service.assign_substitute(
            db.session, her, group.sessions[2], make_user("facilitator"), group.facilitator_a_id
        )
    db.session.commit()
    with count_queries(db.engine) as large:
        response = client.get(url)
    assert len(vevents(parse_both(response.data)[0])) == 48
    assert large() == small()


def test_group_calendar_query_count_does_not_grow(login_as, make_group, make_user, make_version):
    make_version()
    coordinator = make_user("coordinator")
    small = make_group()
    large = make_group(participants=8)

    def substitute(group, index):
        sessions_service.assign_substitute(
            db.session,
            coordinator,
            group.sessions[index],
            make_user("facilitator"),
            group.facilitator_a_id,
        )

    substitute(small, 1)
    for index in (1, 3, 5, 7):
        substitute(large, index)
    sessions_service.cancel_session(db.session, coordinator, large.sessions[9], "Ziekte")
    db.session.commit()
    client = login_as(coordinator)
    with count_queries(db.engine) as few:
        assert client.get(f"/groepen/{small.id}/rooster.ics").status_code == 200
    with count_queries(db.engine) as many:
        response = client.get(f"/groepen/{large.id}/rooster.ics")
    assert len(vevents(parse_both(response.data)[0])) == 13
    assert many() == few()
