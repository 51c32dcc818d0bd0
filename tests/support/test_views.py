"""The case worker's pages, care signals from the meeting page and who may see what."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import count_queries, page_and_statements
from tests.support.conftest import local_day, mark, running_first_date
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.support import service
from veiligthuis.support.models import ReferralTarget, Signal, SupportContact

NOTE = "Zij vertelde over de ruzie van zaterdag GEHEIM-7Q"


def _log(s, participant, note=NOTE, day=None):
    day = day or service.today_local()
    service.log_contact(
        db.session,
        s.worker,
        participant,
        contact_date=day,
        kind="conversation",
        minutes=45,
        note=note,
        today=day,
    )
    db.session.commit()


def _audits(action, code=None):
    query = sa.select(AuditEntry).where(AuditEntry.action == action)
    if code:
        query = query.where(AuditEntry.participant_code == code)
    return db.session.scalars(query.order_by(AuditEntry.id)).all()


def _recent_first_date(weeks_ago=2):
    return service.today_local() - timedelta(weeks=weeks_ago)


# --- the case worker's page ----------------------------------------------------------------------


def test_index_lists_her_clients_with_attendance_contact_and_signals(support_setup, login_as):
    s = support_setup(n=2, first_date=_recent_first_date(2))
    her, other = s.clients
    mark(s.group, {(her, 1): "absent", (other, 1): "present"})
    _log(s, other)
    someone_else = support_setup(n=1, group=s.group)
    page = login_as(s.worker).get("/ondersteuning").get_data(as_text=True)
    assert her.alias in page and other.alias in page
    assert someone_else.clients[0].alias not in page
    assert "0800-2000" in page and "112" in page
    assert "afwezig zonder bericht" in page
    assert "geen contact vastgelegd" in page
    assert NOTE not in page  # notes only on the client page
    assert s.group.name in page


def test_index_is_for_case_workers_only(support_setup, make_user, login_as):
    support_setup(n=1)
    assert login_as(make_user("facilitator")).get("/ondersteuning").status_code == 403


def test_recently_completed_groups_stay_for_the_handover_old_ones_go(
    support_setup, make_user, login_as
):
    worker = make_user("case_worker")
    recent = support_setup(
        n=1, worker=worker, first_date=_recent_first_date(13), status="completed"
    )
    old = support_setup(n=1, worker=worker, first_date=_recent_first_date(40), status="completed")
    page = login_as(worker).get("/ondersteuning").get_data(as_text=True)
    assert recent.clients[0].alias in page
    assert "Overdracht" in page
    assert old.clients[0].alias not in page


def test_case_worker_a_cannot_see_case_worker_b_clients(support_setup, make_user, login_as):
    a = support_setup(n=1)
    b = support_setup(n=1, worker=make_user("case_worker"), group=a.group)
    theirs = b.clients[0]
    (signal,) = mark(a.group, {(theirs, 1): "absent"})
    client = login_as(a.worker)
    pid = theirs.id
    for url in (
        f"/ondersteuning/deelnemers/{pid}",
        f"/ondersteuning/deelnemers/{pid}/overdracht",
        f"/ondersteuning/deelnemers/{pid}/overdracht.pdf",
        "/ondersteuning/deelnemers/999999",
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (f"/ondersteuning/deelnemers/{pid}/contact", {"contact-kind": "phone"}),
        (f"/ondersteuning/deelnemers/{pid}/veiligheidsplan", {}),
        (f"/ondersteuning/deelnemers/{pid}/verwijzing", {}),
        (f"/ondersteuning/signalen/{signal.id}/gezien", {}),
        (f"/ondersteuning/signalen/{signal.id}/afsluiten", {}),
    ):
        assert client.post(url, data=data).status_code == 404, url
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SupportContact)) == 0
    db.session.refresh(signal)
    assert signal.status == "open"
    assert _audits("support_view", theirs.code) == []


def test_a_facilitator_never_reads_notes(support_setup, login_as):
    s = support_setup(n=1, first_date=running_first_date(3))
    (her,) = s.clients
    _log(s, her)
    gs = s.group.active_sessions[0]
    service.file_care_signal(
        db.session,
        s.facilitator,
        gs,
        her,
        care_date=local_day(gs),
        category="health",
        informed="",
        note="Zag bleek ZORG-NOTITIE-9",
        today=service.today_local(),
    )
    signal = db.session.scalars(sa.select(Signal)).one()
    service.close_signal(db.session, s.worker, signal, "Afgesloten SLUIT-NOTITIE-3")
    db.session.commit()
    client = login_as(s.facilitator)
    gid = s.group.id
    assert client.get(f"/ondersteuning/deelnemers/{her.id}").status_code == 404
    assert client.get(f"/ondersteuning/deelnemers/{her.id}/overdracht").status_code == 404
    pages = [
        "/",
        f"/groepen/{gid}",
        f"/groepen/{gid}/deelnemers",
        f"/groepen/{gid}/deelnemers/{her.id}",
        f"/groepen/{gid}/presentie",
        f"/groepen/{gid}/bijeenkomsten/1",
        f"/groepen/{gid}/bijeenkomsten/2",
    ]
    seen = ""
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        seen += response.get_data(as_text=True)
    for secret in ("GEHEIM-7Q", "SLUIT-NOTITIE-3", "ZORG-NOTITIE-9"):
        assert secret not in seen
    participants_page = client.get(f"/groepen/{gid}/deelnemers").get_data(as_text=True)
    today = service.today_local()
    assert f"actief, laatste contact {service.short_date(today, today)}" in participants_page
    # What she filed is listed back to her without the text: it reached the case worker.
    meeting = client.get(f"/groepen/{gid}/bijeenkomsten/1/beheren").get_data(as_text=True)
    assert "Doorgegeven bij deze bijeenkomst" in meeting and "afgesloten" in meeting


def test_a_coordinator_who_is_not_her_case_worker_gets_404(support_setup, make_user, login_as):
    s = support_setup(n=1)
    client = login_as(make_user("coordinator", "case_worker"))
    assert client.get(f"/ondersteuning/deelnemers/{s.clients[0].id}").status_code == 404


# --- the client page and its forms --------------------------------------------------------------


def test_client_page_shows_everything_and_audits_the_read(support_setup, login_as):
    s = support_setup(n=1, first_date=_recent_first_date(3))
    (her,) = s.clients
    _log(s, her)
    mark(s.group, {(her, 1): "excused", (her, 2): "absent"})
    client = login_as(s.worker)
    page = client.get(f"/ondersteuning/deelnemers/{her.id}").get_data(as_text=True)
    assert her.alias in page and her.code in page
    assert NOTE in page
    assert "twee keer of vaker achter elkaar afwezig" in page
    assert "afwezig met bericht" in page and "afwezig zonder bericht" in page
    assert "0800-2000" in page
    entries = _audits("support_view", her.code)
    assert len(entries) == 1 and entries[0].actor_id == s.worker.id
    client.get(f"/ondersteuning/deelnemers/{her.id}")
    assert len(_audits("support_view", her.code)) == 2
    client.get("/ondersteuning")
    assert len(_audits("support_list", her.code)) == 1
    client.get(f"/ondersteuning/deelnemers/{her.id}/overdracht")
    assert len(_audits("handover_view", her.code)) == 1


def test_log_a_contact_and_bad_input(support_setup, login_as):
    s = support_setup(n=1)
    (her,) = s.clients
    client = login_as(s.worker)
    url = f"/ondersteuning/deelnemers/{her.id}/contact"
    tomorrow = service.today_local() + timedelta(days=1)
    response = client.post(
        url,
        data={
            "contact-contact_date": tomorrow.isoformat(),
            "contact-kind": "phone",
            "contact-minutes": "20",
            "contact-note": "Mijn getypte notitie",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "De datum ligt in de toekomst." in page
    assert "Mijn getypte notitie" in page  # nothing typed is lost
    for data, message in (
        ({"contact-contact_date": "2026-02-30", "contact-kind": "phone"}, "geldige datum"),
        ({"contact-contact_date": "2026-10-01", "contact-minutes": "veel"}, "heel aantal"),
        ({"contact-contact_date": "2026-10-01", "contact-kind": "fax"}, "Ongeldige keuze."),
    ):
        response = client.post(url, data=data)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SupportContact)) == 0
    response = client.post(
        url,
        data={
            "contact-contact_date": service.today_local().isoformat(),
            "contact-kind": "home_visit",
            "contact-minutes": "60",
            "contact-note": "Huisbezoek, rustig.",
        },
    )
    assert response.status_code == 302
    contact = db.session.scalars(sa.select(SupportContact)).one()
    assert (contact.kind, contact.minutes, contact.note) == (
        "home_visit",
        60,
        "Huisbezoek, rustig.",
    )
    assert len(_audits("support_contact", her.code)) == 1


def test_acknowledge_and_close_a_signal(support_setup, login_as):
    s = support_setup(n=1)
    (her,) = s.clients
    (signal,) = mark(s.group, {(her, 1): "absent"})
    client = login_as(s.worker)
    response = client.post(f"/ondersteuning/signalen/{signal.id}/gezien", data={"back": "index"})
    assert response.status_code == 302 and response.location.endswith("/ondersteuning")
    db.session.refresh(signal)
    assert signal.status == "acknowledged"
    response = client.post(
        f"/ondersteuning/signalen/{signal.id}/afsluiten",
        data={f"close-{signal.id}-closing_note": ""},
    )
    assert response.status_code == 422
    assert "Schrijf kort wat er met het signaal is gedaan." in response.get_data(as_text=True)
    response = client.post(
        f"/ondersteuning/signalen/{signal.id}/afsluiten",
        data={f"close-{signal.id}-closing_note": "Gebeld: ze was ziek."},
    )
    assert response.status_code == 302
    db.session.refresh(signal)
    assert signal.status == "closed" and signal.closing_note == "Gebeld: ze was ziek."
    assert {e.action for e in db.session.scalars(sa.select(AuditEntry))} >= {
        "signal_acknowledge",
        "signal_close",
    }


def test_safety_plan_and_referral_forms(support_setup, make_user, login_as):
    s = support_setup(n=1)
    (her,) = s.clients
    service.add_default_referral_targets(db.session, None)
    db.session.commit()
    target = db.session.scalars(sa.select(ReferralTarget).order_by(ReferralTarget.name)).first()
    client = login_as(s.worker)
    base = f"/ondersteuning/deelnemers/{her.id}"
    today = service.today_local().isoformat()
    response = client.post(
        f"{base}/veiligheidsplan",
        data={"record-reviewed_date": today},
    )
    assert response.status_code == 422
    assert "vink eerst aan" in response.get_data(as_text=True)
    response = client.post(
        f"{base}/veiligheidsplan",
        data={"record-has_safety_plan": "y", "record-reviewed_date": today},
    )
    assert response.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert '<input checked id="record-has_safety_plan"' in page
    assert f'value="{service.today_local().isoformat()}"' in page
    response = client.post(
        f"{base}/verwijzing",
        data={"referral-referral_date": today, "referral-target_id": "0"},
    )
    assert response.status_code == 422
    assert "Kies een verwijsadres uit de lijst." in response.get_data(as_text=True)
    response = client.post(
        f"{base}/verwijzing",
        data={
            "referral-referral_date": today,
            "referral-target_id": str(target.id),
            "referral-note": "Samen gebeld.",
        },
    )
    assert response.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert target.name in page and "Samen gebeld." in page


def test_mail_preference(support_setup, login_as):
    s = support_setup(n=1)
    client = login_as(s.worker)
    assert not service.wants_signal_mail(db.session, s.worker)
    client.post("/ondersteuning/e-mail", data={"mail-wants_signal_mail": "y"})
    db.session.rollback()  # a transaction of its own, as the next page has
    assert service.wants_signal_mail(db.session, s.worker)
    client.post("/ondersteuning/e-mail", data={})
    db.session.rollback()
    assert not service.wants_signal_mail(db.session, s.worker)


def _mail_box_checked(page: str) -> bool:
    box = re.search(r'<input[^>]*name="mail-wants_signal_mail"[^>]*>', page).group(0)
    return "checked" in box


def test_her_page_shows_her_mail_preference_as_saved_on_every_view(support_setup, login_as):
    s = support_setup(n=1)
    client = login_as(s.worker)
    for wanted in (True, False, True):
        client.post("/ondersteuning/e-mail", data={"mail-wants_signal_mail": "y"} if wanted else {})
        for view in range(2):
            page, statements = page_and_statements(client, "/ondersteuning")
            assert _mail_box_checked(page) is wanted
            if view:  # kept: not read again
                assert not any("FROM support_mail_preferences" in s for s in statements)


# --- signals from the group pages ---------------------------------------------------------------


def test_attendance_grid_opens_signals_at_once_and_dashboard_counts_them(
    support_setup, login_as, app
):
    s = support_setup(n=1, first_date=_recent_first_date(2))
    (her,) = s.clients
    sessions = s.group.active_sessions
    client = login_as(s.facilitator)
    response = client.post(
        f"/groepen/{s.group.id}/presentie",
        data={
            f"a-{her.id}-{sessions[0].id}": "excused",
            f"a-{her.id}-{sessions[1].id}": "absent",
        },
    )
    assert response.status_code == 302
    kinds = sorted(db.session.scalars(sa.select(Signal.kind)).all())
    assert kinds == ["absence_without_notice", "consecutive_absence"]
    client.post("/uitloggen")
    client = login_as(s.worker)
    dashboard = client.get("/").get_data(as_text=True)
    assert "<strong>2</strong> open signalen" in dashboard


def test_file_a_care_signal_from_the_meeting_page(support_setup, login_as):
    s = support_setup(n=1)
    (her,) = s.clients
    gs = s.group.active_sessions[0]
    url = f"/groepen/{s.group.id}/bijeenkomsten/1/zorgsignaal"
    client = login_as(s.facilitator)
    page = client.get(f"/groepen/{s.group.id}/bijeenkomsten/1/beheren").get_data(as_text=True)
    assert "Zorgsignaal doorgeven" in page and her.alias in page
    response = client.post(
        url,
        data={
            "care-participant_id": str(her.id),
            "care-care_date": local_day(gs).isoformat(),
            "care-category": "",
            "care-informed": "collega",
            "care-note": "Mijn feitelijke omschrijving",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kies een categorie." in page and "Mijn feitelijke omschrijving" in page
    response = client.post(
        url,
        data={
            "care-participant_id": str(her.id),
            "care-care_date": local_day(gs).isoformat(),
            "care-category": "children",
            "care-informed": "collega",
            "care-note": "Mijn feitelijke omschrijving",
        },
    )
    assert response.status_code == 302
    signal = db.session.scalars(sa.select(Signal)).one()
    assert (signal.kind, signal.category, signal.filed_by_id) == (
        "care",
        "children",
        s.facilitator.id,
    )
    assert len(_audits("care_signal", her.code)) == 1
    follow = client.get(response.location).get_data(as_text=True)
    assert "doorgegeven aan haar hulpverlener" in follow


def test_only_the_group_editors_file_care_signals(support_setup, make_user, login_as):
    s = support_setup(n=1)
    url = f"/groepen/{s.group.id}/bijeenkomsten/1/zorgsignaal"
    data = {
        "care-participant_id": str(s.clients[0].id),
        "care-care_date": "2026-09-07",
        "care-category": "health",
        "care-note": "x",
    }
    assert login_as(s.worker).post(url, data=data).status_code == 404
    assert login_as(make_user("facilitator")).post(url, data=data).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signal)) == 0


def test_care_signal_for_a_woman_with_an_external_case_worker_says_whom_to_tell(
    support_setup, make_participant, login_as
):
    s = support_setup(n=0)
    her = make_participant(s.group)
    her.external_case_worker_name = "Anja"
    her.external_case_worker_org = "Wijkteam Oost"
    her.external_case_worker_contact = "06-12345678, ochtend"
    db.session.commit()
    client = login_as(s.facilitator)
    response = client.post(
        f"/groepen/{s.group.id}/bijeenkomsten/1/zorgsignaal",
        data={
            "care-participant_id": str(her.id),
            "care-care_date": "2026-09-07",
            "care-category": "health",
            "care-note": "Zag er ziek uit.",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Anja (Wijkteam Oost)" in page and "06-12345678, ochtend" in page


# --- query counts, handover PDF, referral list ----------------------------------------------------


def test_index_query_count_does_not_grow_with_her_clients(support_setup, make_user, login_as):
    def build(n_groups, per_group):
        worker = make_user("case_worker")
        for _ in range(n_groups):
            s = support_setup(n=per_group, worker=worker, first_date=_recent_first_date(4))
            marks = {(p, 1): "absent" for p in s.clients}
            marks.update({(p, 2): "excused" for p in s.clients})
            mark(s.group, marks)
            for p in s.clients[::2]:
                _log(s, p)
        return worker

    small, large = build(1, 2), build(3, 4)
    counts = []
    for worker in (small, large):
        client = login_as(worker)
        client.get("/ondersteuning")  # stores the "no contact" signals due
        with count_queries(db.engine) as n:
            response = client.get("/ondersteuning")
        assert response.status_code == 200
        counts.append(n())
        client.post("/uitloggen")
    assert counts[0] == counts[1], counts


def test_handover_pdf(support_setup, login_as):
    import io

    from pypdf import PdfReader

    from tests.pdfcheck import assert_only_shipped_fonts

    s = support_setup(n=1)
    (her,) = s.clients
    marks = {(her, n): "present" for n in range(1, 13)}
    marks[(her, 2)] = "absent"
    mark(s.group, marks)
    gs = s.group.active_sessions[3]
    service.file_care_signal(
        db.session,
        s.facilitator,
        gs,
        her,
        care_date=local_day(gs),
        category="children",
        informed="coördinator",
        note="Kinderen waren niet opgehaald.",
        today=service.today_local(),
    )
    s.group.status = "completed"
    db.session.commit()
    client = login_as(s.worker)
    page = client.get(f"/ondersteuning/deelnemers/{her.id}/overdracht").get_data(as_text=True)
    assert "Geen (antwoorden zijn anoniem)." in page
    response = client.get(f"/ondersteuning/deelnemers/{her.id}/overdracht.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"overdracht-{her.code}.pdf" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert her.alias in text and her.code in text
    assert "Aanwezig 11 van 12" in text
    assert "Deelnamebewijs: ja" in text
    assert "Kinderen waren niet opgehaald." in text
    assert "Geen (antwoorden zijn anoniem)." in text
    assert_only_shipped_fonts(response.data)
    assert len(_audits("handover_pdf", her.code)) == 1


def test_handover_states_consent_when_given(support_setup, login_as):
    s = support_setup(n=1)
    (her,) = s.clients
    service.save_record(
        db.session,
        s.worker,
        her,
        has_safety_plan=False,
        reviewed_date=None,
        is_evaluation_shared=True,
    )
    db.session.commit()
    page = login_as(s.worker).get(f"/ondersteuning/deelnemers/{her.id}/overdracht")
    text = page.get_data(as_text=True)
    assert "toestemming gegeven" in text and "Geen (antwoorden zijn anoniem)." not in text
    assert "tussenstand" in text


def test_coordinator_maintains_the_referral_list(make_user, login_as):
    client = login_as(make_user("coordinator"))
    assert client.post("/beheer/verwijzingen", data={"name": "Buurtteam Oost"}).status_code == 302
    response = client.post("/beheer/verwijzingen", data={"name": "buurtteam oost"})
    assert response.status_code == 422
    assert "staat al in de lijst" in response.get_data(as_text=True)
    target = db.session.scalars(sa.select(ReferralTarget)).one()
    client.post(f"/beheer/verwijzingen/{target.id}/aan-uit")
    db.session.refresh(target)
    assert target.is_active is False
    client.post("/beheer/verwijzingen/standaard")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReferralTarget)) == 1 + len(
        service.DEFAULT_REFERRAL_TARGETS
    )
    assert "Verwijsadressen" in client.get("/beheer").get_data(as_text=True)


@pytest.mark.parametrize("role", ["facilitator", "case_worker"])
def test_only_coordinators_maintain_the_referral_list(make_user, login_as, role):
    client = login_as(make_user(role))
    assert client.get("/beheer/verwijzingen").status_code == 403
    assert client.post("/beheer/verwijzingen", data={"name": "X"}).status_code == 403


def test_cli_refresh_signals(support_setup, runner):
    s = support_setup(n=1, first_date=running_first_date(4))
    result = runner.invoke(args=["support", "refresh-signals"])
    assert result.exit_code == 0, result.output
    assert "1 nieuw(e) signaal" in result.output
    assert db.session.scalars(sa.select(Signal.kind)).all() == ["no_contact"]
    result = runner.invoke(args=["support", "refresh-signals"])
    assert "0 nieuw(e) signaal" in result.output
    assert s.clients[0].id


def test_running_first_date_gives_a_group_that_runs_today(support_setup):
    """Guards the helper the date-dependent tests use."""
    s = support_setup(n=0, first_date=running_first_date(4))
    first = local_day(s.group.active_sessions[0])
    today = service.today_local()
    assert first <= today - timedelta(weeks=4)
    assert today < local_day(s.group.active_sessions[-1])


def test_the_meeting_page_audits_every_participant_it_lists(
    support_setup, login_as, make_participant
):
    s = support_setup(n=2)
    waiting = make_participant(s.group, status="waiting", alias="Wachtende")
    page = login_as(s.facilitator).get(f"/groepen/{s.group.id}/bijeenkomsten/1/beheren")
    html = page.get_data(as_text=True)
    assert all(p.alias in html for p in s.clients) and waiting.alias not in html
    entries = _audits("meeting_page")
    assert sorted((e.participant_code, e.actor_id) for e in entries) == sorted(
        (p.code, s.facilitator.id) for p in s.clients
    )


def _many_clients(support_setup, worker, n, first_date):
    """``n`` clients of ``worker`` in groups of ten (a group holds at most twelve)."""
    setups = [
        support_setup(n=min(10, n - done), worker=worker, first_date=first_date)
        for done in range(0, n, 10)
    ]
    return [p for s in setups for p in s.clients], setups[0]


def test_her_page_lists_her_clients_a_page_at_a_time_and_audits_only_those(
    support_setup, login_as, make_user
):
    from veiligthuis.support.caseload import CLIENTS_PER_PAGE

    worker = make_user("case_worker")
    first, _ = _many_clients(support_setup, worker, CLIENTS_PER_PAGE, _recent_first_date(1))
    second = support_setup(n=2, worker=worker, first_date=_recent_first_date(1) + timedelta(7))
    client = login_as(worker)
    page = client.get("/ondersteuning").get_data(as_text=True)
    assert all(p.code in page for p in first)
    assert not any(p.code in page for p in second.clients)
    assert "Pagina 1 van 2" in page
    assert {e.participant_code for e in _audits("support_list")} == {p.code for p in first}
    page = client.get("/ondersteuning?pagina=2").get_data(as_text=True)
    assert all(p.code in page for p in second.clients)
    assert not any(p.code in page for p in first)
    assert client.get("/ondersteuning?pagina=99").status_code == 200
    assert client.get("/ondersteuning?pagina=x").status_code == 200


def test_no_contact_due_for_a_client_on_a_later_page_opens_on_the_first(
    support_setup, login_as, make_user
):
    from veiligthuis.support.caseload import CLIENTS_PER_PAGE

    worker = make_user("case_worker")
    # a full first page of clients she spoke to today, then one she has not seen for weeks
    seen, setup = _many_clients(support_setup, worker, CLIENTS_PER_PAGE, running_first_date(5))
    for participant in seen:
        _log(setup, participant)
    late = support_setup(n=1, worker=worker, first_date=running_first_date(4))
    client = login_as(worker)
    page = client.get("/ondersteuning").get_data(as_text=True)
    kinds = db.session.scalars(
        sa.select(Signal.kind).where(Signal.participant_id == late.clients[0].id)
    ).all()
    assert kinds == ["no_contact"]
    assert late.clients[0].code in page  # in the signals at the top, whichever page
    assert "Pagina 1 van 2" in page
