"""Settings are read once per transaction, and never outlive it: a change is seen at once."""

import sqlalchemy as sa

from tests.conftest import count_queries, login
from veiligthuis.extensions import db
from veiligthuis.settings import Setting, get_setting, get_settings, set_setting


def test_a_transaction_reads_every_setting_in_one_query(app_ctx):
    with count_queries(db.engine) as queries:
        assert get_setting(db.session, "completion_threshold") == 9
        assert get_setting(db.session, "no_contact_weeks") == 3
        assert get_settings(db.session)["evaluation_days"] == 7
    assert queries() == 1


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
    assert get_setting(db.session, "evaluation_days") == 7
    db.session.commit()
    # another app server (its own connection) changes it and commits
    with db.engine.begin() as other:
        other.execute(sa.insert(Setting).values(key="evaluation_days", value=3))
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
