"""A refused form on a group's page (its details, starting it) shows the page again with the
reason beside the field and what she typed still in it; nothing is saved."""

from tests.browser_form import form_fields
from tests.conftest import login
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group


def _stored(group_id) -> Group:
    db.session.expire_all()
    return db.session.get(Group, group_id)


def test_a_title_that_is_not_neutral_is_refused_beside_the_field(client, make_group):
    group = make_group()
    before = group.public_title
    login(client, group.facilitator_a)
    url = f"/groepen/{group.id}"
    marker = f'<form method="post" action="/groepen/{group.id}/gegevens"'
    form = form_fields(client.get(url).get_data(as_text=True), marker)
    form.update(name="Dinsdaggroep Noord (nieuw)", public_title="Partnergeweld in de wijk")
    response = client.post(f"{url}/gegevens", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "moet neutraal zijn" in page.split('id="public_title-error"', 1)[1]
    again = form_fields(page, marker)
    assert again["name"] == "Dinsdaggroep Noord (nieuw)"
    assert again["public_title"] == "Partnergeweld in de wijk"
    assert _stored(group.id).public_title == before


def test_an_empty_name_is_refused_and_the_title_she_typed_stays(client, make_group):
    group = make_group()
    login(client, group.facilitator_a)
    url = f"/groepen/{group.id}"
    marker = f'<form method="post" action="/groepen/{group.id}/gegevens"'
    form = form_fields(client.get(url).get_data(as_text=True), marker)
    form.update(name="", public_title="Samen sterk op dinsdag")
    response = client.post(f"{url}/gegevens", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vul een interne naam in." in page.split('id="name-error"', 1)[1]
    assert form_fields(page, marker)["public_title"] == "Samen sterk op dinsdag"
    assert _stored(group.id).public_title != "Samen sterk op dinsdag"


def test_a_reason_too_short_to_start_is_refused_and_kept(client, make_group, make_user):
    group = make_group(participants=2)
    login(client, make_user("coordinator"))
    url = f"/groepen/{group.id}"
    marker = f'<form method="post" action="/groepen/{group.id}/starten"'
    form = form_fields(client.get(url).get_data(as_text=True), marker)
    form["override_reason"] = "Te weinig"
    response = client.post(f"{url}/starten", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "minstens 10 tekens" in page.split('id="override_reason-error"', 1)[1]
    assert form_fields(page, marker)["override_reason"] == "Te weinig"
    assert _stored(group.id).status == "planned"
