"""Document downloads: headers, access by role, audit, refusals and query counts."""

from datetime import date

import sqlalchemy as sa

from tests.conftest import count_queries, login
from tests.documents.conftest import pdf_pages, pdf_text
from tests.pdfcheck import assert_only_shipped_fonts
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.sessions import service as sessions_service


def _check_pdf_response(response, filename):
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    return pdf_pages(response.data)


def _audit(action):
    query = sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    return db.session.scalars(query).all()


def _complete(group, participant, present):
    marks = {(participant.id, gs.id): "present" for gs in group.active_sessions[:present]}
    sessions_service.record_attendance(db.session, group.facilitator_a, group, marks)
    db.session.commit()


def test_draaiboek_download(login_as, make_group, make_version):
    make_version()
    group = make_group(name="Linde najaar")
    response = login_as(group.facilitator_a).get(f"/groepen/{group.id}/draaiboek.pdf")
    pages = _check_pdf_response(response, f"draaiboek-{group.id}.pdf")
    assert "Draaiboek Linde najaar" in pages[0]
    assert "Inhoud" in pages[1]
    assert_only_shipped_fonts(response.data)


def test_session_sheet_download(login_as, make_group, make_version):
    make_version()
    group = make_group()
    client = login_as(group.facilitator_b)
    pages = _check_pdf_response(
        client.get(f"/groepen/{group.id}/bijeenkomsten/3/blad.pdf"), "bijeenkomst-3.pdf"
    )
    assert pages[0].startswith("Bijeenkomst 3: De golfbeweging")
    assert client.get(f"/groepen/{group.id}/bijeenkomsten/13/blad.pdf").status_code == 404


def test_attendance_list_codes_by_default_names_on_request_and_audited(
    login_as, make_group, make_participant
):
    group = make_group()
    women = [make_participant(group, alias=a) for a in ("Amira", "Bea", "Cora")]
    waiting = make_participant(group, alias="Wachtende", status="waiting")
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}/bijeenkomsten/2/presentielijst.pdf"
    for query in ("", "?weergave=code", "?weergave=onzin"):
        text = "\n".join(_check_pdf_response(client.get(url + query), "presentielijst-2.pdf"))
        assert all(w.code in text and w.alias not in text for w in women), query
        assert waiting.code not in text
    text = pdf_text(client.get(url + "?weergave=alias").data)
    assert all(w.alias in text and w.code not in text for w in women)
    assert "Wachtende" not in text
    assert {e.participant_code for e in _audit("attendance_list_alias")} == {w.code for w in women}
    assert len(_audit("attendance_list_code")) == 3 * len(women)


def test_certificate_for_a_woman_who_completed(login_as, make_group, make_participant):
    group = make_group(name="Interne groepsnaam")
    woman = make_participant(group, alias="Şule")
    _complete(group, woman, 9)
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}/deelnemers/{woman.id}/deelnamebewijs.pdf"
    text = _check_pdf_response(client.get(url), "deelnamebewijs.pdf")[0]
    assert "Vrouwengroep" in text and "Şule" not in text
    assert "Interne groepsnaam" not in text
    text = pdf_text(client.get(url + "?naam=ja").data)
    assert "Şule" in text
    entries = _audit("certificate_pdf")
    assert [(e.participant_code, e.detail) for e in entries] == [
        (woman.code, "zonder naam"),
        (woman.code, "met naam"),
    ]
    page = client.get(f"/groepen/{group.id}/deelnemers/{woman.id}").get_data(as_text=True)
    assert "deelnamebewijs.pdf?naam=ja" in page


def test_certificate_refused_with_a_dutch_message_before_completion(
    login_as, make_group, make_participant
):
    group = make_group()
    woman = make_participant(group, alias="Bea")
    _complete(group, woman, 8)
    client = login_as(group.facilitator_a)
    response = client.get(f"/groepen/{group.id}/deelnemers/{woman.id}/deelnamebewijs.pdf")
    assert response.status_code == 302
    assert response.location.endswith(f"/groepen/{group.id}/deelnemers/{woman.id}")
    page = client.get(response.location).get_data(as_text=True)
    assert "Nog geen deelnamebewijs: Bea was 8 keer aanwezig" in page
    assert "deelnamebewijs.pdf" not in page
    assert _audit("certificate_pdf") == []


def test_no_certificate_for_a_woman_who_dropped_out(login_as, make_group, make_participant):
    group = make_group()
    woman = make_participant(group, alias="Bea")
    _complete(group, woman, 9)  # enough meetings, and still she stopped
    woman.status, woman.dropout_reason = "dropped_out", "verhuisd"
    db.session.commit()
    client = login_as(group.facilitator_a)
    response = client.get(f"/groepen/{group.id}/deelnemers/{woman.id}/deelnamebewijs.pdf")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Geen deelnamebewijs: Bea is uitgevallen." in page
    assert "deelnamebewijs.pdf" not in page
    assert _audit("certificate_pdf") == []


def test_documents_by_role(app, make_group, make_user, make_participant):
    group = make_group()
    other = make_group()
    case_worker = make_user("case_worker")
    woman = make_participant(group, case_worker=case_worker)
    stranger = make_participant(other)
    _complete(group, woman, 12)
    people = {
        "coordinator": (make_user("coordinator"), 200),
        "facilitator": (group.facilitator_b, 200),
        "other facilitator": (other.facilitator_a, 404),
        "own case worker": (case_worker, 404),
        "editor": (make_user("editor"), 404),
    }
    urls = [
        f"/groepen/{group.id}/draaiboek.pdf",
        f"/groepen/{group.id}/bijeenkomsten/1/blad.pdf",
        f"/groepen/{group.id}/bijeenkomsten/1/presentielijst.pdf",
        f"/groepen/{group.id}/deelnemers/{woman.id}/deelnamebewijs.pdf",
    ]
    for url in urls:
        anonymous = app.test_client().get(url)
        assert anonymous.status_code == 302 and "/inloggen" in anonymous.location
    for role, (user, expected) in people.items():
        client = app.test_client()
        login(client, user)
        for url in urls:
            assert client.get(url).status_code == expected, (role, url)
    # a woman of another group, reached through this group's address
    client = app.test_client()
    login(client, group.facilitator_a)
    url = f"/groepen/{group.id}/deelnemers/{stranger.id}/deelnamebewijs.pdf"
    assert client.get(url).status_code == 404


def test_download_links_on_the_pages(login_as, make_group):
    group = make_group()
    client = login_as(group.facilitator_a)
    page = client.get(f"/groepen/{group.id}").get_data(as_text=True)
    for href in ("draaiboek.pdf", "rooster.ics", "deelnemersrooster.ics"):
        assert f"/groepen/{group.id}/{href}" in page
    page = client.get(f"/groepen/{group.id}/bijeenkomsten/4").get_data(as_text=True)
    assert f"/groepen/{group.id}/bijeenkomsten/4/blad.pdf" in page
    assert "presentielijst.pdf?weergave=code" in page
    assert "presentielijst.pdf?weergave=alias" in page
    assert 'href="/agenda"' in page


def test_draaiboek_query_count_does_not_grow_with_data(
    login_as, make_group, make_user, make_version, make_participant
):
    first = make_version("2026.1")
    coordinator = make_user("coordinator")
    small = make_group(first_date=date(2026, 9, 7))
    large = make_group(first_date=date(2026, 9, 8), participants=12)
    newer = make_version("2027.1")
    for gs in large.sessions[6:]:
        gs.methodiek_version_id = newer.id
    for gs in small.sessions:
        gs.methodiek_version_id = first.id
    sessions_service.assign_substitute(
        db.session, coordinator, small.sessions[1], make_user("facilitator"), small.facilitator_a_id
    )
    for index in (1, 4, 8):
        sessions_service.assign_substitute(
            db.session,
            coordinator,
            large.sessions[index],
            make_user("facilitator"),
            large.facilitator_b_id,
        )
    sessions_service.cancel_session(db.session, coordinator, large.sessions[10], "Ziekte")
    db.session.commit()
    client = login_as(coordinator)
    with count_queries(db.engine) as few:
        assert client.get(f"/groepen/{small.id}/draaiboek.pdf").status_code == 200
    with count_queries(db.engine) as many:
        response = client.get(f"/groepen/{large.id}/draaiboek.pdf")
    text = pdf_text(response.data)
    assert "2026.1" in text and "2027.1" in text
    assert many() == few()
