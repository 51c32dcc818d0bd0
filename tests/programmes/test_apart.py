"""Data strictly apart: staff of the men's programme see nothing of a women's group, its
participants, their support or the women's method book, on any route, even where they once
worked with them (a facilitator who moved to the men's team, a case worker of a woman)."""

import re

import pytest
import sqlalchemy as sa

from tests.conftest import login
from tests.methodiek.factories import publish_content
from veiligthuis.extensions import db
from veiligthuis.programmes.models import Programme
from veiligthuis.programmes.service import default_programme


@pytest.fixture
def apart(make_user, make_group, make_participant):
    women_group = make_group(participants=6, name="Vrouwengroep Oost")
    version = publish_content(db.session)
    women_case_worker = make_user("case_worker")
    woman = make_participant(women_group, case_worker=women_case_worker, alias="Zoraida")
    men = Programme(name="Mannengroep", kind="men", session_count=10, session_minutes=120)
    db.session.add(men)
    db.session.flush()
    # She led the women's group and was the woman's case worker; now she works with the men.
    mover = db.session.get(type(women_group.facilitator_a), women_group.facilitator_a_id)
    mover.role_rows  # noqa: B018 (load before changing)
    from veiligthuis.auth.models import UserRole

    mover.role_rows.append(UserRole(role="case_worker"))
    mover.role_rows.append(UserRole(role="editor"))
    mover.programmes = [men]
    woman_row = db.session.get(type(woman), woman.id)
    woman_row.case_worker_id = mover.id
    db.session.commit()
    return {
        "user": mover,
        "group": women_group,
        "participant": woman_row,
        "version": version,
        "women": default_programme(db.session),
        "men": men,
    }


def _values(name, world):
    group, participant = world["group"], world["participant"]
    plan = world["version"].sessions[0]
    known = {
        "group_id": group.id,
        "participant_id": participant.id,
        "number": 1,
        "version_id": world["version"].id,
        "attachment_id": 1,
        "user_id": world["user"].id,
        "location_id": group.location_id,
        "filename": world["version"].handouts[0].filename if world["version"].handouts else "x",
        "kind": "sessie",
        "path": "README.md",
        "programme_id": world["women"].id,
    }
    del plan
    return known.get(name)


def _urls(app, world):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not rule.arguments & {
            "group_id",
            "participant_id",
            "version_id",
        }:
            continue
        values = {a: _values(a, world) for a in rule.arguments}
        if any(v is None for v in values.values()):
            continue
        yield rule, rule.build(values, append_unknown=False)[1]


def test_staff_of_the_men_programme_see_nothing_of_a_women_group(app, client, apart):
    group, woman = apart["group"], apart["participant"]
    secrets = [group.name, woman.alias, woman.code, f"/groepen/{group.id}"]
    login(client, apart["user"])
    leaks, open_routes = [], []
    for rule, url in _urls(app, apart):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.get(url) if method == "GET" else client.post(url, data={})
            if response.status_code in (403, 404):
                continue
            body = response.get_data().decode("utf-8", "replace")
            if response.status_code == 200 and response.mimetype != "text/html":
                # a PDF, calendar or spreadsheet of her group is hers whatever it holds
                leaks.append((url, response.mimetype))
                continue
            if method == "POST":
                open_routes.append((method, url, response.status_code))
            elif response.status_code == 200 and any(s in body for s in secrets):
                leaks.append((url, [s for s in secrets if s in body]))
            elif response.status_code not in (200, 302):
                open_routes.append((method, url, response.status_code))
    assert leaks == []
    assert open_routes == []
    # the lists she sees carry none of it either
    for page in ["/", "/groepen", "/ondersteuning", "/methodiek", "/agenda"]:
        body = client.get(page).get_data(as_text=True)
        assert not [s for s in secrets if s in body], page
    assert f'/methodiek/{apart["version"].id}"' not in client.get("/methodiek").get_data(
        as_text=True
    )


def test_women_staff_keep_their_group_and_method_book(client, apart, make_user):
    colleague = db.session.get(type(apart["user"]), apart["group"].facilitator_b_id)
    login(client, colleague)
    assert client.get(f"/groepen/{apart['group'].id}").status_code == 200
    assert client.get(f"/methodiek/{apart['version'].id}").status_code == 200
    assert colleague.programmes == [apart["women"]]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Programme)) == 2


def test_a_group_of_the_men_programme_needs_facilitators_of_that_programme(
    make_user, make_location, apart
):
    from datetime import date, time

    from veiligthuis.groups import service
    from veiligthuis.models import DomainError

    women_a, women_b = make_user("facilitator"), make_user("facilitator")
    location = make_location()
    data = service.GroupData(
        name="Mannen Oost",
        public_title="Groep",
        location_id=location.id,
        room_id=location.rooms[0].id,
        weekday=0,
        start_time=time(19, 0),
        first_date=date(2026, 9, 7),
        facilitator_a_id=women_a.id,
        facilitator_b_id=women_b.id,
        programme_id=apart["men"].id,
    )
    with pytest.raises(DomainError, match=re.escape("Mannengroep")):
        service.create_group(db.session, women_a, data, accept_conflicts=True)
