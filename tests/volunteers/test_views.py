"""A volunteer's limits on every route, and the coordinator's volunteer pages."""

import re
from datetime import date

import icalendar
import pytest
import sqlalchemy as sa

from tests.conftest import count_queries, login
from tests.partners.conftest import referral_data
from veiligthuis.extensions import db
from veiligthuis.partners import service as partners_service
from veiligthuis.partners.models import PartnerKind
from veiligthuis.sessions.schedule import today_local
from veiligthuis.volunteers import service
from veiligthuis.volunteers.models import Shift, Task


@pytest.fixture
def world(make_user, make_group, make_participant, make_volunteer, make_partner):
    """A group with participants and childcare, a volunteer with one shift, a referral."""
    coordinator = make_user("coordinator")
    case_worker = make_user("case_worker")
    group = make_group(participants=6, first_date=date(2030, 9, 2), name="Groep Linde")
    participant = make_participant(group, case_worker=case_worker, alias="Amira")
    service.set_childcare_need(db.session, coordinator, participant, {"2_3": 1, "4_7": 2})
    volunteer = make_volunteer(name="Vera Vrijwilliger")
    other = make_volunteer(name="Olga Anders")
    gs = group.active_sessions[0]
    shift, _ = service.schedule_shift(db.session, coordinator, volunteer, gs, Task.CHILDCARE)
    other_shift, _ = service.schedule_shift(
        db.session, coordinator, other, group.active_sessions[1], Task.WELCOME
    )
    partner, token = make_partner(name="Huisartsen Oost", kind=PartnerKind.GP)
    referral = partners_service.submit_referral(
        db.session,
        partners_service.find_address(db.session, token),
        referral_data(alias="Zahra"),
        today_local(),
    )
    db.session.commit()
    return {
        "coordinator": coordinator,
        "group": group,
        "participant": participant,
        "volunteer": volunteer,
        "other": other,
        "shift": shift,
        "other_shift": other_shift,
        "gs": gs,
        "partner": partner,
        "token": token,
        "referral": referral,
    }


def _values(name, world):
    known = {
        "group_id": world["group"].id,
        "participant_id": world["participant"].id,
        "number": 1,
        "user_id": world["volunteer"].user_id,
        "location_id": world["group"].location_id,
        "volunteer_id": world["volunteer"].id,
        "session_id": world["gs"].id,
        "shift_id": world["shift"].id,
        "partner_id": world["partner"].id,
        "referral_id": world["referral"].id,
        "token": world["token"],
    }
    return known.get(name, 1)


def _get_urls(app, world):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        values = {name: _values(name, world) for name in rule.arguments}
        try:
            yield rule.endpoint, rule.build(values, append_unknown=False)[1]
        except Exception:  # a converter that refuses our stand-in value
            continue


#: the pages a volunteer may open: her own, and what is public anyway
OWN_PAGES = {"groups.dashboard", "auth.account", "volunteers.mine", "sessions.feed_page"}


def test_a_volunteer_opens_only_her_own_pages_on_every_route(app, world):
    participant, group = world["participant"], world["group"]
    anonymous = app.test_client()
    client = app.test_client()
    login(client, world["volunteer"].user)
    opened, leaks = set(), []
    forbidden = [participant.alias, participant.code, "Zahra", group.name, "Olga", "0612345678"]
    forbidden += [p.alias for p in group.participants] + [p.code for p in group.participants]
    for endpoint, url in _get_urls(app, world):
        if endpoint in {"auth.logout", "evaluations.leave"}:  # these end her session
            continue
        response = client.get(url)
        if response.status_code != 200:
            # 410: a participant page whose form session has ended
            assert response.status_code in (302, 403, 404, 405, 410), (url, response.status_code)
            continue
        body = response.get_data(as_text=True)
        leaks += [(url, word) for word in forbidden if word in body]
        if anonymous.get(url).status_code != 200:
            opened.add(endpoint)
    assert leaks == []
    assert opened == OWN_PAGES
    # And what she does see is hers: her own childcare shift with the children's numbers.
    page = client.get("/mijn-diensten").get_data(as_text=True)
    assert "kinderopvang" in page and "3 kinderen: 1 × 2–3 jaar, 2 × 4–7 jaar" in page
    shifts_table = page.split('class="my-shifts"')[1].split("</table>")[0]
    assert shifts_table.count("<tr>") == 2  # the header and her one shift; not Olga's


def test_a_volunteer_posts_nothing_outside_her_own_pages(app, world):
    client = app.test_client()
    login(client, world["volunteer"].user)
    gs, referral = world["gs"], world["referral"]
    for url in (
        f"/vrijwilligers/bijeenkomsten/{gs.id}",
        f"/vrijwilligers/diensten/{world['other_shift'].id}/verwijderen",
        f"/aanmeldingen/{referral.id}/uitkomst",
        f"/groepen/{world['group'].id}/kinderopvang/{world['participant'].id}",
        f"/groepen/{world['group'].id}/presentie",
    ):
        assert client.post(url, data={"volunteer_id": "1"}).status_code in (403, 404), url
    assert db.session.scalar(sa.select(sa.func.count(Shift.id))) == 2


def test_her_dashboard_shows_her_next_shifts(app, world):
    client = app.test_client()
    login(client, world["volunteer"].user)
    html = client.get("/").get_data(as_text=True)
    assert "Uw volgende diensten" in html
    assert "kinderopvang" in html
    assert "Nieuwe aanmeldingen" not in html


def test_her_feed_is_shown_once_and_neutral(app, world):
    client = app.test_client()
    login(client, world["volunteer"].user)
    html = client.post("/mijn-diensten/agenda").get_data(as_text=True)
    url = re.search(r'value="(http[^"]+/diensten/[^"]+\.ics)"', html).group(1)
    path = url.split("5000", 1)[-1] if "5000" in url else "/" + url.split("/", 3)[3]
    response = app.test_client().get(path)
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["Kinderopvang"]
    assert "Groep Linde" not in response.get_data(as_text=True)
    assert path not in client.get("/mijn-diensten").get_data(as_text=True)
    client.post("/mijn-diensten/agenda")
    assert app.test_client().get(path).status_code == 404


def test_she_reports_her_own_unavailability(app, world):
    client = app.test_client()
    login(client, world["volunteer"].user)
    response = client.post(
        "/mijn-diensten/niet-beschikbaar",
        data={"leave-start_date": "2030-10-01", "leave-end_date": "2030-09-01"},
    )
    assert "De einddatum ligt voor de begindatum." in response.get_data(as_text=True)
    response = client.post(
        "/mijn-diensten/niet-beschikbaar",
        data={"leave-start_date": "2030-09-08", "leave-end_date": "2030-09-10"},
    )
    assert response.status_code == 302
    # The coordinator now hears of it before scheduling her on the 9th.
    coordinator = app.test_client()
    login(coordinator, world["coordinator"])
    gs = world["group"].active_sessions[1]
    response = coordinator.post(
        f"/vrijwilligers/bijeenkomsten/{gs.id}",
        data={"volunteer_id": str(world["volunteer"].id), "task": "childcare"},
    )
    assert response.status_code == 409
    assert "niet beschikbaar" in response.get_data(as_text=True)


def test_coordinator_schedules_with_conflicts_confirmed(app, world, make_group):
    client = app.test_client()
    login(client, world["coordinator"])
    other_group = make_group(first_date=date(2030, 9, 2), name="Groep Eik")
    clash = other_group.active_sessions[0]
    data = {"volunteer_id": str(world["volunteer"].id), "task": "welcome"}
    response = client.post(f"/vrijwilligers/bijeenkomsten/{clash.id}", data=data)
    assert response.status_code == 409
    assert "al ingepland" in response.get_data(as_text=True)
    # The date is written as on every staff page, not as 02-09-2030.
    assert "staat op maandag 2 september 2030 om" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Shift.id))) == 2
    response = client.post(
        f"/vrijwilligers/bijeenkomsten/{clash.id}", data=dict(data, accept_conflicts="y")
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Shift.id))) == 3
    for junk in ({"volunteer_id": "abc", "task": "x"}, {"volunteer_id": "99999999999999"}, {}):
        response = client.post(f"/vrijwilligers/bijeenkomsten/{clash.id}", data=junk)
        assert response.status_code == 422
        assert "Kies een" in response.get_data(as_text=True)


def test_the_overview_shows_children_and_flags_short_meetings(app, world):
    client = app.test_client()
    login(client, world["coordinator"])
    html = client.get("/vrijwilligers/rooster").get_data(as_text=True)
    rows = re.findall(r"<tr class=\"(short)?\">(.*?)</tr>", html, flags=re.S)
    assert len(rows) == 12
    first = rows[0]
    # 3 children, one volunteer per four: one needed, one scheduled.
    assert re.search(r"<td>3</td>\s*<td>1</td>\s*<td>1", first[1]) and first[0] == ""
    assert rows[1][0] == "short" and "te weinig opvang" in rows[1][1]
    meeting = client.get(f"/vrijwilligers/bijeenkomsten/{world['gs'].id}").get_data(as_text=True)
    assert "3 kinderen: 1 × 2–3 jaar, 2 × 4–7 jaar" in meeting


def test_coordinator_records_a_volunteer(app, make_user):
    coordinator = make_user("coordinator")
    new = make_user("volunteer", name="Nina Nieuw")
    client = app.test_client()
    login(client, coordinator)
    response = client.post(
        "/vrijwilligers",
        data={"user_id": str(new.id), "has_training": "y", "vog_seen_date": "31-02-2026"},
    )
    assert "Vul een geldige datum in." in response.get_data(as_text=True)
    response = client.post(
        "/vrijwilligers",
        data={
            "user_id": str(new.id),
            "has_training": "y",
            "vog_seen_date": "2026-08-01",
            "tasks": ["childcare", "transport"],
        },
    )
    assert response.status_code == 302
    volunteer = service.volunteer_of(db.session, new)
    assert volunteer.tasks == ["childcare", "transport"]
    assert volunteer.vog_seen_date == date(2026, 8, 1)


def test_group_editors_keep_childcare_needs_and_others_cannot(app, world, make_user):
    group, participant = world["group"], world["participant"]
    url = f"/groepen/{group.id}/kinderopvang/{participant.id}"
    facilitator = app.test_client()
    login(facilitator, group.facilitator_a)
    assert "Amira" in facilitator.get(f"/groepen/{group.id}/kinderopvang").get_data(as_text=True)
    response = facilitator.post(url, data={"children_0_1": "12"})
    assert "Vul een aantal in van 0 tot 9." in response.get_data(as_text=True)
    assert facilitator.post(url, data={"children_0_1": "2"}).status_code == 302
    assert service.childcare_needs(db.session, [participant.id]) == {participant.id: {"0_1": 2}}
    stranger = app.test_client()
    login(stranger, make_user("facilitator"))
    assert stranger.get(url).status_code == 404


def test_the_overview_runs_the_same_queries_for_one_group_or_three(app, world, make_group):
    client = app.test_client()
    login(client, world["coordinator"])

    def count():
        with count_queries(db.engine) as counted:
            assert client.get("/vrijwilligers/rooster").status_code == 200
            return counted()

    few = count()
    for _ in range(2):
        make_group(first_date=date(2030, 9, 3), participants=3)
    assert count() == few


JUNK = {
    "name": "x" * 5000,
    "kind": "<b>",
    "user_id": "99999999999999999999",
    "volunteer_id": "-1",
    "task": "\x00",
    "vog_seen_date": "2026-02-31",
    "tasks": ["<x>", "\x00"],
    "leave-start_date": "morgen",
    "leave-end_date": "\x00",
    "leave-reason": "\x00" * 50,
    "outcome-outcome": "lost",
    "outcome-attempts": "-5",
    "outcome-note": "\x00",
    "accept-group_id": "abc",
    "accept-status": "\x00",
    "children_0_1": "1e99",
    "contact": "\x00",
    "accept_conflicts": "y",
}


def test_our_post_routes_never_answer_500_to_junk_with_real_objects(app, world):
    prefixes = ("partners.", "volunteers.")
    # the ids, read once: a POST below may delete the shift the test's session still holds
    names = {n for rule in app.url_map.iter_rules() for n in rule.arguments}
    ids = {name: _values(name, world) for name in names}
    for user in (world["coordinator"], world["group"].facilitator_a, world["volunteer"].user):
        client = app.test_client()
        login(client, user)
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith(prefixes) or "POST" not in rule.methods:
                continue
            url = rule.build({n: ids[n] for n in rule.arguments})[1]
            for data in (JUNK, {}):
                response = client.post(url, data=data)
                assert response.status_code < 500, (user.roles, url, response.status_code)


def test_removing_a_shift_needs_the_tick_and_is_audited(app, world):
    from veiligthuis.auth.models import AuditEntry

    client = app.test_client()
    login(client, world["coordinator"])
    shift_id = world["shift"].id
    url = f"/vrijwilligers/diensten/{shift_id}/verwijderen"
    page = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Vink aan dat u de dienst wilt verwijderen" in page
    count = sa.select(sa.func.count(Shift.id)).where(Shift.id == shift_id)
    assert db.session.scalar(count) == 1
    assert client.post(url, data={"confirm": "y"}).status_code == 302
    assert db.session.scalar(count) == 0
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert actions.count("shift_removed") == 1
