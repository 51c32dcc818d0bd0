"""The coordinator's programme page: only she manages programmes and who works in which."""

import sqlalchemy as sa

from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.programmes.models import Programme


def test_only_a_coordinator_manages_programmes(login_as, make_user):
    for role in ("facilitator", "case_worker", "editor", "volunteer"):
        client = login_as(make_user(role))
        assert client.get("/beheer/programmas").status_code == 403
        assert client.post("/beheer/programmas/nieuw", data={"name": "X"}).status_code == 403


def test_coordinator_adds_the_men_programme_with_its_staff(login_as, make_user):
    coordinator = make_user("coordinator")
    jan = make_user("facilitator", name="Jan")
    client = login_as(coordinator)
    response = client.post(
        "/beheer/programmas/nieuw",
        data={
            "name": "Mannengroep",
            "kind": "men",
            "session_count": "10",
            "session_minutes": "120",
            "min_participants": "5",
            "max_participants": "10",
            "members": [str(jan.id)],
        },
    )
    assert response.status_code == 302
    men = db.session.scalar(sa.select(Programme).where(Programme.name == "Mannengroep"))
    assert (men.kind, men.session_count, men.session_minutes) == ("men", 10, 120)
    assert [u.id for u in men.members] == [jan.id]
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"programme_save", "programme_members"} <= actions
    page = client.get("/beheer/programmas").get_data(as_text=True)
    assert "Mannengroep" in page and "10 × 120 minuten" in page


def test_a_bad_programme_keeps_what_was_typed(login_as, make_user):
    client = login_as(make_user("coordinator"))
    response = client.post(
        "/beheer/programmas/nieuw",
        data={
            "name": "Kindergroep",
            "kind": "children",
            "session_count": "8",
            "session_minutes": "90",
            "min_participants": "9",
            "max_participants": "4",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "niet groter dan het maximum" in body and 'value="Kindergroep"' in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Programme)) <= 1
