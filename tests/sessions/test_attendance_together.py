"""Two facilitators fill in one grid at the same time (each on her own tablet, at the end of the
meeting): each saves the whole grid as her browser sends it, and neither wipes out the other's
marks. Where both changed the same cell, the mark saved first stays and the second is told."""

import logging
from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from tests.browser_form import form_fields
from tests.conftest import login
from veiligthuis.extensions import db
from veiligthuis.logs import LOGGER_NAME
from veiligthuis.sessions.attendance_table import group_marks
from veiligthuis.sessions.models import Attendance
from veiligthuis.sessions.schedule import today_local


def _grid_form(client, url) -> dict[str, str]:
    return form_fields(client.get(url).get_data(as_text=True), '<form method="post" novalidate>')


def _two_facilitators(app, make_group):
    group = make_group(participants=3, first_date=today_local() - timedelta(weeks=2))
    tablets = app.test_client(), app.test_client()
    login(tablets[0], group.facilitator_a)
    login(tablets[1], group.facilitator_b)
    return group, tablets


def _marks(group):
    db.session.expire_all()
    return {
        key: status
        for key, status in group_marks(group).items()
        if key[1] == group.active_sessions[0].id
    }


def test_two_facilitators_saving_the_grid_keep_each_others_marks(app, make_group):
    group, (first, second) = _two_facilitators(app, make_group)
    url = f"/groepen/{group.id}/presentie"
    meeting = group.active_sessions[0]
    one, two, three = (p.id for p in group.participants)
    # both open the grid before either saves
    hers, mine = _grid_form(first, url), _grid_form(second, url)
    hers[f"a-{one}-{meeting.id}"] = "present"
    hers[f"a-{two}-{meeting.id}"] = "excused"
    assert first.post(url, data=hers).status_code == 302
    # the second grid still shows both cells empty, and is sent that way with her own mark
    mine[f"a-{three}-{meeting.id}"] = "absent"
    response = second.post(url, data=mine, follow_redirects=True)
    assert response.status_code == 200
    assert "Presentie opgeslagen (1 wijziging)" in response.get_data(as_text=True)
    assert _marks(group) == {
        (one, meeting.id): "present",
        (two, meeting.id): "excused",
        (three, meeting.id): "absent",
    }


def test_the_same_cell_changed_by_both_keeps_the_first_and_says_so(app, make_group):
    group, (first, second) = _two_facilitators(app, make_group)
    url = f"/groepen/{group.id}/presentie"
    meeting = group.active_sessions[0]
    woman, other = group.participants[0], group.participants[1]
    hers, mine = _grid_form(first, url), _grid_form(second, url)
    hers[f"a-{woman.id}-{meeting.id}"] = "present"
    assert first.post(url, data=hers).status_code == 302
    mine[f"a-{woman.id}-{meeting.id}"] = "absent"
    mine[f"a-{other.id}-{meeting.id}"] = "present"
    page = second.post(url, data=mine, follow_redirects=True).get_data(as_text=True)
    assert "Presentie opgeslagen (1 wijziging)" in page
    warning = page.split("Intussen had een collega", 1)[1].split("</", 1)[0]
    assert f"{woman.alias} bij bijeenkomst {meeting.number} (A)" in warning
    assert "Uw keuze daar is niet opgeslagen" in warning
    # the grid she sees now shows what stands
    assert _grid_form(second, url)[f"a-{woman.id}-{meeting.id}"] == "present"
    assert _marks(group) == {(woman.id, meeting.id): "present", (other.id, meeting.id): "present"}


def test_a_cell_she_clears_is_cleared_and_one_she_left_alone_is_not(app, make_group):
    group, (first, second) = _two_facilitators(app, make_group)
    url = f"/groepen/{group.id}/presentie"
    meeting = group.active_sessions[0]
    one, two = group.participants[0].id, group.participants[1].id
    marked = _grid_form(first, url)
    marked[f"a-{one}-{meeting.id}"] = marked[f"a-{two}-{meeting.id}"] = "present"
    assert first.post(url, data=marked).status_code == 302
    # she opens the grid now (both marked) and clears one; her colleague marks the other absent
    mine, hers = _grid_form(second, url), _grid_form(first, url)
    hers[f"a-{two}-{meeting.id}"] = "absent"
    assert first.post(url, data=hers).status_code == 302
    mine[f"a-{one}-{meeting.id}"] = ""
    assert second.post(url, data=mine).status_code == 302
    assert _marks(group) == {(two, meeting.id): "absent"}


def test_a_mark_a_colleague_stored_in_the_same_instant_gives_a_page_that_says_so(
    app, make_group, caplog
):
    """Both fill in the same empty cell and save at the same moment: the colleague's row is
    stored between this request's reading of the grid and its writing."""
    group, (first, _second) = _two_facilitators(app, make_group)
    url = f"/groepen/{group.id}/presentie"
    woman, meeting = group.participants[0].id, group.active_sessions[0].id
    form = _grid_form(first, url)
    form[f"a-{woman}-{meeting}"] = "absent"
    stored = []

    def colleague_stores(session, _context, _instances):
        if stored or not any(isinstance(o, Attendance) for o in session.new):
            return
        stored.append(woman)
        with db.engine.begin() as connection:
            connection.execute(
                sa.insert(Attendance).values(
                    participant_id=woman, group_session_id=meeting, status="present"
                )
            )

    caplog.set_level(logging.WARNING, logger=LOGGER_NAME)
    sa.event.listen(so.Session, "before_flush", colleague_stores)
    try:
        response = first.post(url, data=form)
    finally:
        sa.event.remove(so.Session, "before_flush", colleague_stores)
    assert stored
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "intussen door iemand anders gewijzigd" in page and "niet opgeslagen" in page
    assert f'href="{url}"' in page
    assert _marks(group) == {(woman, meeting): "present"}
    # the log says what happened, by table, without a value of the row
    (line,) = [r for r in caplog.records if r.msg == "changed_meanwhile"]
    assert "IntegrityError" in line.error and "attendances" in line.error
    assert f"({meeting}, {woman})" not in line.error and "DETAIL" not in line.error
