"""Participants answer on their own phones against a running server.

A browser journey on a phone-sized screen (answer in Arabic; leave with Shift three times), the
form without JavaScript, and the reliability runs: twelve phones sending in the same second,
200 submissions at once, and one code sent from two phones at the same moment.
"""

import http.client
import re
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from tests.evaluations.conftest import eval_group, methodiek_version  # noqa: F401  (fixtures)
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


def test_phone_journey_in_arabic_then_leave_with_shift(browser, live_server, eval_group):  # noqa: F811
    group = eval_group()
    round_, codes = _open(live_server, group, count=2)
    context = browser.new_context(base_url=live_server.config["LIVE_URL"], locale="nl-NL", **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"/e/{service.format_code(codes[0])}")
        assert page.locator("html").get_attribute("dir") == "ltr"
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
        page.go_back()
        page.wait_for_load_state()
        assert "/vragen" not in page.url
        assert page.locator("input[type=radio]").count() == 0
        assert page.locator("textarea").count() == 0
    finally:
        context.close()
    assert _stored_sets(round_.id) == (1, 3)


def test_exit_button_and_the_form_without_javascript(browser, live_server, eval_group):  # noqa: F811
    group = eval_group()
    round_, codes = _open(live_server, group, count=2)
    base = live_server.config["LIVE_URL"]
    plain = browser.new_context(base_url=base, java_script_enabled=False, **PHONE)
    page = plain.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"/e/{codes[0]}/vragen?taal=tr")
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
        page.goto(f"/e/{codes[1]}/vragen")
        page.get_by_role("button", name="Verlaat deze pagina").tap()
        page.wait_for_url("about:blank#weer")
        page.go_back()
        page.wait_for_load_state()
        assert page.locator("input[type=radio]").count() == 0
    finally:
        scripted.close()
    assert _stored_sets(round_.id) == (1, 1)


# --- reliability against the running server --------------------------------------------------


class Phone:
    """One participant's phone: plain HTTP, its own cookie, the form's CSRF token."""

    def __init__(self, live_url: str):
        parsed = urllib.parse.urlsplit(live_url)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookie = ""
        self.token = ""

    def _request(self, method: str, path: str, body: str | None = None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode()
            cookie = response.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            return response.status, response.getheader("Location"), page
        finally:
            connection.close()

    def open_form(self, code: str) -> bool:
        """Load the form; keeps the session cookie and the CSRF token."""
        status, _location, page = self._request("GET", f"/e/{code}/vragen")
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        self.token = match.group(1) if match else ""
        return status == 200 and bool(self.token) and self.cookie.startswith("session=")

    def send(self, code: str, answers: dict) -> bool:
        """Post the answers; True when she sees the thank-you page."""
        body = urllib.parse.urlencode({**answers, "csrf_token": self.token})
        status, location, _page = self._request("POST", f"/e/{code}/vragen", body)
        if status != 302 or not location.startswith("/e/bedankt"):
            return False
        status, _location, page = self._request("GET", location)
        return status == 200 and "Dank je wel!" in page


def test_twelve_phones_in_the_same_second(live_server, eval_group):  # noqa: F811
    group = eval_group(participants=12)
    round_, codes = _open(live_server, group, count=12)
    phones = [Phone(live_server.config["LIVE_URL"]) for _ in codes]
    assert all(phone.open_form(code) for phone, code in zip(phones, codes, strict=True))
    start = threading.Barrier(len(phones))

    def send(pair):
        phone, code = pair
        start.wait(timeout=30)  # all twelve press "send" together
        return phone.send(code, SESSION_ANSWERS)

    with ThreadPoolExecutor(max_workers=len(phones)) as pool:
        thanked = list(pool.map(send, zip(phones, codes, strict=True)))
    assert thanked == [True] * 12
    assert _stored_sets(round_.id) == (12, 12 * len(SESSION_ANSWERS))


def test_two_hundred_submissions_at_once_lose_nothing(live_server, eval_group):  # noqa: F811
    group = eval_group(participants=12)
    round_, codes = _open(live_server, group, count=20, extra_batches=6)  # 200 codes
    assert len(codes) == 200

    def submit(code):
        phone = Phone(live_server.config["LIVE_URL"])
        return phone.open_form(code) and phone.send(code, SESSION_ANSWERS)

    with ThreadPoolExecutor(max_workers=24) as pool:
        thanked = list(pool.map(submit, codes))
    used, rows = _stored_sets(round_.id)
    assert used == sum(thanked) and rows == sum(thanked) * len(SESSION_ANSWERS)
    assert sum(thanked) == 200


def test_one_code_from_two_phones_at_once_is_stored_once(live_server, eval_group):  # noqa: F811
    group = eval_group()
    round_, codes = _open(live_server, group, count=5)
    results = []
    for code in codes:  # five races, one per code
        phones = [Phone(live_server.config["LIVE_URL"]), Phone(live_server.config["LIVE_URL"])]
        assert all(phone.open_form(code) for phone in phones)
        start = threading.Barrier(2)

        def send(phone, code=code, start=start):
            start.wait(timeout=30)
            return phone.send(code, SESSION_ANSWERS)

        with ThreadPoolExecutor(max_workers=2) as pool:
            results.append(sorted(pool.map(send, phones)))
    assert results == [[False, True]] * 5
    assert _stored_sets(round_.id) == (5, 5 * len(SESSION_ANSWERS))
