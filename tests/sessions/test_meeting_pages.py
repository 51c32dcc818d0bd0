"""Issue 13: a meeting has two short pages, Voorbereiden and Beheren, each at its own address;
a failed form shows one error summary at the top, linked to its fields."""

import re
from datetime import date


def test_prepare_and_manage_are_two_pages(login_as, make_group):
    group = make_group(first_date=date(2026, 9, 7), participants=2)
    client = login_as(group.facilitator_a)
    prepare = client.get(f"/groepen/{group.id}/bijeenkomsten/2").get_data(as_text=True)
    assert "Vorige bijeenkomst" in prepare
    for form_title in ("Zorgsignaal doorgeven", "Verplaatsen", "Annuleren", "Invaller"):
        assert f">{form_title}</h2>" not in prepare
    manage = client.get(f"/groepen/{group.id}/bijeenkomsten/2/beheren").get_data(as_text=True)
    for form_title in ("Zorgsignaal doorgeven", "Verplaatsen", "Annuleren", "Invaller"):
        assert f">{form_title}</h2>" in manage
    assert "Vorige bijeenkomst" not in manage
    assert 'aria-current="page">Beheren' in manage


def test_manage_page_is_for_the_groups_editors_only(app, login_as, make_group, make_user):
    from tests.conftest import login

    group = make_group(first_date=date(2026, 9, 7))
    other = app.test_client()
    login(other, make_user("facilitator"))
    assert other.get(f"/groepen/{group.id}/bijeenkomsten/2/beheren").status_code == 404


def test_failed_care_signal_summary_comes_first_and_links_to_fields(login_as, make_group):
    group = make_group(first_date=date(2026, 9, 7), participants=2)
    client = login_as(group.facilitator_a)
    response = client.post(
        f"/groepen/{group.id}/bijeenkomsten/2/zorgsignaal",
        data={"care-participant_id": group.participants[0].id, "care-note": "Mijn getypte tekst"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = page.index('class="error-summary"')
    assert summary < page.index(">Aantekeningen bij deze bijeenkomst</h2>")
    assert re.search(r'<a href="#care-category">Kies een categorie.</a>', page)
    assert page.count('class="error-summary"') == 1
    assert "Mijn getypte tekst" in page
    # the hint is read out with its field
    assert 'aria-describedby="care-note-hint"' in page
