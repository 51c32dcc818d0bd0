"""A refused form on a group's page (its details, starting it) shows the page again with the
reason beside the field and what she typed still in it; nothing is saved."""

from tests.browser_form import form_fields
from tests.conftest import login
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group


def _refused(client, group, action: str, **typed) -> tuple[str, str]:
    """Her group page's form to ``action``, with what she typed, sent: (page, the form's
    start, to read it again)."""
    marker = f'<form method="post" action="/groepen/{group.id}/{action}"'
    form = form_fields(client.get(f"/groepen/{group.id}").get_data(as_text=True), marker)
    response = client.post(f"/groepen/{group.id}/{action}", data={**form, **typed})
    assert response.status_code == 422
    return response.get_data(as_text=True), marker


def _stored(group_id) -> Group:
    db.session.expire_all()
    return db.session.get(Group, group_id)


def test_a_title_that_is_not_neutral_is_refused_beside_the_field(client, make_group):
    group = make_group()
    before = group.public_title
    login(client, group.facilitator_a)
    page, marker = _refused(
        client,
        group,
        "gegevens",
        name="Dinsdaggroep Noord (nieuw)",
        public_title="Partnergeweld in de wijk",
    )
    assert "moet neutraal zijn" in page.split('id="public_title-error"', 1)[1]
    again = form_fields(page, marker)
    assert again["name"] == "Dinsdaggroep Noord (nieuw)"
    assert again["public_title"] == "Partnergeweld in de wijk"
    assert _stored(group.id).public_title == before


def test_an_empty_name_is_refused_and_the_title_she_typed_stays(client, make_group):
    group = make_group()
    login(client, group.facilitator_a)
    page, marker = _refused(
        client, group, "gegevens", name="", public_title="Samen sterk op dinsdag"
    )
    assert "Vul een interne naam in." in page.split('id="name-error"', 1)[1]
    assert form_fields(page, marker)["public_title"] == "Samen sterk op dinsdag"
    assert _stored(group.id).public_title != "Samen sterk op dinsdag"


def test_a_reason_too_short_to_start_is_refused_and_kept(client, make_group, make_user):
    group = make_group(participants=2)
    login(client, make_user("coordinator"))
    page, marker = _refused(client, group, "starten", override_reason="Te weinig")
    assert "minstens 10 tekens" in page.split('id="override_reason-error"', 1)[1]
    assert form_fields(page, marker)["override_reason"] == "Te weinig"
    assert _stored(group.id).status == "planned"
