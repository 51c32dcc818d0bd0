"""The forms on a group's page kept until anything changes: each viewer's forms carry her own
CSRF token, a coordinator's form is never a facilitator's, the meetings still to come follow
the clock, and a change is in the next view."""

import re
from datetime import UTC, timedelta

import time_machine

from tests.conftest import logged_in_side_by_side
from veiligthuis.extensions import db
from veiligthuis.groups.models import GroupStatus
from veiligthuis.sessions.schedule import today_local


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page))


def _name(page: str) -> str:
    return re.search(r'<input[^>]*name="name"[^>]*value="([^"]*)"', page).group(1)


def test_each_viewer_gets_her_own_token_in_the_kept_forms(strict_app, make_group, make_user):
    group = make_group(participants=2)
    first, second = logged_in_side_by_side(
        strict_app, make_user("coordinator"), make_user("coordinator")
    )
    url = f"/groepen/{group.id}"
    pages = [client.get(url).get_data(as_text=True) for client in (first, second)]
    theirs, hers = (_tokens(page) for page in pages)
    assert len(theirs) == len(hers) == 1 and theirs != hers
    assert all("\x00" not in page for page in pages)
    details = {"name": "Linde najaar", "public_title": "Vrouwengroep"}
    refused = second.post(f"{url}/gegevens", data={**details, "csrf_token": theirs.pop()})
    assert refused.status_code == 400
    saved = second.post(f"{url}/gegevens", data={**details, "csrf_token": hers.pop()})
    assert saved.status_code == 302
    assert _name(second.get(url).get_data(as_text=True)) == "Linde najaar"


def test_a_facilitator_never_gets_the_coordinators_start_form(strict_app, make_group, make_user):
    group = make_group(participants=2)  # too few to start without a reason
    boss, her = logged_in_side_by_side(strict_app, make_user("coordinator"), group.facilitator_a)
    url = f"/groepen/{group.id}"
    assert 'name="override_reason"' in boss.get(url).get_data(as_text=True)
    page = her.get(url).get_data(as_text=True)
    assert "Groep starten" in page and 'name="override_reason"' not in page


def test_the_meetings_still_to_come_follow_the_clock(login_as, make_group, make_user):
    group = make_group(participants=6, first_date=today_local() + timedelta(days=1))
    group.status = GroupStatus.RUNNING
    db.session.commit()
    last = group.active_sessions[-1]
    end = last.end_dt if last.end_dt.tzinfo else last.end_dt.replace(tzinfo=UTC)
    url = f"/groepen/{group.id}"
    with time_machine.travel(end - timedelta(minutes=10)):
        client = login_as(make_user("coordinator"))
        client.get(url)
        assert "nog 1 bijeenkomst gepland" in client.get(url).get_data(as_text=True)
    # nothing was written since: only the clock says that the last meeting is over
    with time_machine.travel(end + timedelta(minutes=1)):
        page = client.get(url).get_data(as_text=True)
    assert "Groep afsluiten" in page and "gepland.</strong>" not in page
