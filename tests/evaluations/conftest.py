"""Evaluation fixtures: a published methodiek version holding the real question files, a group
pinned to it, and helpers to open rounds and answer them through the service."""

import http.client
import re
import urllib.parse
from datetime import date
from pathlib import Path

import pytest
import yaml

from veiligthuis.evaluations import service
from veiligthuis.extensions import db
from veiligthuis.methodiek.models import MethodiekVersion, QuestionSet
from veiligthuis.models import utcnow

QUESTION_DIR = Path(__file__).resolve().parents[2] / "methodiek" / "evaluatie"
SECRET = "test"  # the app fixture's SECRET_KEY


def load_question_files() -> dict[str, dict]:
    """The real question sets as the content writer keeps them."""
    return {
        kind: yaml.safe_load((QUESTION_DIR / f"{kind}.yaml").read_text(encoding="utf-8"))
        for kind in ("sessie", "afsluiting", "voor-na")
    }


@pytest.fixture
def methodiek_version(app_ctx):
    version = MethodiekVersion(
        label="2026.1", title="Een veilig thuis", status="published", published_dt=utcnow()
    )
    version.question_sets = [
        QuestionSet(kind=kind, data=data) for kind, data in load_question_files().items()
    ]
    db.session.add(version)
    db.session.commit()
    return version


@pytest.fixture
def eval_group(make_group, methodiek_version):
    """A running group of eight, pinned to the version with the question sets."""

    def make(**kwargs):
        kwargs.setdefault("participants", 8)
        group = make_group(**kwargs)
        group.methodiek_version_id = methodiek_version.id
        for gs in group.sessions:
            gs.methodiek_version_id = methodiek_version.id
        group.status = "running"
        db.session.commit()
        return group

    return make


@pytest.fixture
def open_round(app_ctx):
    def do(group, kind="sessie", *, number=1, count=8, today=None):
        gs = next(s for s in group.sessions if s.number == number) if kind == "sessie" else None
        round_, codes = service.open_round(
            db.session,
            group.facilitator_a,
            group,
            kind,
            group_session=gs,
            count=count,
            secret=SECRET,
            today=today or service.today_local(),
        )
        db.session.commit()
        return round_, codes

    return do


@pytest.fixture
def answer(app_ctx):
    """Answer a round with one code through the service, as the participant's POST does."""

    def do(round_, code, values, today=None):
        today = today or service.today_local()
        _round_id, nonce = service.open_form(db.session, code, secret=SECRET, today=today)
        db.session.commit()
        service.submit_answers(db.session, round_, nonce, values, today=today)
        db.session.commit()

    return do


def pearlin_values(score_each: int = 3, **overrides) -> dict:
    """Answers to the voor-na set: every item ``score_each`` unless overridden."""
    values = {f"pm{i}": score_each for i in range(1, 8)}
    values.update({f"eigen{i}": score_each for i in range(1, 7)})
    values.update(overrides)
    return values


TODAY = date.today()


def start_form(client, code, lang="nl", **kwargs):
    """She types ``code`` on /e (a POST: the code is in no address); the response."""
    return client.post("/e", data={"code": code, "taal": lang}, **kwargs)


def send_form(client, code, data, lang="nl", **kwargs):
    """Open the form with ``code`` and send ``data``; the response to the sending."""
    opened = start_form(client, code, lang, **kwargs)
    assert opened.status_code == 303, opened.status_code
    return client.post(f"/e/vragen?taal={lang}", data=data, **kwargs)


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
            for cookie in response.headers.get_all("Set-Cookie") or ():
                if cookie.startswith("session="):
                    self.cookie = cookie.split(";", 1)[0]
            return response.status, response.getheader("Location"), page
        finally:
            connection.close()

    def _token(self, page: str) -> str:
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        self.token = match.group(1) if match else ""
        return self.token

    def open_form(self, code: str) -> bool:
        """Type the code and load the form; keeps the session cookie and the CSRF token."""
        _status, _location, page = self._request("GET", "/e")
        body = urllib.parse.urlencode({"code": code, "csrf_token": self._token(page)})
        status, location, _page = self._request("POST", "/e", body)
        if status != 303 or not location.startswith("/e/welkom"):
            return False
        status, _location, page = self._request("GET", "/e/vragen")
        return status == 200 and bool(self._token(page)) and self.cookie.startswith("session=")

    def send(self, answers: dict) -> bool:
        """Post the answers; True when she sees the thank-you page."""
        body = urllib.parse.urlencode({**answers, "csrf_token": self.token})
        status, location, _page = self._request("POST", "/e/vragen", body)
        if status != 303 or not location.startswith("/e/bedankt"):
            return False
        status, _location, page = self._request("GET", location)
        return status == 200 and "Dank je wel!" in page
