"""Her due "no contact" signals are worked out once per day until anything changes, on her page
and on her dashboard; any committed change (a contact, a setting, a new client) shows at once."""

from tests.conftest import page_and_statements
from tests.support.conftest import running_first_date
from veiligthuis.extensions import db
from veiligthuis.settings import set_setting
from veiligthuis.support import service
from veiligthuis.support.models import SupportContact

LABEL = "geen individueel contact"


def _works_out_due(statements: list[str]) -> bool:
    # the due statement is the one that reads her latest stored "no contact" key
    return any("max(signals.dedupe_key)" in s for s in statements)


def test_her_page_works_out_the_due_signals_once_until_something_changes(
    support_setup, make_user, login_as
):
    worker = make_user("case_worker")
    support_setup(n=3, worker=worker, first_date=running_first_date(6))
    client = login_as(worker)
    page, first = page_and_statements(client, "/ondersteuning")  # stores the due signals
    assert page.count(LABEL) == 3 and _works_out_due(first)
    page, second = page_and_statements(client, "/ondersteuning")  # the stored ones changed the data
    assert page.count(LABEL) == 3 and _works_out_due(second)
    page, third = page_and_statements(client, "/ondersteuning")
    assert page.count(LABEL) == 3
    assert not _works_out_due(third)
    assert len(third) < len(second)
    # the dashboard counts from the same day's figures
    _dashboard, statements = page_and_statements(client, "/")
    assert not _works_out_due(statements)


def test_a_changed_setting_or_a_logged_contact_shows_at_once(support_setup, make_user, login_as):
    worker = make_user("case_worker")
    s = support_setup(n=2, worker=worker, first_date=running_first_date(6))
    set_setting(db.session, "no_contact_weeks", 52)
    db.session.commit()
    client = login_as(worker)
    for _ in range(2):  # worked out, then from the cache
        assert LABEL not in page_and_statements(client, "/ondersteuning")[0]
    # a contact with the first woman today, and the signal after 3 weeks: only the second is due
    db.session.add(
        SupportContact(
            participant_id=s.clients[0].id,
            case_worker_id=worker.id,
            contact_date=service.today_local(),
            kind="phone",
        )
    )
    set_setting(db.session, "no_contact_weeks", 3)
    db.session.commit()
    assert service.open_signal_count(db.session, worker) == 1
    page = page_and_statements(client, "/ondersteuning")[0]
    signals = page.split('id="signalen"')[1].split("</section>")[0]
    assert signals.count(LABEL) == 1
    assert s.clients[1].code in signals and s.clients[0].code not in signals


def test_another_day_is_worked_out_anew(support_setup, make_user):
    worker = make_user("case_worker")
    first = running_first_date(6)
    support_setup(n=1, worker=worker, first_date=first)
    # on the group's first day nothing is due; six weeks on, one signal
    assert service.open_signal_count(db.session, worker, first) == 0
    assert service.open_signal_count(db.session, worker, service.today_local()) == 1
    assert service.open_signal_count(db.session, worker, first) == 0
