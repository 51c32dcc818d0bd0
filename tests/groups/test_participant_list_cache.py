"""The table of a group's women kept until anything changes: every view is still audited, a
new mark counts at once, and each group (and each day, for the support column's dates) has a
table of its own."""

from datetime import timedelta

import time_machine

from tests.conftest import page_and_statements
from veiligthuis.extensions import db
from veiligthuis.sessions import service as sessions_service
from veiligthuis.sessions.schedule import today_local
from veiligthuis.support import service as support_service


def _reads_marks(statements: list[str]) -> bool:
    return any("FROM attendances" in s for s in statements)


def _audited(statements: list[str]) -> int:
    return sum(s.startswith("INSERT INTO audit_log") for s in statements)


def _row(page: str, code: str) -> str:
    return page.split(f"<td>{code}</td>")[1].split("</tr>")[0]


def _present(page: str, code: str) -> str:
    row = page.split(f"<td>{code}</td>")[1].split("</tr>")[0]
    return row.split('<td class="num">')[1].split("</td>")[0]


def test_a_second_view_reads_no_marks_is_audited_and_a_new_mark_counts_at_once(
    login_as, make_group, make_user
):
    group = make_group(participants=3, first_date=today_local() - timedelta(weeks=2))
    coordinator = make_user("coordinator")
    client = login_as(coordinator)
    url = f"/groepen/{group.id}/deelnemers"
    page, first = page_and_statements(client, url)
    assert _reads_marks(first) and _audited(first)
    page, second = page_and_statements(client, url)
    assert not _reads_marks(second)
    assert _audited(second)  # every look at the list is recorded, kept or not
    woman = group.participants[0]
    assert _present(page, woman.code) == "0"
    meeting = group.active_sessions[0]
    sessions_service.record_attendance(
        db.session, coordinator, group, {(woman.id, meeting.id): "present"}
    )
    db.session.commit()
    assert _present(client.get(url).get_data(as_text=True), woman.code) == "1"


def test_each_group_has_a_table_of_its_own(login_as, make_group, make_user):
    first, second = make_group(participants=2), make_group(participants=2)
    client = login_as(make_user("coordinator"))
    one = client.get(f"/groepen/{first.id}/deelnemers").get_data(as_text=True)
    two = client.get(f"/groepen/{second.id}/deelnemers").get_data(as_text=True)
    assert all(p.code in one and p.code not in two for p in first.participants)
    assert all(p.code in two and p.code not in one for p in second.participants)


def test_the_support_column_follows_the_day(
    app, monkeypatch, login_as, make_group, make_user, make_participant
):
    case_worker = make_user("case_worker")
    group = make_group()
    woman = make_participant(group, case_worker=case_worker)
    support_service.log_contact(
        db.session,
        case_worker,
        woman,
        contact_date=today_local(),
        kind="phone",
        minutes=20,
        note="",
    )
    db.session.commit()
    # one session through the thirty weeks: logging in again would be a change of its own
    monkeypatch.setitem(app.config, "STAFF_IDLE_MINUTES", 10**6)
    monkeypatch.setitem(app.config, "STAFF_SESSION_HOURS", 10**4)
    client = login_as(make_user("coordinator"))
    url = f"/groepen/{group.id}/deelnemers"
    today = client.get(url).get_data(as_text=True)
    with time_machine.travel(today_local() + timedelta(weeks=30)):
        later = client.get(url).get_data(as_text=True)
    # "active" today, "no recent contact" thirty weeks on, with nothing written between
    assert "actief" in _row(today, woman.code) and "geen recent contact" in _row(later, woman.code)
