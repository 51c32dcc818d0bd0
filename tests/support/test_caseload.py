"""Her page holds her current caseload; women whose groups ended long ago are in an archive by
year; each page costs the same number of queries however many years of clients she has."""

from datetime import date, timedelta

import sqlalchemy as sa

from tests.conftest import count_queries
from tests.support.conftest import running_first_date
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.models import utcnow
from veiligthuis.support import service
from veiligthuis.support.caseload import CLIENTS_PER_PAGE
from veiligthuis.support.models import Signal, SignalStatus


def _seen(action="support_list"):
    return {
        e.participant_code
        for e in db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action))
    }


def _count(client, url) -> int:
    with count_queries(db.engine) as n:
        response = client.get(url)
    assert response.status_code == 200, url
    return n()


def _years_ago(years: int) -> date:
    """A Monday about ``years`` years back, clear of the year's first and last weeks."""
    day = date(service.today_local().year - years, 3, 1)
    return day + timedelta(days=-day.weekday() % 7)


def test_women_of_groups_that_ended_long_ago_are_in_the_archive_of_their_year(
    support_setup, make_user, login_as
):
    worker = make_user("case_worker")
    # planned, so no "no contact" signal puts her at the top of the archive pages too
    soon = service.today_local() + timedelta(weeks=2)
    current = support_setup(n=1, worker=worker, first_date=soon, status="planned")
    old = support_setup(n=2, worker=worker, first_date=_years_ago(2), status="completed")
    older = support_setup(n=1, worker=worker, first_date=_years_ago(3), status="cancelled")
    colleague = support_setup(
        n=1, worker=make_user("case_worker"), first_date=_years_ago(2), status="completed"
    )
    client = login_as(worker)

    page = client.get("/ondersteuning").get_data(as_text=True)
    assert current.clients[0].code in page
    assert not any(p.code in page for p in old.clients + older.clients)
    assert 'href="/ondersteuning?archief=1"' in page
    assert _seen() == {current.clients[0].code}

    year = old.group.first_date.year
    page = client.get(f"/ondersteuning?jaar={year}").get_data(as_text=True)
    assert f"Archief {year}" in page
    assert all(p.code in page for p in old.clients)
    assert "Overdracht" in page  # her handover stays one click away
    assert current.clients[0].code not in page and older.clients[0].code not in page
    assert colleague.clients[0].code not in page
    # every woman shown is a look at her record
    assert _seen() == {current.clients[0].code} | {p.code for p in old.clients}
    assert colleague.clients[0].code not in _seen()

    # "Archief" opens the latest year and links every year that holds her clients
    page = client.get("/ondersteuning?archief=1").get_data(as_text=True)
    assert f"Archief {year}" in page and old.clients[0].code in page
    assert f'href="/ondersteuning?jaar={year}"' in page
    assert f'href="/ondersteuning?jaar={year - 1}"' in page  # the cancelled group's year
    page = client.get(f"/ondersteuning?jaar={year - 1}").get_data(as_text=True)
    assert older.clients[0].code in page and "geannuleerd" in page


def test_anonymised_women_leave_the_archive(support_setup, make_user, login_as):
    worker = make_user("case_worker")
    old = support_setup(n=2, worker=worker, first_date=_years_ago(3), status="completed")
    gone, kept = old.clients
    gone.alias, gone.anonymised_dt = "geanonimiseerd", utcnow()
    db.session.commit()
    year = old.group.first_date.year
    client = login_as(worker)
    page = client.get(f"/ondersteuning?jaar={year}").get_data(as_text=True)
    assert kept.code in page and gone.code not in page
    assert gone.code not in _seen()
    # no group runs or is planned anywhere: her current list is empty, not an error
    page = client.get("/ondersteuning").get_data(as_text=True)
    assert "U heeft geen cliënten in lopende of geplande groepen." in page


def test_a_year_without_clients_and_bad_input_show_the_page(support_setup, make_user, login_as):
    worker = make_user("case_worker")
    support_setup(n=1, worker=worker, first_date=running_first_date(3))
    client = login_as(worker)
    page = client.get("/ondersteuning?jaar=1999").get_data(as_text=True)
    assert "Geen cliënten in afgeronde groepen van 1999" in page
    assert "nog geen afgeronde groepen" in page  # she has no archive at all yet
    for url in ("/ondersteuning?jaar=x", "/ondersteuning?jaar=-3", "/ondersteuning?archief=1"):
        assert client.get(url).status_code == 200, url


def test_the_archive_is_paged_too(support_setup, make_user, login_as):
    worker = make_user("case_worker")
    first_date = _years_ago(2)
    groups = [
        support_setup(n=10, worker=worker, first_date=first_date, status="completed")
        for _ in range(3)
    ]
    clients = [p for s in groups for p in s.clients]
    year = first_date.year
    client = login_as(worker)
    page = client.get(f"/ondersteuning?jaar={year}").get_data(as_text=True)
    assert "Pagina 1 van 2" in page
    assert f'href="/ondersteuning?jaar={year}&amp;pagina=2"' in page
    assert sum(p.code in page for p in clients) == CLIENTS_PER_PAGE
    page = client.get(f"/ondersteuning?jaar={year}&pagina=2").get_data(as_text=True)
    assert sum(p.code in page for p in clients) == len(clients) - CLIENTS_PER_PAGE
    assert _seen() == {p.code for p in clients}


def test_a_page_past_the_last_shows_the_last(support_setup, make_user, login_as):
    worker = make_user("case_worker")
    setups = [
        support_setup(n=10, worker=worker, first_date=running_first_date(3)) for _ in range(3)
    ]
    last = [p for s in setups for p in s.clients][CLIENTS_PER_PAGE:]
    page = login_as(worker).get("/ondersteuning?pagina=99").get_data(as_text=True)
    assert "Pagina 2 van 2" in page
    assert all(p.code in page for p in last)
    assert _seen() == {p.code for p in last}


def test_her_page_counts_the_same_queries_with_ten_years_of_old_clients(
    support_setup, make_user, login_as
):
    worker = make_user("case_worker")
    current = support_setup(n=3, worker=worker, first_date=running_first_date(3))
    support_setup(n=2, worker=worker, first_date=_years_ago(2), status="completed")
    client = login_as(worker)
    client.get("/ondersteuning")  # stores the "no contact" signals due
    year = _years_ago(2).year
    few = {url: _count(client, url) for url in ("/ondersteuning", f"/ondersteuning?jaar={year}")}
    for years_ago in range(1, 8):
        for _ in range(2):
            support_setup(n=10, worker=worker, first_date=_years_ago(years_ago), status="completed")
    support_setup(n=8, worker=worker, first_date=running_first_date(4))
    client.get("/ondersteuning")
    many = {url: _count(client, url) for url in few}
    assert many == few
    page = client.get("/ondersteuning").get_data(as_text=True)
    assert all(p.code in page for p in current.clients)


def test_a_due_no_contact_signal_stored_before_a_later_one_is_not_opened_again(
    support_setup, make_user
):
    """Her latest "no contact" signal need not be the one due (a contact was corrected away):
    the page then looks the due one up instead of opening it twice."""
    worker = make_user("case_worker")
    s = support_setup(n=1, worker=worker, first_date=running_first_date(6))
    today = service.today_local()
    (due,) = service.refresh_her_no_contact(db.session, worker, today)
    db.session.add(
        Signal(
            participant_id=s.clients[0].id,
            kind="no_contact",
            dedupe_key=f"no_contact:{today.isoformat()}",
            detail="",
            status=SignalStatus.CLOSED,
            opened_dt=utcnow(),
        )
    )
    db.session.commit()
    assert service.refresh_her_no_contact(db.session, worker, today) == []
    keys = db.session.scalars(
        sa.select(Signal.dedupe_key).where(Signal.participant_id == s.clients[0].id)
    ).all()
    assert sorted(keys) == sorted([due.dedupe_key, f"no_contact:{today.isoformat()}"])


def test_the_archive_keeps_to_her_programmes(support_setup, make_user, login_as):
    from veiligthuis.programmes.models import Programme

    worker = make_user("case_worker")
    mine = support_setup(n=1, worker=worker, first_date=_years_ago(2), status="completed")
    theirs = support_setup(n=1, worker=worker, first_date=_years_ago(3), status="completed")
    men = Programme(name="Mannengroep", kind="men", session_count=10, session_minutes=120)
    db.session.add(men)
    db.session.flush()
    theirs.group.programme_id = men.id  # a programme she does not work in
    db.session.commit()
    year = mine.group.first_date.year
    client = login_as(worker)
    page = client.get("/ondersteuning?archief=1").get_data(as_text=True)
    assert mine.clients[0].code in page
    assert f"jaar={year - 1}" not in page
    page = client.get(f"/ondersteuning?jaar={year - 1}").get_data(as_text=True)
    assert theirs.clients[0].code not in page
    assert theirs.clients[0].code not in _seen()


def test_her_dashboard_counts_due_signals_in_the_same_queries_however_many_clients(
    support_setup, make_user, login_as
):
    worker = make_user("case_worker")
    support_setup(n=2, worker=worker, first_date=running_first_date(6))
    client = login_as(worker)
    few = _count(client, "/")
    for weeks in (5, 6, 7):
        support_setup(n=6, worker=worker, first_date=running_first_date(weeks))
    support_setup(n=10, worker=worker, first_date=_years_ago(2), status="completed")
    assert _count(client, "/") == few
    # none of the due "no contact" signals is stored yet: the dashboard counts them all
    assert service.open_signal_count(db.session, worker) == 20
    client.get("/ondersteuning")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signal)) == 20
    assert service.open_signal_count(db.session, worker) == 20
