"""Participants answer on their own phones against a running server.

A browser journey on a phone-sized screen (from a QR slip, answer in Arabic, switch language
halfway; leave with Shift three times), the form and every way to exit with and without
JavaScript, and the reliability runs: twelve phones sending in the same second, 200 submissions
at once, and one code opened from two phones at the same moment.
"""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from tests.evaluations.conftest import (  # noqa: F401  (fixtures)
    Phone,
    eval_group,
    methodiek_version,
)
from veiligthuis.evaluations import service
from veiligthuis.evaluations.models import Answer, EvaluationCode
from veiligthuis.extensions import db

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SESSION_ANSWERS = {
    "q-veilig_in_groep": "5",
    "q-kon_zeggen": "4",
    "q-bruikbaar": "4",
    "q-gehoord": "5",
    "q-opmerking": "Het was goed",
}


def _open(live_server, group, *, number=1, count=8, extra_batches=0):
    """Open a round with the live server's key (codes are hashed with its SECRET_KEY)."""
    secret = live_server.config["SECRET_KEY"]
    gs = next(s for s in group.sessions if s.number == number)
    today = service.today_local()
    round_, codes = service.open_round(
        db.session,
        group.facilitator_a,
        group,
        "sessie",
        group_session=gs,
        count=count,
        secret=secret,
        today=today,
    )
    for _ in range(extra_batches):
        codes += service.add_codes(
            db.session,
            group.facilitator_a,
            round_,
            30,
            secret=secret,
            today=today,
            replace_unused=False,
        )
    db.session.commit()
    return round_, codes


def _stored_sets(round_id: int) -> tuple[int, int]:
    """(used codes, answer rows) of a round, read fresh."""
    db.session.expire_all()
    used = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(EvaluationCode)
        .where(EvaluationCode.round_id == round_id, EvaluationCode.is_used.is_(True))
    )
    rows = db.session.scalar(
        sa.select(sa.func.count()).select_from(Answer).where(Answer.round_id == round_id)
    )
    return used, rows


# --- the browser journey ---------------------------------------------------------------------


def _watch_addresses(page) -> list[str]:
    """Every address the page asks for or shows (requests, redirects, history entries)."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("framenavigated", lambda frame: seen.append(frame.url))
    return seen


def _assert_no_code_in(addresses: list[str], codes: list[str]) -> None:
    for address in addresses:
        path = address.split("#", 1)[0].upper().replace("-", "")
        for code in codes:
            assert code not in path, address


def test_phone_journey_in_arabic_then_leave_with_shift(browser, live_server, eval_group):  # noqa: F811
    group = eval_group()
    round_, codes = _open(live_server, group, count=2)
    context = browser.new_context(base_url=live_server.config["LIVE_URL"], locale="nl-NL", **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    addresses = _watch_addresses(page)
    try:
        # the QR slip: the code rides in the fragment, our script posts it
        page.goto(f"/e#{service.format_code(codes[0])}")
        page.wait_for_url(re.compile(r"/e/welkom\?taal=nl$"))
        # the script took the code out of the history entry before posting it
        page.go_back()
        assert "#" not in page.url and codes[0] not in page.url.upper().replace("-", "")
        page.go_forward()
        page.wait_for_url(re.compile(r"/e/welkom\?taal=nl$"))
        assert page.locator("html").get_attribute("dir") == "ltr"
        # on a phone the Shift shortcut is not offered
        assert not page.locator(".exit-bar .exit-hint").is_visible()
        page.get_by_role("link", name="العربية").click()
        assert page.locator("html").get_attribute("lang") == "ar"
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.title() == "استبيان"
        page.get_by_role("link", name="الانتقال إلى الأسئلة").click()
        page.wait_for_url(re.compile(r"/vragen\?taal=ar$"))
        assert page.get_by_text("كيف كان اللقاء؟").is_visible()

        first = page.locator("#v-veilig_in_groep label.choice", has_text="أوافق تمامًا")
        box = first.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 300  # a big tap target
        first.tap()
        assert page.locator("#v-veilig_in_groep input[value='5']").is_checked()
        page.locator("#v-kon_zeggen label.choice", has_text="لا أوافق ولا أعارض").tap()
        page.locator("#v-opmerking textarea").fill("شكرًا على هذا اللقاء")
        # halfway she switches to English and back: her answers stay
        page.get_by_role("button", name="English").tap()
        page.wait_for_url(re.compile(r"/vragen\?taal=en$"))
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("#v-veilig_in_groep input[value='5']").is_checked()
        assert page.locator("#v-kon_zeggen input[value='3']").is_checked()
        assert page.locator("#v-opmerking textarea").input_value() == "شكرًا على هذا اللقاء"
        page.get_by_role("button", name="العربية").tap()
        assert page.locator("#v-kon_zeggen input[value='3']").is_checked()
        page.get_by_role("button", name="إرسال").tap()
        page.wait_for_url(re.compile(r"/e/bedankt\?taal=ar$"))
        assert page.get_by_role("heading", name="شكرًا لك!").is_visible()
        assert page.locator("html").get_attribute("dir") == "rtl"

        stored = sorted(
            (a.question_id, a.value_int, a.value_text)
            for a in db.session.scalars(sa.select(Answer).where(Answer.round_id == round_.id))
        )
        assert stored == [
            ("kon_zeggen", 3, None),
            ("opmerking", None, "شكرًا على هذا اللقاء"),
            ("veilig_in_groep", 5, None),
        ]

        # a second code, typed in by hand; she leaves halfway with Shift three times
        page.goto("/e?taal=ar")
        typed = codes[1].lower()
        page.locator("#code").fill(f"{typed[:5]} {typed[5:]}")
        page.get_by_role("button", name="متابعة").click()
        page.get_by_role("link", name="الانتقال إلى الأسئلة").click()
        page.wait_for_url(re.compile(r"/vragen\?taal=ar$"))
        page.locator("#v-gehoord label.choice", has_text="أوافق").first.tap()
        assert any(c["name"] == "session" for c in context.cookies())
        for _ in range(3):
            page.keyboard.press("Shift")
        page.wait_for_url("about:blank#weer")
        assert context.cookies() == []
        _assert_back_shows_nothing_of_her_form(page)
    finally:
        context.close()
    _assert_no_code_in(addresses, codes)
    assert _stored_sets(round_.id) == (2, 3)


def _assert_back_shows_nothing_of_her_form(page) -> None:
    """Back, twice: neither her answers nor a page one tap from her questions."""
    for _ in range(2):
        page.go_back()
        page.wait_for_load_state()
        if not page.url.startswith("http"):
            break
        assert "/vragen" not in page.url or page.locator("fieldset").count() == 0
        assert page.locator("input[type=radio]").count() == 0
        assert page.locator("textarea").count() == 0
        assert page.locator("a[href*='/e/vragen']").count() == 0


def _type_code_and_tick(page, code: str) -> None:
    page.goto("/e")
    page.locator("#code").fill(code)
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url(re.compile(r"/e/welkom"))
    page.goto("/e/vragen")
    page.locator("#v-bruikbaar label.choice", has_text="Helemaal mee eens").click()
    page.locator("#v-opmerking textarea").fill("mijn eigen woorden")


def test_exit_button_and_the_form_without_javascript(browser, live_server, eval_group):  # noqa: F811
    group = eval_group()
    round_, codes = _open(live_server, group, count=2)
    base = live_server.config["LIVE_URL"]
    plain = browser.new_context(base_url=base, java_script_enabled=False, **PHONE)
    page = plain.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/e?taal=tr")
        page.locator("#code").fill(codes[0])
        page.locator("#code").press("Enter")
        page.goto("/e/vragen?taal=tr")
        page.locator("#v-bruikbaar label.choice", has_text="Kesinlikle katılıyorum").tap()
        page.get_by_role("button", name="Gönder").tap()
        page.wait_for_url(re.compile(r"/e/bedankt\?taal=tr$"))
        assert page.get_by_role("heading", name="Teşekkür ederiz!").is_visible()
    finally:
        plain.close()
    scripted = browser.new_context(base_url=base, **PHONE)
    page = scripted.new_page()
    page.set_default_timeout(10_000)
    try:
        _type_code_and_tick(page, codes[1])
        page.get_by_role("button", name="Verlaat deze pagina").tap()
        page.wait_for_url("about:blank#weer")
        _assert_back_shows_nothing_of_her_form(page)
    finally:
        scripted.close()
    assert _stored_sets(round_.id) == (2, 1)


def test_every_way_to_exit_with_and_without_javascript(browser, live_server, eval_group):  # noqa: F811
    """Space, Enter and a click on the exit button, script on and off; Back shows nothing."""
    group = eval_group()
    ways = ["Space", "Enter", "click"]
    _round, codes = _open(live_server, group, count=2 * len(ways))
    base = live_server.config["LIVE_URL"]
    pending = list(codes)
    for scripted in (True, False):
        for way in ways:
            context = browser.new_context(base_url=base, java_script_enabled=scripted)
            page = context.new_page()
            page.set_default_timeout(10_000)
            try:
                _type_code_and_tick(page, pending.pop())
                button = page.locator(".exit-bar button[data-exit]")
                if way == "click":
                    button.click()
                else:
                    button.focus()
                    page.keyboard.press(way)
                page.wait_for_url("about:blank#weer")
                assert context.cookies() == [], (scripted, way)
                _assert_back_shows_nothing_of_her_form(page)
            finally:
                context.close()


def test_the_shift_hint_shows_only_with_a_keyboard(browser, live_server, eval_group):  # noqa: F811
    base = live_server.config["LIVE_URL"]
    for options, visible in ((PHONE, False), ({}, True)):
        context = browser.new_context(base_url=base, **options)
        page = context.new_page()
        try:
            page.goto("/e")
            assert page.locator(".exit-bar .exit-hint").is_visible() is visible, options
            page.keyboard.press("a")  # a keyboard turns up after all
            assert page.locator(".exit-bar .exit-hint").is_visible()
        finally:
            context.close()
    plain = browser.new_context(base_url=base, java_script_enabled=False)
    page = plain.new_page()
    try:
        page.goto("/e")  # without script Shift does nothing, so no hint
        assert not page.locator(".exit-bar .exit-hint").is_visible()
    finally:
        plain.close()


# --- reliability against the running server --------------------------------------------------


def test_twelve_phones_in_the_same_second(live_server, eval_group):  # noqa: F811
    group = eval_group(participants=12)
    round_, codes = _open(live_server, group, count=12)
    phones = [Phone(live_server.config["LIVE_URL"]) for _ in codes]
    assert all(phone.open_form(code) for phone, code in zip(phones, codes, strict=True))
    start = threading.Barrier(len(phones))

    def send(phone):
        start.wait(timeout=30)  # all twelve press "send" together
        return phone.send(SESSION_ANSWERS)

    with ThreadPoolExecutor(max_workers=len(phones)) as pool:
        thanked = list(pool.map(send, phones))
    assert thanked == [True] * 12
    assert _stored_sets(round_.id) == (12, 12 * len(SESSION_ANSWERS))


def test_two_hundred_submissions_at_once_lose_nothing(live_server, eval_group):  # noqa: F811
    group = eval_group(participants=12)
    round_, codes = _open(live_server, group, count=20, extra_batches=6)  # 200 codes
    assert len(codes) == 200

    def submit(code):
        phone = Phone(live_server.config["LIVE_URL"])
        if not phone.open_form(code):
            return False
        # a database too busy answers "try again" with her answers kept: she presses once more
        return phone.send(SESSION_ANSWERS) or phone.send(SESSION_ANSWERS)

    with ThreadPoolExecutor(max_workers=24) as pool:
        thanked = list(pool.map(submit, codes))
    used, rows = _stored_sets(round_.id)
    assert sum(thanked) == 200
    assert used == 200 and rows == 200 * len(SESSION_ANSWERS)


def test_one_code_from_two_phones_at_once_is_stored_once(live_server, eval_group):  # noqa: F811
    group = eval_group()
    round_, codes = _open(live_server, group, count=5)
    results = []
    for code in codes:  # five races, one per code: both phones open it at the same moment
        phones = [Phone(live_server.config["LIVE_URL"]), Phone(live_server.config["LIVE_URL"])]
        start = threading.Barrier(2)

        def race(phone, code=code, start=start):
            start.wait(timeout=30)
            return phone.open_form(code) and phone.send(SESSION_ANSWERS)

        with ThreadPoolExecutor(max_workers=2) as pool:
            results.append(sorted(pool.map(race, phones)))
    assert results == [[False, True]] * 5
    assert _stored_sets(round_.id) == (5, 5 * len(SESSION_ANSWERS))
