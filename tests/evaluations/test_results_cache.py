"""A group's results page works out its answers and charts once per group and day until anything
in the database changes; a new answer, another group, another day or a viewer without rights
never gets what was kept."""

import gc
import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import time_machine

from tests.conftest import count_queries, page_and_statements
from tests.evaluations.conftest import pearlin_values
from veiligthuis.extensions import db


def _reads_answers(statements: list[str]) -> bool:
    return any("FROM evaluation_answers" in s for s in statements)


def _rounds_table(page: str) -> str:
    return page.split('<table class="rounds">')[1].split("</table>")[0]


def test_the_second_view_reads_no_answers_and_a_new_answer_shows_at_once(
    login_as, eval_group, open_round, answer
):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=5)
    for code in codes[:3]:
        answer(round_, code, {"veilig_in_groep": 4})
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}/evaluaties"
    first, statements = page_and_statements(client, url)
    assert _reads_answers(statements)
    second, statements = page_and_statements(client, url)
    assert not _reads_answers(statements)
    assert _rounds_table(second) == _rounds_table(first)
    # this fails as soon as the kept page outlives a change: one more answer must show
    assert '<td class="num">3</td>' in _rounds_table(second)
    answer(round_, codes[3], {"veilig_in_groep": 2})
    third, statements = page_and_statements(client, url)
    assert _reads_answers(statements)
    assert '<td class="num">4</td>' in _rounds_table(third)


def test_another_group_or_a_viewer_without_rights_gets_nothing_that_was_kept(
    login_as, eval_group, open_round, answer, make_user
):
    shown, other = eval_group(), eval_group()
    round_, codes = open_round(shown, "sessie", number=1, count=4)
    for code in codes[:3]:
        answer(round_, code, {"veilig_in_groep": 5})
    client = login_as(make_user("coordinator"))
    kept = page_and_statements(client, f"/groepen/{shown.id}/evaluaties")[0]
    assert "Er zijn nog geen evaluatierondes." not in kept
    page = page_and_statements(client, f"/groepen/{other.id}/evaluaties")[0]
    assert "Er zijn nog geen evaluatierondes." in page
    client.post("/uitloggen")
    # a facilitator of the other group: the kept results of the first are not hers to see
    stranger = login_as(other.facilitator_a)
    assert stranger.get(f"/groepen/{shown.id}/evaluaties").status_code == 404


def test_a_round_that_ended_overnight_shows_closed_after_midnight(login_as, eval_group, open_round):
    group = eval_group()
    round_, _codes = open_round(group, "sessie", number=1, count=3)
    zone = ZoneInfo("Europe/Amsterdam")
    url = f"/groepen/{group.id}/evaluaties"
    # ten to midnight on its last day, and a quarter past: one staff session, nothing changed
    with time_machine.travel(datetime.combine(round_.closes_date, time(23, 50), tzinfo=zone)):
        client = login_as(group.facilitator_a)
        assert "badge ok" in _rounds_table(page_and_statements(client, url)[0])
        assert "badge ok" in _rounds_table(
            page_and_statements(client, url)[0]
        )  # from what was kept
    after = datetime.combine(round_.closes_date + timedelta(days=1), time(0, 15), tzinfo=zone)
    with time_machine.travel(after):
        table = _rounds_table(page_and_statements(client, url)[0])
    assert "badge ok" not in table and "gesloten" in table


def test_working_the_page_out_takes_as_many_queries_for_a_large_group_as_for_a_small_one(
    login_as, make_user, eval_group, open_round, answer
):
    small, large = eval_group(), eval_group()
    round_, codes = open_round(small, "sessie", number=1, count=3)
    for code in codes:
        answer(round_, code, {"veilig_in_groep": 4})
    for number in range(1, 5):
        round_, codes = open_round(large, "sessie", number=number, count=4)
        for code in codes:
            answer(round_, code, {"veilig_in_groep": 3, "opmerking": "ok"})
    for kind in ("voor", "na"):
        round_, codes = open_round(large, kind, count=4)
        for code in codes:
            answer(round_, code, pearlin_values(2))
    client = login_as(make_user("coordinator"))
    counts = []
    for group in (small, large):
        client.get(f"/groepen/{group.id}/evaluaties")  # her session's first page stores a token
        # a change anywhere: the next view works the page out again (a token of its own each
        # time, or what another view kept under the same token would still answer)
        db.session.execute(
            sa.text("UPDATE data_version SET token = :token"), {"token": secrets.token_hex(16)}
        )
        db.session.commit()
        with count_queries(db.engine) as queries:
            page = page_and_statements(client, f"/groepen/{group.id}/evaluaties")
        assert _reads_answers(page[1])
        counts.append(queries())
    assert counts[0] == counts[1]


def test_the_page_takes_as_many_queries_whenever_the_garbage_collector_runs(
    login_as, make_user, eval_group, open_round, answer
):
    # The group is rendered in two kept parts; the session holds it only weakly, so a collection
    # between them used to have the second part load it and its meetings and women again.
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=3)
    for code in codes:
        answer(round_, code, {"veilig_in_groep": 4})
    client = login_as(make_user("coordinator"))
    url = f"/groepen/{group.id}/evaluaties"
    client.get(url)  # her session's first page stores a token

    def collect(*_args):
        gc.collect()

    counts = []
    for collecting in (False, True):
        db.session.execute(
            sa.text("UPDATE data_version SET token = :token"), {"token": secrets.token_hex(16)}
        )
        db.session.commit()
        if collecting:
            sa.event.listen(db.engine, "after_cursor_execute", collect)
        try:
            with count_queries(db.engine) as queries:
                page, statements = page_and_statements(client, url)
        finally:
            if collecting:
                sa.event.remove(db.engine, "after_cursor_execute", collect)
        assert _reads_answers(statements)
        assert sum(" FROM groups WHERE groups.id = " in s for s in statements) == 1
        counts.append(queries())
    assert counts[0] == counts[1]
