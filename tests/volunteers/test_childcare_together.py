"""Both facilitators note a woman's childcare need, each with the page open before the other
saved: the second save keeps what the first changed, and a count both changed differently is
not saved until she has seen her colleague's."""

from tests.browser_form import form_fields, forms_side_by_side
from veiligthuis.extensions import db
from veiligthuis.volunteers import service


def _two_pages(app, make_group, make_participant):
    group = make_group()
    woman = make_participant(group)
    url = f"/groepen/{group.id}/kinderopvang/{woman.id}"
    clients, forms = forms_side_by_side(app, url, group.facilitator_a, group.facilitator_b)
    return woman, url, clients, forms


def _needs(participant_id) -> dict:
    db.session.expire_all()
    return service.childcare_needs(db.session, [participant_id]).get(participant_id, {})


def test_the_second_save_keeps_the_childs_band_the_first_added(app, make_group, make_participant):
    woman, url, (first, second), (hers, mine) = _two_pages(app, make_group, make_participant)
    hers["children_0_1"] = "1"
    assert first.post(url, data=hers).status_code == 302
    mine["children_4_7"] = "2"
    assert second.post(url, data=mine).status_code == 302
    assert _needs(woman.id) == {"0_1": 1, "4_7": 2}


def test_a_count_both_changed_is_not_saved_until_she_has_seen_the_other(
    app, make_group, make_participant
):
    woman, url, (first, second), (hers, mine) = _two_pages(app, make_group, make_participant)
    hers["children_2_3"] = "1"
    assert first.post(url, data=hers).status_code == 302
    mine.update(children_2_3="2", children_8_12="1")
    response = second.post(url, data=mine)
    assert response.status_code == 409
    assert _needs(woman.id) == {"2_3": 1}
    page = response.get_data(as_text=True)
    assert "Een collega heeft dit intussen gewijzigd in: «1»" in page
    again = form_fields(page)
    assert again["children_2_3"] == "2" and again["children_8_12"] == "1"
    assert second.post(url, data=again).status_code == 302
    assert _needs(woman.id) == {"2_3": 2, "8_12": 1}
