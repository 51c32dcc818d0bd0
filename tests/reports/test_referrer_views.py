"""/rapportage/verwijzers: coordinators work through the method's referrer list."""

from datetime import date

import pytest

from tests.conftest import csrf_token_from
from tests.methodiek.factories import make_content, publish_content
from tests.reports.test_recruitment import REFERRERS
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.reports.models import ReferrerContact

URL = "/rapportage/verwijzers"


@pytest.fixture
def referrer_list(app_ctx):
    content = make_content()
    content.documents["werving/verwijzers.yaml"] = REFERRERS
    return publish_content(db.session, content=content)


def _tick(client, **fields):
    page = client.get(URL).get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "verwijzer": "huisarts", "maand": "2025-03"}
    return client.post(f"{URL}?jaar=2025", data=data | fields)


def test_only_coordinators_tick_referrers(login_as, make_user, referrer_list):
    for role in ("facilitator", "case_worker", "editor", "volunteer"):
        client = login_as(make_user(role))
        assert client.get(URL).status_code == 403, role
        assert client.post(URL, data={"verwijzer": "huisarts"}).status_code in (400, 403)
        client.post("/uitloggen")
    assert db.session.scalars(db.select(ReferrerContact)).all() == []


def test_a_coordinator_ticks_a_referrer_off_by_month(login_as, make_user, referrer_list):
    coordinator = make_user("coordinator")
    helper = make_user("facilitator")
    client = login_as(coordinator)
    page = client.get(URL).get_data(as_text=True)
    assert "Huisarts" in page and "Ziet veel vrouwen." in page and "GGZ" in page
    response = _tick(client, door=str(helper.id), organisatie="Praktijk De Linde")
    assert response.status_code == 302
    contact = db.session.scalars(db.select(ReferrerContact)).one()
    assert (contact.referrer_kind, contact.month) == ("huisarts", date(2025, 3, 1))
    assert contact.contacted_by_id == helper.id
    page = client.get(f"{URL}?jaar=2025").get_data(as_text=True)
    assert "maart 2025" in page and "Praktijk De Linde" in page and helper.name in page
    token = csrf_token_from(page)
    page = client.post(
        f"{URL}/{contact.id}/verwijderen", data={"csrf_token": token}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Vink aan dat u het vinkje wilt weghalen" in page
    assert db.session.scalars(db.select(ReferrerContact)).all() == [contact]
    assert (
        client.post(
            f"{URL}/{contact.id}/verwijderen", data={"csrf_token": token, "confirm": "y"}
        ).status_code
        == 302
    )
    assert db.session.scalars(db.select(ReferrerContact)).all() == []
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "referrer_contact_removed")
    ).one()
    assert (entry.actor_id, entry.detail) == (coordinator.id, "Huisarts, 2025-03")


def test_bad_input_is_a_message_and_keeps_what_was_typed(login_as, make_user, referrer_list):
    client = login_as(make_user("coordinator"))
    for fields, message in (
        ({"maand": "maart"}, "Vul de maand in als jjjj-mm"),
        ({"maand": "2099-01"}, "Die maand is nog niet begonnen."),
        ({"verwijzer": "politie"}, "Kies een verwijzer uit de lijst."),
        ({"organisatie": "x" * 500}, "te lang"),
    ):
        response = _tick(client, reactie="belt terug in mei", **fields)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, fields
        assert message in page and "belt terug in mei" in page
    assert db.session.scalars(db.select(ReferrerContact)).all() == []


def test_the_method_page_links_coordinators_to_the_ticking(login_as, make_user, referrer_list):
    path = f"/methodiek/{referrer_list.id}/documenten/werving/verwijzers.yaml"
    client = login_as(make_user("coordinator"))
    assert 'href="/rapportage/verwijzers"' in client.get(path).get_data(as_text=True)
    client.post("/uitloggen")
    client = login_as(make_user("facilitator"))
    page = client.get(path)
    assert page.status_code == 200 and "/rapportage/verwijzers" not in page.get_data(as_text=True)
