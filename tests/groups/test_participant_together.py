"""Two staff members change one woman's record, each with the page open before the other
saved. What the second changed is saved over the first's field by field, so a safety change
made meanwhile ("do not call, her partner has her phone") is never put back by a save that
did not touch it; where both changed the same field differently, nothing is saved and she
sees her colleague's value beside her own, which stays in the field."""

import hashlib
import json
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so

from tests.browser_form import form_fields, forms_side_by_side
from tests.conftest import login
from veiligthuis.extensions import db
from veiligthuis.groups.models import Participant
from veiligthuis.settings import set_setting


def _open_twice(app, make_group, make_participant):
    group = make_group()
    woman = make_participant(group)
    url = f"/groepen/{group.id}/deelnemers/{woman.id}"
    clients, forms = forms_side_by_side(app, url, group.facilitator_a, group.facilitator_b)
    return woman, url, clients, forms


def _stored(participant_id) -> Participant:
    db.session.expire_all()
    return db.session.get(Participant, participant_id)


def test_a_save_that_did_not_touch_her_safe_contact_keeps_what_a_colleague_set_meanwhile(
    app, make_group, make_participant
):
    woman, url, (first, second), (hers, mine) = _open_twice(app, make_group, make_participant)
    hers.update(safe_channel="none", safe_notes="Niet bellen: haar partner heeft haar telefoon.")
    hers.pop("is_voicemail_ok", None)
    assert first.post(url, data=hers).status_code == 302
    # her colleague only corrects the intake date, on a page opened before that save
    mine["intake_date"] = "2026-11-03"
    assert second.post(url, data=mine).status_code == 302
    stored = _stored(woman.id)
    assert stored.intake_date == date(2026, 11, 3)
    assert stored.safe_channel == "none"
    assert stored.safe_notes == "Niet bellen: haar partner heeft haar telefoon."


def test_both_changing_her_safe_notes_saves_nothing_and_shows_both(
    app, make_group, make_participant
):
    woman, url, (first, second), (hers, mine) = _open_twice(app, make_group, make_participant)
    hers.update(safe_notes="Alleen dinsdag bellen.", safe_times="dinsdag 10-12")
    assert first.post(url, data=hers).status_code == 302
    mine.update(safe_notes="Geen voicemail, hij luistert mee.", phone="0612345678")
    response = second.post(url, data=mine)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    stored = _stored(woman.id)
    assert stored.safe_notes == "Alleen dinsdag bellen." and stored.phone == ""
    assert "Een collega heeft dit intussen gewijzigd in" in page
    assert "Alleen dinsdag bellen." in page.split('id="safe_notes-error"', 1)[1]
    again = form_fields(page)
    # what she typed is still there, and the field only her colleague changed shows the colleague's value
    assert again["safe_notes"] == "Geen voicemail, hij luistert mee."
    assert again["phone"] == "0612345678"
    assert again["safe_times"] == "dinsdag 10-12"
    # she merges the two and saves: now it goes through, and keeps her colleague's times
    again["safe_notes"] = "Alleen dinsdag bellen. Geen voicemail, hij luistert mee."
    assert second.post(url, data=again).status_code == 302
    stored = _stored(woman.id)
    assert stored.safe_notes == "Alleen dinsdag bellen. Geen voicemail, hij luistert mee."
    assert stored.safe_times == "dinsdag 10-12" and stored.phone == "0612345678"


def test_a_box_ticked_by_a_colleague_meanwhile_stays_ticked(app, make_group, make_participant):
    woman, url, (first, second), (hers, mine) = _open_twice(app, make_group, make_participant)
    assert "is_voicemail_ok" not in mine
    hers["is_voicemail_ok"] = "y"
    assert first.post(url, data=hers).status_code == 302
    mine["alias"] = "Sanne"
    assert second.post(url, data=mine).status_code == 302
    stored = _stored(woman.id)
    assert stored.alias == "Sanne" and stored.is_voicemail_ok


def test_the_same_change_twice_or_her_own_page_sent_again_is_no_conflict(
    app, make_group, make_participant
):
    woman, url, (first, second), (hers, mine) = _open_twice(app, make_group, make_participant)
    hers["safe_channel"] = mine["safe_channel"] = "sms"
    assert first.post(url, data=hers).status_code == 302
    assert second.post(url, data=mine).status_code == 302
    # Back, and the same page sent again
    assert second.post(url, data=mine).status_code == 302
    assert _stored(woman.id).safe_channel == "sms"


def test_a_status_changed_meanwhile_is_checked_against_the_group_as_it_is_now(
    app, make_group, make_participant
):
    # her colleague set her status: the second save still goes through the same checks
    woman, url, (first, second), (hers, mine) = _open_twice(app, make_group, make_participant)
    hers.update(status="dropped_out", dropout_reason="Verhuisd")
    assert first.post(url, data=hers).status_code == 302
    mine["safe_times"] = "na 14 uur"
    assert second.post(url, data=mine).status_code == 302
    stored = _stored(woman.id)
    assert stored.status == "dropped_out" and stored.dropout_reason == "Verhuisd"
    assert stored.safe_times == "na 14 uur"


def test_a_form_without_a_readable_fingerprint_saves_as_always(app, make_group, make_participant):
    # a page opened before forms carried one, or a fingerprint that was tampered with
    woman, url, (first, _second), (hers, _mine) = _open_twice(app, make_group, make_participant)
    for seen, alias in (None, "Anna"), ("niet-json", "Bea"), ('["lijst"]', "Cor"):
        form = dict(hers, alias=alias)
        if seen is None:
            form.pop("seen")
        else:
            form["seen"] = seen
        assert first.post(url, data=form).status_code == 302
        assert _stored(woman.id).alias == alias


def test_a_colleague_saving_in_the_same_instant_is_not_overwritten(
    app, make_group, make_participant
):
    # Her colleague's save lands between her page reading the record and writing it: the
    # write must notice, read the record again and see that both changed her safe notes.
    woman, url, (first, _second), (hers, _mine) = _open_twice(app, make_group, make_participant)
    colleague, saved = "Niet bellen: haar partner heeft haar telefoon.", []

    def colleague_saves(session, _context, _instances):
        if not saved and any(isinstance(o, Participant) for o in session.dirty):
            saved.append(True)
            with db.engine.begin() as connection:
                connection.execute(
                    sa.update(Participant.__table__)
                    .where(Participant.__table__.c.id == woman.id)
                    .values(
                        safe_notes=colleague,
                        revision=Participant.__table__.c.revision + 1,
                    )
                )

    sa.event.listen(so.Session, "before_flush", colleague_saves)
    try:
        response = first.post(url, data=dict(hers, safe_notes="Alleen dinsdag bellen."))
    finally:
        sa.event.remove(so.Session, "before_flush", colleague_saves)
    assert response.status_code == 409
    assert _stored(woman.id).safe_notes == colleague
    page = response.get_data(as_text=True)
    assert colleague in page.split('id="safe_notes-error"', 1)[1]
    assert form_fields(page)["safe_notes"] == "Alleen dinsdag bellen."


def test_the_fingerprint_does_not_tell_what_the_form_does_not_show(
    app, make_group, make_participant
):
    # Her self-reported answers, kept from before the organisation switched them off, are not
    # on the page; a digest of them in the hidden field would give them away to anyone who
    # tries the few possible answers.
    group = make_group()
    woman = make_participant(group)
    woman.age_band, woman.violence_phase, woman.country_of_birth = "35_44", "tension", "Syrië"
    db.session.commit()
    set_setting(db.session, "diversity_fields", False)
    db.session.commit()
    client = app.test_client()
    login(client, group.facilitator_a)
    page = client.get(f"/groepen/{group.id}/deelnemers/{woman.id}").get_data(as_text=True)
    assert 'name="age_band"' not in page
    seen = form_fields(page)["seen"]
    assert seen
    for value in ("35_44", "tension", "Syrië"):
        assert hashlib.sha256(value.encode()).hexdigest()[:12] not in seen
    # nor which of its fields are the same (her blank language, relation, children...)
    digests = json.loads(seen)
    assert len(set(digests.values())) == len(digests)
