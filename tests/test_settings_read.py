"""Settings are read in one query and kept until anything changes: a change is seen at once,
in this transaction and by the next one on every app server."""

import contextlib

import sqlalchemy as sa
import sqlalchemy.orm as so

from tests.conftest import login
from veiligthuis.extensions import db
from veiligthuis.settings import get_setting, get_settings, set_setting


@contextlib.contextmanager
def _settings_reads():
    """Count the statements in the block that read the settings: ``with ... as n: ...; n()``."""
    seen: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield lambda: sum("FROM settings" in statement for statement in seen)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)


def test_settings_are_read_in_one_query_and_kept_until_anything_changes(app_ctx):
    set_setting(db.session, "no_contact_weeks", 4)
    db.session.commit()
    with _settings_reads() as reads:
        assert get_setting(db.session, "completion_threshold") == 9
        assert get_setting(db.session, "no_contact_weeks") == 4
        assert get_settings(db.session)["evaluation_days"] == 7
    assert reads() == 1
    db.session.commit()
    with _settings_reads() as reads:
        assert get_setting(db.session, "no_contact_weeks") == 4
    assert reads() == 0  # nothing changed: as kept
    db.session.commit()
    set_setting(db.session, "evaluation_days", 5)
    db.session.commit()
    with _settings_reads() as reads:
        assert get_setting(db.session, "evaluation_days") == 5
    assert reads() == 1


def test_a_setting_changed_in_this_transaction_reads_back_changed(app_ctx):
    assert get_setting(db.session, "completion_threshold") == 9
    set_setting(db.session, "completion_threshold", 10)
    assert get_setting(db.session, "completion_threshold") == 10
    # what a caller does with the dictionary it was given changes nothing stored
    get_settings(db.session)["completion_threshold"] = 1
    assert get_setting(db.session, "completion_threshold") == 10


def test_a_rolled_back_change_is_gone_from_what_is_read(app_ctx):
    assert get_setting(db.session, "no_contact_weeks") == 3
    with db.session.begin_nested() as savepoint:
        set_setting(db.session, "no_contact_weeks", 5)
        assert get_setting(db.session, "no_contact_weeks") == 5
        savepoint.rollback()
    assert get_setting(db.session, "no_contact_weeks") == 3
    set_setting(db.session, "no_contact_weeks", 6)
    db.session.rollback()
    assert get_setting(db.session, "no_contact_weeks") == 3


def test_a_change_committed_elsewhere_is_seen_by_the_next_transaction(app, app_ctx):
    set_setting(db.session, "no_contact_weeks", 4)
    db.session.commit()
    assert get_setting(db.session, "evaluation_days") == 7
    db.session.commit()
    # another app server (a session of its own) changes it and commits
    with so.Session(db.engine) as other:
        set_setting(other, "evaluation_days", 3)
        other.commit()
    assert get_setting(db.session, "evaluation_days") == 3


def test_a_coordinator_sees_her_new_threshold_on_the_next_page(client, make_user, make_group):
    group = make_group(participants=2)
    login(client, make_user("coordinator"))
    url = f"/groepen/{group.id}/deelnemers"
    assert "Deelnamebewijs vanaf 9 keer" in client.get(url).get_data(as_text=True)
    set_setting(db.session, "completion_threshold", 8)
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Deelnamebewijs vanaf 8 keer" in page and "vanaf 9 keer" not in page
