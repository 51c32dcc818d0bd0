"""Evaluation pages over HTTP: the participant's side (no login) and the team's side (by role)."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from markupsafe import escape
from pypdf import PdfReader

from tests.evaluations.conftest import (
    SECRET,
    load_question_files,
    pearlin_values,
    send_form,
    start_form,
)
from veiligthuis import create_app
from veiligthuis.auth.models import AuditEntry
from veiligthuis.evaluations import service
from veiligthuis.evaluations.models import Answer, CodeFailure, EvaluationCode, EvaluationRound
from veiligthuis.evaluations.texts import LANGUAGES
from veiligthuis.extensions import db
from veiligthuis.models import utcnow
from veiligthuis.wording import find_sensitive_words

KIND_FOR_SET = {"sessie": "sessie", "afsluiting": "afsluiting", "voor-na": "voor"}


def _page(response) -> str:
    return response.get_data(as_text=True)


def _answers() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Answer))


# --- the participant's pages --------------------------------------------------------------------


@pytest.mark.parametrize("set_kind", ["sessie", "afsluiting", "voor-na"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_renders_every_question(client, eval_group, open_round, set_kind, lang):
    group = eval_group()
    kind = KIND_FOR_SET[set_kind]
    _round, codes = open_round(group, kind, number=1)
    start_form(client, codes[0], lang)
    page = _page(client.get(f"/e/vragen?taal={lang}"))
    data = load_question_files()[set_kind]
    assert str(escape(data["title"][lang])) in page
    for question in data["questions"]:
        assert str(escape(question["text"][lang])) in page, question["id"]
        assert f'name="q-{question["id"]}"' in page
        for option in data["scales"].get(question.get("scale"), []):
            assert str(escape(option[lang])) in page
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in page


def test_arabic_participant_pages_are_right_to_left(client, eval_group, open_round):
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    pages = [_page(client.get("/e?taal=ar")), _page(start_form(client, "ONBEK-ENDXX", "ar"))]
    start_form(client, codes[0], "ar")
    for url in ["/e/welkom?taal=ar", "/e/vragen?taal=ar", "/e/bedankt?taal=ar", "/e/hulp?taal=ar"]:
        pages.append(_page(client.get(url)))
    for page in pages:
        assert '<html lang="ar" dir="rtl">' in page
        assert "<title>استبيان</title>" in page
    assert '<html lang="tr" dir="ltr">' in _page(client.get("/e/bedankt?taal=tr"))


def _participant_pages(client, code) -> dict[str, object]:
    pages = {"/e": client.get("/e"), "wrong code": start_form(client, "XXXXX-XXXXX")}
    start_form(client, code)
    for url in ["/e/welkom", "/e/vragen", "/e/bedankt"]:
        pages[url] = client.get(url)
    return pages


def test_participant_pages_are_neutral_and_load_nothing_from_elsewhere(
    client, eval_group, open_round
):
    group = eval_group(name="Groep geweld Oost")
    _round, codes = open_round(group, "sessie", number=1, count=3)
    for url, response in _participant_pages(client, codes[0]).items():
        page = _page(response)
        assert response.headers["Cache-Control"] == "no-store", url
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "<title>Vragenlijst</title>" in page
        assert not find_sensitive_words(page), (url, find_sensitive_words(page))
        for name in (group.name, group.location.name, group.facilitator_a.name, "Uitloggen"):
            assert name not in page, (url, name)
        assert not re.search(r'(?:src|href|action)="(?:https?:)?//', page), url
        assert "<script>" not in page and "style=" not in page
        assert 'src="/static/js/exit.js"' in page
        # the exit control: the first link in the page, and a real button at the top
        first_link = re.search(r"<a [^>]*>", page).group(0)
        assert 'href="/e/weg"' in first_link and "data-exit" in first_link
        assert re.search(r'<form class="exit-bar" method="get" action="/e/weg"', page), url
        assert re.search(r'<button type="submit" class="exit-button" data-exit>', page), url
    # the safety page gives the numbers (and only there may say what they are for)
    safety = _page(client.get("/e/hulp"))
    assert "0800-2000" in safety and "112" in safety


def test_no_cookie_until_a_form_needs_its_csrf_token(client, eval_group, open_round):
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    for url in ["/e/bedankt", "/e/hulp"]:
        assert "Set-Cookie" not in client.get(url).headers, url
    cookies = start_form(client, codes[0]).headers.getlist("Set-Cookie")
    assert len(cookies) == 1 and cookies[0].startswith("session=") and "HttpOnly" in cookies[0]


def test_typed_code_leads_to_the_explanation_then_the_form(client, eval_group, open_round):
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    typed = codes[0].lower()[:5] + " " + codes[0].lower()[5:]
    response = start_form(client, typed, "en")
    assert response.status_code == 303
    assert response.headers["Location"] == "/e/welkom?taal=en"
    intro = _page(client.get(response.headers["Location"]))
    assert "press the Shift key three times" in intro and "Exit this page" in intro
    assert "browser history is not erased" in intro
    assert 'href="/e/vragen?taal=en"' in intro


def test_send_answers_then_thank_you(client, eval_group, open_round):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=3)
    response = send_form(
        client,
        codes[0],
        {"q-veilig_in_groep": "4", "q-kon_zeggen": "5", "q-opmerking": "Çok güzeldi"},
        "tr",
    )
    assert response.status_code == 303 and response.headers["Location"] == "/e/bedankt?taal=tr"
    assert "Teşekkür ederiz!" in _page(client.get(response.headers["Location"]))
    stored = db.session.scalars(sa.select(Answer).where(Answer.round_id == round_.id)).all()
    assert sorted((a.question_id, a.value_int, a.value_text) for a in stored) == [
        ("kon_zeggen", 5, None),
        ("opmerking", None, "Çok güzeldi"),
        ("veilig_in_groep", 4, None),
    ]


def test_unknown_and_expired_codes_get_the_same_kind_message(client, eval_group, open_round):
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    _old, old_codes = open_round(
        group, "sessie", number=2, count=3, today=service.today_local() - timedelta(days=30)
    )
    pages = []
    for code in ["ABCDE-FGHJK", old_codes[0]]:
        response = start_form(client, code)
        assert response.status_code == 404
        pages.append(_page(response))
    assert len(set(pages)) == 1
    assert "Deze code werkt niet" in pages[0] and "Dank je wel dat je wilde meedoen" in pages[0]
    # without a form session the questions are not there, whatever is posted
    gone = client.post("/e/vragen", data={"q-veilig_in_groep": "1"})
    assert gone.status_code == 400 and "veilig_in_groep" not in _page(gone)
    assert _answers() == 0


def test_a_used_code_again_is_kind_and_is_not_a_wrong_guess(client, eval_group, open_round):
    """Back after sending, or her code typed once more: no refusal, nothing counted."""
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    assert send_form(client, codes[0], {"q-veilig_in_groep": "3"}).status_code == 303
    back = client.post("/e/vragen", data={"q-veilig_in_groep": "1"})
    assert back.status_code == 303 and back.headers["Location"].startswith("/e/bedankt")
    again = start_form(client, codes[0])
    assert again.status_code == 303 and again.headers["Location"].startswith("/e/bedankt")
    other_phone = service.format_code(codes[0])
    elsewhere = client.application.test_client()
    used = start_form(elsewhere, other_phone)
    assert used.status_code == 200 and "Deze code is al gebruikt" in _page(used)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CodeFailure)) == 0
    assert _answers() == 1


def test_bad_answer_keeps_the_others_and_stores_nothing(client, eval_group, open_round):
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    start_form(client, codes[0])
    url = "/e/vragen?taal=nl"
    response = client.post(
        url, data={"q-veilig_in_groep": "9", "q-kon_zeggen": "2", "q-opmerking": "Hallo"}
    )
    assert response.status_code == 422
    page = _page(response)
    assert "Kies een van de antwoorden." in page
    assert re.search(r'name="q-kon_zeggen" value="2" checked', page)
    assert ">Hallo</textarea>" in page
    empty = client.post(url, data={"q-opmerking": "   "})
    assert empty.status_code == 422 and "Je hebt nog niets ingevuld" in _page(empty)
    assert _answers() == 0
    assert client.post(url, data={"q-kon_zeggen": "2"}).status_code == 303  # form still good


def test_expired_csrf_token_keeps_her_answers(app, client, eval_group, open_round):
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    start_form(client, codes[0])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            "/e/vragen?taal=en", data={"q-gehoord": "4", "q-opmerking": "Thanks"}
        )
        assert response.status_code == 400
        page = _page(response)
        assert "The form had expired" in page
        assert (
            re.search(r'name="q-gehoord" value="4" checked', page) and ">Thanks</textarea>" in page
        )
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        ok = client.post(
            "/e/vragen?taal=en",
            data={"q-gehoord": "4", "q-opmerking": "Thanks", "csrf_token": token},
        )
        assert ok.status_code == 303
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _answers() == 2


def test_a_room_full_of_typos_on_one_wifi_still_gets_in(client, eval_group, open_round):
    """Twelve typos from the venue's one address, then a valid code works."""
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    venue = {"environ_base": {"REMOTE_ADDR": "192.0.2.10"}}
    for i in range(12):
        assert start_form(client, f"ABCDE-2345{i % 8 + 2}", **venue).status_code == 404
    assert start_form(client, codes[0], **venue).status_code == 303


def test_guessing_is_limited_per_client(client, eval_group, open_round):
    """A thousand wrong guesses from one address: all but the first few never reach a code."""
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    guesser = {"environ_base": {"REMOTE_ADDR": "192.0.2.66"}}
    statuses = [start_form(client, f"ABCDE-{i:05d}", **guesser).status_code for i in range(1000)]
    assert statuses.count(404) == service.MAX_FAILED_CODES
    assert statuses.count(429) == 1000 - service.MAX_FAILED_CODES
    blocked = start_form(client, codes[0], **guesser)
    assert blocked.status_code == 429  # even a right code: a guesser learns nothing
    assert "Er zijn te veel codes geprobeerd" in _page(blocked)
    # another phone is not affected, and nothing about the guesser's address is kept in clear
    other = {"environ_base": {"REMOTE_ADDR": "192.0.2.67"}}
    assert start_form(client.application.test_client(), codes[1], **other).status_code == 303
    keys = db.session.scalars(sa.select(CodeFailure.client_key)).all()
    assert len(keys) == service.MAX_FAILED_CODES and "192.0.2.66" not in "".join(keys)
    # after the window the client may try again
    db.session.execute(sa.update(CodeFailure).values(created_dt=utcnow() - timedelta(minutes=61)))
    db.session.commit()
    assert start_form(client, codes[0], **guesser).status_code == 303


def test_exit_address_ends_the_session_and_leaves(client, eval_group, open_round, app):
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    start_form(client, codes[0])
    assert client.get("/e/vragen").status_code == 200
    for query in ("", "?"):  # the link, and the exit form sent without script
        response = client.get("/e/weg" + query)
        assert response.status_code == 302
        assert response.headers["Location"] == app.config["EXIT_URL"]
        assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
        assert any(c.startswith("session=;") for c in response.headers.getlist("Set-Cookie"))
        assert response.headers["Cache-Control"] == "no-store"
    # Back to the questions: the server has nothing of her form any more
    back = client.get("/e/vragen")
    assert back.status_code == 410 and "q-" not in _page(back)


def test_database_holds_no_link_from_answers_to_codes_people_or_phones(
    client, eval_group, open_round, make_user
):
    """The anonymity check: after a round, inspect every table and column of the schema."""
    group = eval_group()
    participants = group.participants
    audit_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    round_, codes = open_round(group, "voor", count=4)
    phone = {"REMOTE_ADDR": "198.51.100.23"}
    agent = {"User-Agent": "PhoneBrowser/7.1 (Android 14; Pixel)"}
    for code, score in zip(codes[:3], [1, 2, 3], strict=True):
        form = {f"q-{k}": str(v) for k, v in pearlin_values(score).items()}
        phone_client = client.application.test_client()
        response = send_form(phone_client, code, form, environ_base=phone, headers=agent)
        assert response.status_code == 303
    # one wrong code, for the guessing table
    start_form(client, "ZZZZZ-ZZZZZ", environ_base=phone)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == audit_before + 1

    tables = {t.name: t for t in db.metadata.sorted_tables}
    answers = tables["evaluation_answers"]
    assert set(answers.c.keys()) == {
        "id",
        "round_id",
        "question_id",
        "value_int",
        "value_text",
        "answered_date",
        "is_staff_entered",
    }
    assert {fk.column.table.name for fk in answers.foreign_keys} == {"evaluation_rounds"}
    assert isinstance(answers.c.answered_date.type, sa.Date)
    assert not any(isinstance(c.type, sa.DateTime) for c in answers.c)
    codes_table = tables["evaluation_codes"]
    assert set(codes_table.c.keys()) == {"id", "round_id", "code_hash", "is_used"}
    uses = tables["evaluation_form_uses"]
    assert set(uses.c.keys()) == {"nonce_hash", "round_id"}
    for table in tables.values():
        referred = {fk.column.table.name for fk in table.foreign_keys}
        assert "evaluation_answers" not in referred, table.name
        if table.name != "evaluation_rounds":
            assert not {"evaluation_codes", "evaluation_answers"} <= referred | {table.name}, (
                table.name
            )

    # Every stored value anywhere: no code, no address, no browser, no person near an answer.
    hashes = {service.hash_code(SECRET, c) for c in codes}
    phone_key = service.client_key(SECRET, "198.51.100.23")
    with db.engine.connect() as connection:
        for table in tables.values():
            for row in connection.execute(sa.select(table)):
                for column, value in zip(table.c.keys(), row, strict=True):
                    text = str(value)
                    for code in codes:
                        assert code not in text and service.format_code(code) not in text
                    assert "198.51.100.23" not in text and "PhoneBrowser" not in text
                    if table.name != "evaluation_codes":
                        assert text not in hashes, (table.name, column)
                    if table.name != "evaluation_code_failures":
                        assert text != phone_key, (table.name, column)
        rows = connection.execute(sa.select(answers)).all()
    assert len(rows) == 3 * (13 + 1)  # thirteen questions and the derived mastery total
    people = {p.code for p in participants} | {p.alias for p in participants}
    for row in rows:
        assert not people & {str(v) for v in row}
        assert re.fullmatch(r"[0-9a-f]{32}", row.id)
    for name in ("evaluation_answers", "evaluation_codes", "evaluation_rounds"):
        referred = {fk.column.table.name for fk in tables[name].foreign_keys}
        assert not referred & {"participants", "attendances"}, name
    # answer ids are random, so sorting by id does not replay the order of sending
    ids = [row.id for row in rows]
    assert ids != sorted(ids) or ids != [r.id for r in rows[::-1]]
    used = db.session.scalars(
        sa.select(EvaluationCode.is_used).where(EvaluationCode.round_id == round_.id)
    ).all()
    assert sorted(used) == [False, True, True, True]


# --- the team's pages ---------------------------------------------------------------------------


def test_facilitator_opens_a_round_and_sees_codes_once(login_as, eval_group):
    group = eval_group()
    client = login_as(group.facilitator_a)
    response = client.post(
        f"/groepen/{group.id}/evaluaties/nieuw",
        data={"kind": "sessie", "number": "3", "count": "7"},
    )
    assert response.status_code == 200
    page = _page(response)
    codes = re.findall(r"<code>([0-9A-Z]{5}-[0-9A-Z]{5})</code>", page)
    assert len(codes) == 7 and "worden niet bewaard" in page
    round_ = db.session.scalar(sa.select(EvaluationRound))
    assert round_.kind == "sessie" and round_.group_session.number == 3
    # the page showing the codes is not kept anywhere; they are not in the database either
    assert response.headers["Cache-Control"] == "no-store"
    stored = set(db.session.scalars(sa.select(EvaluationCode.code_hash)))
    assert stored == {service.hash_code(SECRET, service.normalise_code(c)) for c in codes}

    slips = client.post(
        f"/groepen/{group.id}/evaluaties/{round_.id}/briefjes.pdf", data={"code": codes}
    )
    assert slips.status_code == 200 and slips.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(slips.get_data())).pages)
    assert all(code in text for code in codes) and "Vrouwengroep" in text
    assert group.name not in text
    screen = client.post(
        f"/groepen/{group.id}/evaluaties/{round_.id}/scherm", data={"code": codes[:2]}
    )
    assert screen.status_code == 200
    assert all(code in _page(screen) for code in codes[:2]) and group.name not in _page(screen)
    forged = client.post(
        f"/groepen/{group.id}/evaluaties/{round_.id}/briefjes.pdf", data={"code": ["ABCDE-FGHJK"]}
    )
    assert forged.status_code == 400
    again = client.post(
        f"/groepen/{group.id}/evaluaties/nieuw",
        data={"kind": "sessie", "number": "3", "count": "7"},
    )
    assert again.status_code == 422 and "al een ronde open" in _page(again)


def test_opening_with_bad_input_shows_a_dutch_message(login_as, eval_group):
    group = eval_group()
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}/evaluaties/nieuw"
    for data, message in [
        ({"kind": "sessie", "number": "0", "count": "5"}, "Kies een bijeenkomst van deze groep."),
        ({"kind": "voor", "number": "0", "count": "40"}, "Kies een aantal codes van 1 tot 30."),
        ({"kind": "voor", "number": "0", "count": "veel"}, "Kies een aantal codes van 1 tot 30."),
        ({"kind": "iets", "number": "0", "count": "5"}, "Ongeldige keuze"),
    ]:
        response = client.post(url, data=data)
        assert response.status_code == 422, data
        assert message in _page(response), data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationRound)) == 0


def test_close_by_hand_stops_the_codes(login_as, client, eval_group, open_round):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=3)
    staff = login_as(group.facilitator_b)
    url = f"/groepen/{group.id}/evaluaties/{round_.id}/sluiten"
    # Without the tick the round stays open and the codes keep working.
    page = staff.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Vink aan dat u de ronde wilt sluiten" in page
    db.session.expire_all()
    assert db.session.get(EvaluationRound, round_.id).closed_dt is None
    response = staff.post(url, data={"confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(EvaluationRound, round_.id).closed_dt is not None
    assert start_form(staff, codes[0]).status_code == 404


def test_paper_form_counts_toward_the_round(login_as, eval_group, open_round, answer):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=3)
    answer(round_, codes[0], {"veilig_in_groep": 5})
    answer(round_, codes[1], {"veilig_in_groep": 4})
    client = login_as(group.facilitator_a)
    page = _page(client.get(f"/groepen/{group.id}/evaluaties/{round_.id}"))
    assert "Nog te weinig antwoorden" in page and "nu 2" in page
    bad = client.post(
        f"/groepen/{group.id}/evaluaties/{round_.id}/papier", data={"q-veilig_in_groep": "8"}
    )
    assert bad.status_code == 422 and "Kies een van de antwoorden." in _page(bad)
    response = client.post(
        f"/groepen/{group.id}/evaluaties/{round_.id}/papier",
        data={"q-veilig_in_groep": "3", "q-opmerking": "op papier"},
    )
    assert response.status_code == 302
    paper = db.session.scalars(sa.select(Answer).where(Answer.is_staff_entered.is_(True))).all()
    assert sorted(a.question_id for a in paper) == ["opmerking", "veilig_in_groep"]
    page = _page(client.get(f"/groepen/{group.id}/evaluaties/{round_.id}"))
    assert "Nog te weinig antwoorden" not in page
    assert "op papier" in page and "4,0" in page
    assert '<img class="chart" src="data:image/svg+xml;base64,' in page


def test_round_page_shows_nothing_below_three(login_as, eval_group, open_round, answer):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=3)
    answer(round_, codes[0], {"veilig_in_groep": 2, "opmerking": "alleen ik"})
    answer(round_, codes[1], {"veilig_in_groep": 5})
    page = _page(login_as(group.facilitator_a).get(f"/groepen/{group.id}/evaluaties/{round_.id}"))
    assert "alleen ik" not in page and "data:image/svg" not in page
    assert "resultaten zijn te zien vanaf 3" in page


def test_role_access(login_as, eval_group, open_round, make_user, make_participant):
    group = eval_group()
    round_, _codes = open_round(group, "sessie", number=1, count=3)
    urls = [
        f"/groepen/{group.id}/evaluaties",
        f"/groepen/{group.id}/evaluaties/{round_.id}",
        f"/groepen/{group.id}/evaluaties/{round_.id}/papier",
        f"/groepen/{group.id}/evaluaties/resultaten.csv",
        f"/groepen/{group.id}/evaluaties/verslag.pdf",
    ]
    stranger = make_user("facilitator")
    case_worker = make_user("case_worker")
    make_participant(group, case_worker=case_worker)
    for user in (stranger, case_worker):
        client = login_as(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert (
            client.post(
                f"/groepen/{group.id}/evaluaties/nieuw", data={"kind": "voor", "count": "3"}
            ).status_code
            == 404
        )
        client.post("/uitloggen")
    coordinator = login_as(make_user("coordinator"))
    for url in urls:
        assert coordinator.get(url).status_code == 200, url
    coordinator.post("/uitloggen")
    # a substitute for one meeting sees the results but does not run the rounds
    substitute = make_user("facilitator")
    group.sessions[4].substitute_id = substitute.id
    group.sessions[4].substitute_for_id = group.facilitator_a_id
    db.session.commit()
    client = login_as(substitute)
    assert client.get(urls[0]).status_code == 200
    assert (
        client.post(
            f"/groepen/{group.id}/evaluaties/nieuw", data={"kind": "voor", "count": "3"}
        ).status_code
        == 403
    )
    assert client.post(f"/groepen/{group.id}/evaluaties/{round_.id}/sluiten").status_code == 403
    other = eval_group()
    foreign_round, _ = open_round(other, "voor")
    assert (
        login_as(group.facilitator_a)
        .get(f"/groepen/{group.id}/evaluaties/{foreign_round.id}")
        .status_code
        == 404
    )


def test_participant_pages_need_no_login(client, eval_group, open_round):
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    start_form(client, codes[0])
    for url in ["/e", "/e/welkom", "/e/vragen", "/e/bedankt", "/e/hulp"]:
        assert client.get(url).status_code == 200, url
    assert client.get(f"/groepen/{group.id}/evaluaties").status_code == 302  # staff: login


def test_csv_and_pdf_downloads(login_as, eval_group, open_round, answer):
    group = eval_group()
    round_, codes = open_round(group, "afsluiting", count=3)
    for code, score in zip(codes, [5, 4, 5], strict=True):
        answer(round_, code, {"blij_meegedaan": score, "belangrijkste": "De andere vrouwen"})
    client = login_as(group.facilitator_a)
    response = client.get(f"/groepen/{group.id}/evaluaties/resultaten.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("ronde;soort;bijeenkomst;datum;vraag")
    assert len(lines) == 1 + 6
    pdf = client.get(f"/groepen/{group.id}/evaluaties/verslag.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.get_data())).pages)
    assert "Eindevaluatie" in text and "De andere vrouwen" in text and "4,7" in text
    actions = db.session.scalars(
        sa.select(AuditEntry.detail).where(AuditEntry.action == "evaluation_export")
    ).all()
    assert sorted(actions) == ["csv", "pdf"]


def test_meeting_page_shows_the_previous_evaluation_and_opens_a_round(
    login_as, eval_group, open_round, answer
):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=4)
    for code, score in zip(codes[:2], [4, 5], strict=True):
        answer(round_, code, {"veilig_in_groep": score, "opmerking": "x"})
    client = login_as(group.facilitator_a)
    page = _page(client.get(f"/groepen/{group.id}/bijeenkomsten/2"))
    assert "Korte evaluatie van bijeenkomst 1" in page and "Nog te weinig antwoorden (2)" in page
    answer(round_, codes[2], {"veilig_in_groep": 3})
    page = _page(client.get(f"/groepen/{group.id}/bijeenkomsten/2"))
    assert "3 ingevuld" in page and "gemiddeld 4,0" in page
    assert "Korte evaluatie openen" in page
    response = client.post(
        f"/groepen/{group.id}/evaluaties/nieuw",
        data={"kind": "sessie", "number": "2", "count": "6"},
    )
    assert response.status_code == 200
    page = _page(client.get(f"/groepen/{group.id}/bijeenkomsten/2"))
    assert "0 ingevuld, open t/m" in page and "Korte evaluatie openen" not in page
    nav = _page(client.get(f"/groepen/{group.id}"))
    assert f'href="/groepen/{group.id}/evaluaties"' in nav


# --- slips already handed out ----------------------------------------------------------------


def test_new_codes_keep_the_slips_already_handed_out(login_as, eval_group, open_round):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=3)
    staff = login_as(group.facilitator_a)
    form = _page(staff.get(f"/groepen/{group.id}/evaluaties/{round_.id}"))
    assert re.search(r'<input[^>]*id="replace_unused"[^>]*>', form)
    assert "checked" not in re.search(r'<input[^>]*id="replace_unused"[^>]*>', form).group(0)
    response = staff.post(f"/groepen/{group.id}/evaluaties/{round_.id}/codes", data={"count": "2"})
    assert response.status_code == 200
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(EvaluationCode.round_id == round_.id))
        == 5
    )
    # the facilitator explicitly asks: then, and only then, the unused old ones go
    staff.post(
        f"/groepen/{group.id}/evaluaties/{round_.id}/codes",
        data={"count": "1", "replace_unused": "y"},
    )
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(EvaluationCode.round_id == round_.id))
        == 1
    )


# --- errors, NUL bytes and spreadsheet formulas -------------------------------------------------


def test_errors_under_e_use_the_participant_layout(app):
    broken = create_app({**app.config, "TESTING": False, "SERVER_NAME": None})

    @broken.route("/e/_stuk")
    def _broken():
        raise RuntimeError("stuk")

    client = broken.test_client()
    responses = {
        "404": client.get("/e/bedankt/x"),
        "404 old code address": client.get("/e/ABCDE-23456/"),
        "405": client.put("/e/bedankt"),
        "500": client.get("/e/_stuk"),
    }
    for name, response in responses.items():
        page = _page(response)
        assert response.status_code == int(name[:3]), name
        assert "<title>Vragenlijst</title>" in page, name
        assert 'class="exit-button" data-exit' in page, name
        assert "veiligthuis" not in page.lower().replace("/static/", ""), name
        assert "/inloggen" not in page and "Inloggen" not in page, name
        assert response.headers["Cache-Control"] == "no-store"
    # staff pages keep theirs
    assert "Vragenlijst" not in _page(client.get("/groepen/999999/geen"))


def test_a_nul_byte_in_her_text_is_dropped_and_the_rest_stays(client, eval_group, open_round):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=3)
    data = {"q-gehoord": "4", "q-opmerking": "goed\x00 gesprek\x00"}
    assert send_form(client, codes[0], data).status_code == 303
    stored = dict(
        db.session.execute(
            sa.select(Answer.question_id, sa.func.coalesce(Answer.value_text, "")).where(
                Answer.round_id == round_.id
            )
        ).all()
    )
    assert stored == {"gehoord": "", "opmerking": "goed gesprek"}


def test_formulas_in_free_text_are_neutralised_in_the_csv(login_as, eval_group, open_round, answer):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=3)
    texts = ['=HYPERLINK("https://example.org","klik")', "@SUM(A1:A9)", "+31 6 1234"]
    for code, text in zip(codes, texts, strict=True):
        answer(round_, code, {"gehoord": 4, "opmerking": text})
    staff = login_as(group.facilitator_a)
    csv = staff.get(f"/groepen/{group.id}/evaluaties/resultaten.csv").get_data(as_text=True)
    cells = [cell for line in csv.splitlines() for cell in line.split(";")]
    assert not [c for c in cells if c.lstrip('"').startswith(("=", "@", "+"))]
    assert "'=HYPERLINK" in csv and "'@SUM(A1:A9)" in csv


# --- the exit control and the faces -------------------------------------------------------------


def test_the_explanation_has_no_sample_button_and_the_exit_is_real(client, eval_group, open_round):
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    start_form(client, codes[0])
    intro = _page(client.get("/e/welkom"))
    main = intro.split('<main id="main">', 1)[1]
    assert "exit-sample" not in intro and "data-exit" not in main and "<button" not in main
    assert "Verlaat deze pagina" in main  # named in the words, not drawn as a fake button
    # the Shift hint is marked so the stylesheet shows it only with a keyboard
    assert re.search(r'<p class="exit-hint">[^<]*Shift', main)
    css = (Path(client.application.static_folder) / "css" / "participant.css").read_text()
    assert ".exit-hint { color: var(--muted); font-size: .85rem; display: none; }" in css
    assert "@media (hover: hover) and (pointer: fine)" in css


FACE_FILLS = {"#f4c7c3": -2, "#f8dcc8": -1, "#e8ebee": 0, "#d3ead6": 1, "#b9e0bf": 2}


def _faces(page: str, qid: str) -> dict[int, int]:
    """value -> mood of the face drawn next to it, for one question of the rendered form."""
    block = page.split(f'id="v-{qid}"', 1)[1].split("</fieldset>", 1)[0]
    faces = {}
    for label in block.split('<label class="choice">')[1:]:
        value = int(re.search(r'value="(\d+)"', label).group(1))
        fill = re.search(r'<circle cx="12" cy="12" r="10.5" fill="(#[0-9a-f]{6})"', label)
        faces[value] = FACE_FILLS[fill.group(1)]
    return faces


def test_the_faces_alone_give_the_score_the_words_mean(client, eval_group, open_round):
    """Every Pearlin item answered with the happiest face is the most mastery (28), the saddest
    the least (7): on "I often feel helpless" agreeing is not a smile."""
    group = eval_group()
    round_, codes = open_round(group, "voor", count=3)
    start_form(client, codes[0])
    page = _page(client.get("/e/vragen"))
    question_set = round_.question_set
    items = [q["id"] for q in question_set.questions if q.get("group") == service.PEARLIN_GROUP]
    happiest = {}
    saddest = {}
    for qid in items:
        faces = _faces(page, qid)
        happiest[qid] = max(faces, key=faces.get)
        saddest[qid] = min(faces, key=faces.get)
    assert service.pearlin_score(question_set, happiest) == 28
    assert service.pearlin_score(question_set, saddest) == 7


def test_safety_page_and_codes_page_read_as_written_by_a_person(client, login_as, eval_group):
    safety = client.get("/e/hulp").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", safety)
    assert "Bel 112. 112" not in " ".join(text.split())
    assert " ".join(text.split()).count("0800-2000") == 1
    group = eval_group()
    page = login_as(group.facilitator_a).post(
        f"/groepen/{group.id}/evaluaties/nieuw",
        data={"kind": "sessie", "number": "5", "count": "6"},
    )
    heading = re.search(r"<h1>(.*?)</h1>", page.get_data(as_text=True), re.S).group(1)
    assert heading == "Codes voor de korte evaluatie van bijeenkomst 5"


def test_csv_leaves_out_a_question_too_few_women_answered(login_as, eval_group, open_round, answer):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=4)
    answer(round_, codes[0], {"veilig_in_groep": 4, "opmerking": "alleen ik schreef iets"})
    answer(round_, codes[1], {"veilig_in_groep": 5, "opmerking": "en ik"})
    answer(round_, codes[2], {"veilig_in_groep": 3})
    staff = login_as(group.facilitator_a)
    csv = staff.get(f"/groepen/{group.id}/evaluaties/resultaten.csv").get_data(as_text=True)
    page = staff.get(f"/groepen/{group.id}/evaluaties").get_data(as_text=True)
    assert "veilig_in_groep" in csv  # three answers: shown
    assert "alleen ik schreef iets" not in csv and "en ik" not in csv  # two: hidden
    assert "alleen ik schreef iets" not in page
