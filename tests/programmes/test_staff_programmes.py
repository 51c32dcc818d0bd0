"""A new facilitator or case worker is given her programmes when her account is made; the
coordinator can change them later, and every change is in the audit log."""

import re

import sqlalchemy as sa

from veiligthuis.auth.models import AuditEntry, User
from veiligthuis.extensions import db
from veiligthuis.programmes.service import default_programme

PASSWORD = "een lange zin als wachtwoord"


def _new(client, **extra):
    data = {
        "name": "Karim Haddou",
        "email": "karim@example.org",
        "roles": ["facilitator", "case_worker"],
        "password": PASSWORD,
        "is_enabled": "y",
    }
    data.update(extra)
    return client.post("/beheer/medewerkers/nieuw", data=data)


def test_a_new_facilitator_works_in_the_programme_chosen(login_as, make_user, men):
    client = login_as(make_user("coordinator"))
    page = client.get("/beheer/medewerkers/nieuw").get_data(as_text=True)
    assert "Mannengroep" in page and 'name="programme_ids"' in page
    response = _new(client, programme_ids=[str(men.id)])
    assert response.status_code == 302
    user = db.session.scalars(sa.select(User).where(User.email == "karim@example.org")).one()
    assert [p.name for p in user.programmes] == ["Mannengroep"]
    entry = db.session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.action == "staff_programmes", AuditEntry.object_id == user.id
        )
    ).one()
    assert "Mannengroep" in entry.detail


def test_no_programme_ticked_is_refused_and_keeps_what_was_typed(login_as, make_user, men):
    response = _new(login_as(make_user("coordinator")))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Kies minstens één programma." in body and "Karim Haddou" in body
    assert db.session.scalar(sa.select(User).where(User.email == "karim@example.org")) is None


def test_her_programmes_can_be_changed_and_each_change_is_audited(login_as, make_user, men):
    coordinator = make_user("coordinator")
    worker = make_user("case_worker", name="Ilse Bakker")
    assert worker.programmes == [default_programme(db.session)]
    client = login_as(coordinator)
    page = client.get(f"/beheer/medewerkers/{worker.id}").get_data(as_text=True)
    women = default_programme(db.session)
    ticked = re.findall(r'<input checked[^>]*name="programme_ids"[^>]*value="(\d+)"', page)
    assert ticked == [str(women.id)]
    data = {"name": "Ilse Bakker", "roles": ["case_worker"], "is_enabled": "y"}
    response = client.post(
        f"/beheer/medewerkers/{worker.id}",
        data={**data, "programme_ids": [str(women.id), str(men.id)]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    worker = db.session.get(User, worker.id)
    assert sorted(p.name for p in worker.programmes) == sorted([women.name, "Mannengroep"])
    client.post(f"/beheer/medewerkers/{worker.id}", data={**data, "programme_ids": [str(men.id)]})
    # saving again unchanged writes no entry
    client.post(f"/beheer/medewerkers/{worker.id}", data={**data, "programme_ids": [str(men.id)]})
    details = list(
        db.session.scalars(
            sa.select(AuditEntry.detail)
            .where(AuditEntry.action == "staff_programmes", AuditEntry.object_id == worker.id)
            .order_by(AuditEntry.id)
        )
    )
    assert len(details) == 2
    assert details[1].endswith("-> Mannengroep")


def test_with_only_the_women_group_the_form_does_not_ask(login_as, make_user):
    client = login_as(make_user("coordinator"))
    assert 'name="programme_ids"' not in client.get("/beheer/medewerkers/nieuw").get_data(
        as_text=True
    )
    assert _new(client).status_code == 302
    user = db.session.scalars(sa.select(User).where(User.email == "karim@example.org")).one()
    assert user.programmes == [default_programme(db.session)]


def test_only_a_coordinator_changes_programmes(login_as, make_user, men):
    facilitator = make_user("facilitator")
    client = login_as(facilitator)
    response = client.post(
        f"/beheer/medewerkers/{facilitator.id}",
        data={"name": "x", "roles": ["facilitator"], "programme_ids": [str(men.id)]},
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert [p.name for p in db.session.get(User, facilitator.id).programmes] != ["Mannengroep"]
