"""Issue 13: the Dutch on planning pages reads as written by a person."""

from datetime import date, timedelta

from veiligthuis.sessions.schedule import to_local


def test_attendance_flash_is_singular_for_one_change(login_as, make_group):
    group = make_group(first_date=date(2026, 9, 7), participants=1)
    participant, first = group.participants[0], group.active_sessions[0]
    client = login_as(group.facilitator_a)
    page = client.post(
        f"/groepen/{group.id}/presentie",
        data={f"a-{participant.id}-{first.id}": "present"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Presentie opgeslagen (1 wijziging)." in page
    assert "wijziging(en)" not in page


def test_cancel_flash_and_move_refusal_write_dates_as_the_pages_do(login_as, make_group):
    from veiligthuis.sessions.schedule import today_local

    group = make_group(first_date=today_local() + timedelta(weeks=1))
    client = login_as(group.facilitator_a)
    page = client.post(
        f"/groepen/{group.id}/bijeenkomsten/2/annuleren",
        data={"cancel-reason": "Ziek", "cancel-confirm": "y"},
        follow_redirects=True,
    ).get_data(as_text=True)
    from veiligthuis.extensions import db
    from veiligthuis.groups.models import Group

    db.session.expire_all()
    replacement = db.session.get(Group, group.id).active_sessions[-1]
    from veiligthuis.wording import day_nl

    assert f"vervangende bijeenkomst op {day_nl(to_local(replacement.start_dt).date())}" in page
    page = client.post(
        f"/groepen/{group.id}/bijeenkomsten/2/verplaatsen",
        data={"move-new_date": "2026-12-25", "move-new_time": "10:00", "move-scope": "one"},
    ).get_data(as_text=True)
    assert "Op vrijdag 25 december 2026 kan het niet" in page


def test_dashboard_counts_one_open_signal_in_the_singular(app_ctx):
    from veiligthuis.wording import plural

    assert plural(1, "open signaal", "open signalen") == "1 open signaal"
    assert plural(4, "open signaal", "open signalen") == "4 open signalen"
