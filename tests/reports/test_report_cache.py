"""The report is built once per filter until anything changes: never a stale figure."""

from datetime import date

import sqlalchemy as sa

from tests.conftest import count_queries, login
from tests.reports.test_service import issue_example  # noqa: F401  (fixture)
from veiligthuis import create_app
from veiligthuis.extensions import db
from veiligthuis.groups.models import Location, Participant

URL = "/rapportage?jaar_van=2026&jaar_tot=2026&vergelijk=locatie"


def _view(client, url=URL) -> tuple[str, int]:
    with count_queries(db.engine) as n:
        response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True), n()


def test_the_same_report_again_comes_from_the_cache(
    client,
    make_user,
    make_group,
    issue_example,  # noqa: F811
):
    login(client, make_user("coordinator"))
    page, built = _view(client)
    again, cached = _view(client)
    assert again == page
    assert cached < built - 10
    # looking at participant records (audited) and other pages changes nothing in the report
    group = make_group(participants=2)
    db.session.commit()
    _view(client)
    assert client.get(f"/groepen/{group.id}/deelnemers").status_code == 200
    assert client.get("/groepen").status_code == 200
    assert _view(client)[1] == cached
    # another filter is another report
    assert (
        "Groepen in dit verslag (0)" in _view(client, "/rapportage?jaar_van=2025&jaar_tot=2025")[0]
    )


def test_any_change_shows_at_once(client, make_user, make_group, make_location, issue_example):  # noqa: F811
    login(client, make_user("coordinator"))
    assert "Oosterpark, gestart" not in _view(client)[0]
    make_group(location=make_location("Oosterpark"), first_date=date(2026, 10, 5), participants=1)
    assert "Oosterpark, gestart oktober 2026" in _view(client)[0]
    # a bulk statement, with no object in the session to notice
    db.session.execute(
        sa.update(Location).where(Location.name == "Oosterpark").values(name="Westerpark")
    )
    db.session.commit()
    page = _view(client)[0]
    assert "Westerpark, gestart oktober 2026" in page and "Oosterpark" not in page


def test_a_change_on_another_app_server_shows_at_once(
    app,
    client,
    make_user,
    issue_example,  # noqa: F811
):
    other = create_app(app.config | {"TESTING": True})
    other_client = other.test_client()
    coordinator = make_user("coordinator")
    login(other_client, coordinator)
    shown = other_client.get(URL).get_data(as_text=True)
    assert "Zuid, gestart september 2026" in shown
    # the change is made through this server; the other has the report in its memory
    db.session.execute(sa.update(Location).where(Location.name == "Zuid").values(name="Zee"))
    db.session.commit()
    shown = other_client.get(URL).get_data(as_text=True)
    assert "Zee, gestart september 2026" in shown and "Zuid" not in shown
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_csv_and_pdf_follow_a_change_too(client, make_user, issue_example):  # noqa: F811
    login(client, make_user("coordinator"))
    query = URL.split("?", 1)[1]
    first = client.get(f"/rapportage/jaarverslag.zip?{query}").data
    assert client.get(f"/rapportage/jaarverslag.zip?{query}").data == first
    woman = db.session.scalars(sa.select(Participant).order_by(Participant.id)).first()
    woman.referral_source = "huisarts"
    db.session.commit()
    assert client.get(f"/rapportage/jaarverslag.zip?{query}").data != first
