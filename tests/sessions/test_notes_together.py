"""Both facilitators write the notes of a meeting, each with the page open before the other
saved: the second save does not wipe out the first. She is shown her colleague's text beside
her own, which stays in the field, and saves again once she has merged them."""

import re
from html import unescape

from tests.conftest import login
from veiligthuis.extensions import db
from veiligthuis.sessions.models import GroupSession


def _notes_form(client, manage_url) -> dict[str, str]:
    return _notes_form_from(client.get(manage_url).get_data(as_text=True))


def _stored_notes(gs_id) -> str:
    db.session.expire_all()
    return db.session.get(GroupSession, gs_id).notes


def test_the_second_of_two_notes_saved_together_keeps_the_first(app, make_group):
    group = make_group()
    gs = group.active_sessions[0]
    base = f"/groepen/{group.id}/bijeenkomsten/1"
    first, second = app.test_client(), app.test_client()
    login(first, group.facilitator_a)
    login(second, group.facilitator_b)
    hers, mine = _notes_form(first, f"{base}/beheren"), _notes_form(second, f"{base}/beheren")

    hers["notes-notes"] = "Goed gesprek over grenzen."
    assert first.post(f"{base}/aantekeningen", data=hers).status_code == 302
    mine["notes-notes"] = "Twee vrouwen waren later."
    response = second.post(f"{base}/aantekeningen", data=mine)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert _stored_notes(gs.id) == "Goed gesprek over grenzen."
    assert "Een collega heeft de aantekeningen intussen opgeslagen" in page
    # her colleague's text is shown, and her own is still in the field
    assert "Goed gesprek over grenzen." in page.split('id="notes-meanwhile"', 1)[1]
    again = _notes_form_from(page)
    assert again["notes-notes"] == "Twee vrouwen waren later."
    # she merges them and saves: now it goes through
    again["notes-notes"] = "Goed gesprek over grenzen.\nTwee vrouwen waren later."
    assert second.post(f"{base}/aantekeningen", data=again).status_code == 302
    assert _stored_notes(gs.id) == "Goed gesprek over grenzen.\nTwee vrouwen waren later."


def test_notes_saved_twice_from_one_page_need_no_merging(app, make_group):
    """Her own earlier save is not a colleague's: Back and save again, or the same text twice."""
    group = make_group()
    gs = group.active_sessions[0]
    base = f"/groepen/{group.id}/bijeenkomsten/1"
    client = app.test_client()
    login(client, group.facilitator_a)
    form = _notes_form(client, f"{base}/beheren")
    form["notes-notes"] = "Eerste versie."
    assert client.post(f"{base}/aantekeningen", data=form).status_code == 302
    assert client.post(f"{base}/aantekeningen", data=form).status_code == 302
    assert _stored_notes(gs.id) == "Eerste versie."


def _notes_form_from(page: str) -> dict[str, str]:
    form = page.split('id="notes-title"', 1)[1].split("</form>", 1)[0]
    fields = {
        name: unescape(value)
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)
    }
    textarea = re.search(r'<textarea[^>]*name="notes-notes"[^>]*>(.*?)</textarea>', form, re.S)
    # as a browser reads it: one line break right after the tag is not part of the text
    fields["notes-notes"] = re.sub(r"^\r?\n", "", unescape(textarea.group(1)))
    return fields
