"""The audit log per NEN 7513: who, which participant, what in Dutch, when, from where."""

import io
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tests.conftest import login
from veiligthuis.auth import audit_service
from veiligthuis.auth.guards import AuditLogIsAppendOnly
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.models import utcnow


def _entry(code="ABC123", actor=None, when=None, action="view"):
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        object_type="Participant",
        object_id=1,
        participant_code=code,
        created_dt=when or utcnow(),
    )
    db.session.add(entry)
    return entry


def test_a_look_records_where_it_came_from(client, make_group, make_participant):
    group = make_group()
    participant = make_participant(group)
    client.environ_base.update(REMOTE_ADDR="10.9.8.7", HTTP_USER_AGENT="Werkplek-12 Firefox")
    login(client, group.facilitator_a)
    assert client.get(f"/groepen/{group.id}/deelnemers/{participant.id}").status_code == 200
    entry = db.session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.participant_code == participant.code, AuditEntry.action == "view"
        )
    ).one()
    assert (entry.address, entry.user_agent) == ("10.9.8.7", "Werkplek-12 Firefox")
    assert entry.actor_id == group.facilitator_a.id


def test_every_woman_on_a_list_is_a_look_from_that_place(client, make_group, make_participant):
    group = make_group()
    women = [make_participant(group) for _ in range(3)]
    client.environ_base.update(REMOTE_ADDR="10.9.8.7", HTTP_USER_AGENT="Werkplek-12 Firefox")
    login(client, group.facilitator_a)
    before = utcnow()
    assert client.get(f"/groepen/{group.id}/deelnemers").status_code == 200
    entries = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "list", AuditEntry.created_dt >= before)
    ).all()
    assert sorted(e.participant_code for e in entries) == sorted(w.code for w in women)
    for entry in entries:
        assert (entry.address, entry.user_agent) == ("10.9.8.7", "Werkplek-12 Firefox")
        assert entry.actor_id == group.facilitator_a.id and entry.object_type == "Participant"
        assert before <= entry.created_dt <= utcnow()


def test_log_shows_dutch_labels_and_filters(client, make_user):
    boss, anna, bea = make_user("coordinator"), make_user(name="Anna"), make_user(name="Bea")
    _entry("AAA111", anna, utcnow() - timedelta(days=40), action="support_list")
    _entry("BBB222", bea, utcnow() - timedelta(days=2), action="start_group")
    db.session.commit()
    login(client, boss)
    page = client.get("/beheer/audit").get_data(as_text=True)
    assert "Cliëntenlijst individuele hulp bekeken" in page and "Groep gestart" in page
    assert "support_list" not in page and "start_group" not in page
    only_bea = client.get(f"/beheer/audit?medewerker={bea.id}").get_data(as_text=True)
    assert "BBB222" in only_bea and "AAA111" not in only_bea
    start = (utcnow() - timedelta(days=10)).date().isoformat()
    recent = client.get(f"/beheer/audit?van={start}").get_data(as_text=True)
    assert "BBB222" in recent and "AAA111" not in recent
    by_code = client.get("/beheer/audit?code=aaa111").get_data(as_text=True)
    assert "AAA111" in by_code and "BBB222" not in by_code
    bad = client.get("/beheer/audit?van=gisteren&medewerker=x")
    assert bad.status_code == 200 and "Vul een geldige datum in." in bad.get_data(as_text=True)


def test_log_pages_through_everything(client, make_user):
    boss = make_user("coordinator")
    db.session.execute(
        sa.insert(AuditEntry),
        [
            {"action": "view", "object_type": "Participant", "participant_code": f"C{n:05d}"}
            for n in range(audit_service.PAGE_SIZE + 5)
        ],
    )
    db.session.commit()
    login(client, boss)
    first = client.get("/beheer/audit").get_data(as_text=True)
    assert "Pagina 1 van 2" in first and "C00000" not in first
    second = client.get("/beheer/audit?pagina=2").get_data(as_text=True)
    assert "C00000" in second
    assert client.get("/beheer/audit?pagina=99999999999999999999").status_code == 200


def test_export_is_csv_and_audited(client, make_user):
    boss = make_user("coordinator")
    _entry("ABC123", boss).detail = '=HYPERLINK("http://x")'
    db.session.commit()
    login(client, boss)
    response = client.get("/beheer/audit.csv?code=ABC123")
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    assert "Dossier bekeken" in text and "ABC123" in text and "'=HYPERLINK" in text
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.action == "audit_export"))
        == 1
    )


def test_participant_overview_prints(client, make_user):
    boss = make_user("coordinator")
    _entry("XYZ789", boss)
    db.session.commit()
    login(client, boss)
    response = client.get("/beheer/audit/XYZ789/overzicht.pdf")
    assert response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "XYZ789" in text and "Dossier bekeken" in text and boss.name in text
    assert client.get("/beheer/audit/NIEMAND/overzicht.pdf").status_code == 404


@pytest.mark.parametrize("role", ["facilitator", "case_worker", "editor"])
def test_only_coordinators_read_the_log(client, make_user, role):
    login(client, make_user(role))
    for url in ["/beheer/audit", "/beheer/audit.csv", "/beheer/audit/ABC/overzicht.pdf"]:
        assert client.get(url).status_code == 403


def test_entries_cannot_be_changed_or_removed_through_the_orm(app_ctx, make_user):
    entry = _entry("ABC123", make_user())
    db.session.commit()
    entry.detail = "anders"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(sa.delete(AuditEntry))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(sa.update(AuditEntry).values(detail="x"))


def test_retention_purges_entries_past_the_nen_7513_term(runner, app_ctx, make_user):
    user = make_user()
    _entry("OLD001", user, datetime(2019, 1, 1, tzinfo=utcnow().tzinfo))
    _entry("NEW001", user, utcnow() - timedelta(days=365 * 4))
    db.session.commit()
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    codes = set(db.session.scalars(sa.select(AuditEntry.participant_code)))
    assert "OLD001" not in codes and "NEW001" in codes
    purge = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "audit_purge")
    ).one()
    assert "1 regels" in purge.detail
    run = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "retention")).one()
    assert run.actor_id is None and "0 deelnemer(s) geanonimiseerd" in run.detail


def test_settings_changes_are_audited_and_validated_in_settings(client, make_user):
    from veiligthuis.settings import DEFAULTS, parse_settings

    _parsed, errors = parse_settings({"completion_threshold": "13", "audit_retention_years": "2"})
    assert "completion_threshold" in errors and "audit_retention_years" in errors
    boss = make_user("coordinator")
    login(client, boss)
    form = {k: ("on" if v is True else str(v)) for k, (v, _l) in DEFAULTS.items() if v is not False}
    form["no_contact_weeks"] = "4"
    assert client.post("/beheer/instellingen", data=form).status_code == 302
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "setting")).one()
    assert entry.actor_id == boss.id and "no_contact_weeks: 3 -> 4" in entry.detail
