"""The calendar builders, read back with icalendar and with vobject (an independent parser)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurring_ical_events

from tests.calendars.conftest import parse_both, vevents
from veiligthuis.extensions import db
from veiligthuis.sessions import service as sessions_service
from veiligthuis.sessions.ical import group_to_ical, staff_feed_to_ical
from veiligthuis.settings import get_setting
from veiligthuis.wording import find_sensitive_words

HOST = "planner.example.org"
BASE = "https://planner.example.org"


def _staff(group):
    return group_to_ical(group, "staff", host=HOST, base_url=BASE)


SECRET = "test-secret"


def _participant(group, secret=SECRET):
    return group_to_ical(group, "participant", host=HOST, base_url=BASE, secret=secret)


def test_staff_calendar_has_twelve_meetings_with_room_people_and_link(
    make_group, make_user, make_version
):
    make_version()
    a = make_user("facilitator", name="Fatma Yılmaz")
    b = make_user("facilitator", name="Ingrid de Vries")
    group = make_group(facilitators=(a, b), name="Linde najaar", start=time(19, 0))
    data = _staff(group)
    cal, vcal = parse_both(data)

    assert str(cal["METHOD"]) == "PUBLISH"
    assert "veiligthuis" in str(cal["PRODID"])
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    events = vevents(cal)
    assert len(events) == 12
    for number, (event, gs) in enumerate(zip(events, group.sessions, strict=True), start=1):
        assert str(event["UID"]) == f"session-{gs.id}@{HOST}"
        assert str(event["SUMMARY"]).startswith(f"Linde najaar: bijeenkomst {number}")
        assert "Zaal 1" in str(event["LOCATION"])
        description = str(event["DESCRIPTION"])
        assert "Fatma Yılmaz" in description and "Ingrid de Vries" in description
        assert str(event["URL"]) == f"{BASE}/groepen/{group.id}/bijeenkomsten/{number}"
        assert f"{BASE}/groepen/{group.id}/bijeenkomsten/{number}" in description
        assert str(event["STATUS"]) == "CONFIRMED"
        assert event.decoded("DTSTART") == gs.start_dt
    assert "Kennismaking en groepsafspraken" in str(events[0]["SUMMARY"])

    # vobject reads the same twelve events, with the times resolved through our VTIMEZONE.
    assert len(vcal.vevent_list) == 12
    assert [e.dtstart.value.astimezone(UTC) for e in vcal.vevent_list] == [
        gs.start_dt for gs in group.sessions
    ]
    assert [e.uid.value for e in vcal.vevent_list] == [str(e["UID"]) for e in events]


def test_staff_calendar_names_the_substitute(make_group, make_user):
    group = make_group()
    substitute = make_user("facilitator", name="Saskia Invaller")
    gs = group.sessions[4]
    sessions_service.assign_substitute(
        db.session, group.facilitator_a, gs, substitute, group.facilitator_a_id
    )
    db.session.commit()
    events = vevents(parse_both(_staff(group))[0])
    description = str(events[4]["DESCRIPTION"])
    assert "Saskia Invaller" in description
    assert f"Invaller: Saskia Invaller voor {group.facilitator_a.name}" in description
    assert "Saskia Invaller" not in str(events[3]["DESCRIPTION"])


def test_times_stay_at_seven_in_the_evening_across_the_clock_change(make_group, make_location):
    # Tuesday 13 October 2026 19:00; summer time ends on Sunday 25 October.
    group = make_group(
        first_date=date(2026, 10, 13), start=time(19, 0), location=make_location(region="midden")
    )
    data = _staff(group)
    text = data.decode()
    assert "DTSTART;TZID=Europe/Amsterdam:20261013T190000" in text
    assert "DTSTART;TZID=Europe/Amsterdam:20261027T190000" in text
    assert "DTEND;TZID=Europe/Amsterdam:20261027T213000" in text
    cal, vcal = parse_both(data)

    first, second = vcal.vevent_list[0], vcal.vevent_list[1]
    assert first.dtstart.value.strftime("%Y-%m-%d %H:%M") == "2026-10-13 19:00"
    assert second.dtstart.value.strftime("%Y-%m-%d %H:%M") == "2026-10-27 19:00"
    # The independent parser turns the local times into UTC with the VTIMEZONE in the file.
    assert first.dtstart.value.astimezone(UTC) == datetime(2026, 10, 13, 17, 0, tzinfo=UTC)
    assert second.dtstart.value.astimezone(UTC) == datetime(2026, 10, 27, 18, 0, tzinfo=UTC)
    assert second.dtend.value - second.dtstart.value == timedelta(minutes=150)

    # recurring-ical-events finds exactly these two in the fortnight around the change.
    found = recurring_ical_events.of(cal).between(date(2026, 10, 12), date(2026, 10, 28))
    starts = sorted(e.decoded("DTSTART").astimezone(UTC) for e in found)
    assert starts == [
        datetime(2026, 10, 13, 17, 0, tzinfo=UTC),
        datetime(2026, 10, 27, 18, 0, tzinfo=UTC),
    ]


def test_a_moved_meeting_keeps_its_uid_and_raises_its_sequence(make_group):
    group = make_group(first_date=date(2026, 9, 7))
    before = {str(e["UID"]): e for e in vevents(parse_both(_staff(group))[0])}
    gs = group.sessions[2]
    sessions_service.move_session(
        db.session, group.facilitator_a, gs, date(2026, 9, 23), time(13, 30), scope="one"
    )
    db.session.commit()
    cal, vcal = parse_both(_staff(group))
    after = {str(e["UID"]): e for e in vevents(cal)}
    assert set(after) == set(before)
    uid = f"session-{gs.id}@{HOST}"
    assert int(after[uid]["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1
    assert after[uid].decoded("DTSTART").strftime("%Y-%m-%d %H:%M") == "2026-09-23 13:30"
    others = [u for u in after if u != uid]
    assert all(int(after[u]["SEQUENCE"]) == int(before[u]["SEQUENCE"]) for u in others)
    moved = next(e for e in vcal.vevent_list if e.uid.value == uid)
    assert int(moved.sequence.value) == int(before[uid]["SEQUENCE"]) + 1


def test_a_cancelled_meeting_stays_in_the_calendar_as_cancelled(make_group):
    group = make_group(first_date=date(2026, 9, 7))
    gs = group.sessions[5]
    uid = f"session-{gs.id}@{HOST}"
    sessions_service.cancel_session(db.session, group.facilitator_a, gs, "Ziekte")
    db.session.commit()
    for data in (_staff(group), _participant(group)):
        cal, vcal = parse_both(data)
        statuses = [str(e["STATUS"]) for e in vevents(cal)]
        assert len(statuses) == 13
        assert statuses.count("CANCELLED") == 1
        assert [e.status.value for e in vcal.vevent_list].count("CANCELLED") == 1
    cancelled = next(e for e in vevents(parse_both(_staff(group))[0]) if str(e["UID"]) == uid)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 1
    assert "Ziekte" in str(cancelled["DESCRIPTION"])


SENSITIVE_GROUP_NAME = "AMW geweldgroep Linde"


def _revealing_group(make_group, make_user, make_location):
    a = make_user("facilitator", name="Fatima Amrani")
    b = make_user("facilitator", name="Ingrid Bakker")
    location = make_location(name="Veilig Thuis-huis De Linde", rooms=("Spreekkamer Noord",))
    group = make_group(facilitators=(a, b), location=location, name=SENSITIVE_GROUP_NAME)
    location.address = "Lindelaan 4, 3511 AB Utrecht"
    substitute = make_user("facilitator", name="Saskia Invaller")
    sessions_service.assign_substitute(db.session, a, group.sessions[1], substitute, a.id)
    sessions_service.cancel_session(db.session, a, group.sessions[3], "Ziekte van Fatima Amrani")
    db.session.commit()
    return group


def test_participant_calendar_gives_nothing_away(make_group, make_user, make_location):
    group = _revealing_group(make_group, make_user, make_location)
    data = _participant(group)
    text = data.decode()
    unfolded = text.replace("\r\n ", "")
    assert find_sensitive_words(unfolded) == []
    organisation = get_setting(db.session, "organisation_name")
    for secret in [
        SENSITIVE_GROUP_NAME,
        "Fatima",
        "Amrani",
        "Ingrid",
        "Bakker",
        "Saskia",
        "Veilig Thuis",
        "Linde",
        "Spreekkamer",
        organisation,
        HOST,
        BASE,
        "veiligthuis",
        "Ziekte",
        "/groepen/",
    ]:
        assert secret.lower() not in unfolded.lower(), secret

    cal, vcal = parse_both(data)
    assert str(cal["X-WR-CALNAME"]) == "Vrouwengroep"
    events = vevents(cal)
    assert len(events) == 13
    for event in events:
        assert str(event["SUMMARY"]) == "Vrouwengroep"
        assert str(event["CLASS"]) == "PRIVATE"
        for absent in ("DESCRIPTION", "LOCATION", "URL", "ORGANIZER", "ATTENDEE", "CONTACT"):
            assert absent not in event, absent
    assert {e.contents["class"][0].value for e in vcal.vevent_list} == {"PRIVATE"}
    assert all("description" not in e.contents for e in vcal.vevent_list)
    # Stable: the same meeting has the same UID in the next download.
    assert [str(e["UID"]) for e in events] == [
        str(e["UID"]) for e in vevents(parse_both(_participant(group))[0])
    ]


def test_participant_calendar_gives_the_address_only_once_released(make_group, make_location):
    location = make_location(name="Buurthuis De Linde")
    location.address = "Lindelaan 4, 3511 AB Utrecht"
    group = make_group(location=location)
    assert all("LOCATION" not in e for e in vevents(parse_both(_participant(group))[0]))
    group.is_venue_released = True
    db.session.commit()
    cal, vcal = parse_both(_participant(group))
    assert {str(e["LOCATION"]) for e in vevents(cal)} == {"Lindelaan 4, 3511 AB Utrecht"}
    assert {e.location.value for e in vcal.vevent_list} == {"Lindelaan 4, 3511 AB Utrecht"}
    assert "Buurthuis" not in _participant(group).decode()


def test_staff_feed_has_exactly_the_meetings_she_leads(make_group, make_user):
    her = make_user("facilitator", name="Fatma")
    colleague = make_user("facilitator")
    own = make_group(facilitators=(her, colleague), first_date=date(2026, 9, 7))
    second = make_group(facilitators=(colleague, her), first_date=date(2026, 9, 8))
    other = make_group(first_date=date(2026, 9, 9))
    unrelated = make_group(first_date=date(2026, 9, 10))
    replacement = make_user("facilitator")
    # She is replaced in her own group's meeting 2 and substitutes in meeting 5 of another.
    sessions_service.assign_substitute(db.session, her, own.sessions[1], replacement, her.id)
    sessions_service.assign_substitute(
        db.session, other.facilitator_a, other.sessions[4], her, other.facilitator_b_id
    )
    db.session.commit()

    sessions = sessions_service.sessions_led_by(db.session, her)
    data = staff_feed_to_ical(her, sessions, host=HOST, base_url=BASE)
    cal, vcal = parse_both(data)
    uids = {str(e["UID"]) for e in vevents(cal)}
    expected = (
        {f"session-{gs.id}@{HOST}" for gs in own.sessions if gs is not own.sessions[1]}
        | {f"session-{gs.id}@{HOST}" for gs in second.sessions}
        | {f"session-{other.sessions[4].id}@{HOST}"}
    )
    assert uids == expected
    assert len(vcal.vevent_list) == 11 + 12 + 1
    assert all(
        f"session-{gs.id}@{HOST}" not in uids for gs in unrelated.sessions + other.sessions[:4]
    )
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in data.decode()
    assert "X-PUBLISHED-TTL:PT1H" in data.decode()


def test_staff_feed_builder_leaves_out_meetings_it_is_given_by_mistake(make_group, make_user):
    her = make_user("facilitator")
    group = make_group()
    data = staff_feed_to_ical(her, group.sessions, host=HOST, base_url=BASE)
    assert vevents(parse_both(data)[0]) == []


def test_unknown_audience_or_missing_secret_is_refused(make_group):
    group = make_group()
    with pytest.raises(ValueError):
        group_to_ical(group, "public", host=HOST, base_url=BASE)
    with pytest.raises(ValueError):
        group_to_ical(group, "participant", host=HOST, base_url=BASE)


def test_participant_uids_depend_on_the_server_secret(make_group):
    group = make_group()
    ours = {str(e["UID"]) for e in vevents(parse_both(_participant(group))[0])}
    guessed = {str(e["UID"]) for e in vevents(parse_both(_participant(group, "guess"))[0])}
    assert len(ours) == 12 and not ours & guessed
