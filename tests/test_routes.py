"""Every route, every role: no 500 on junk input, CSRF on every POST, and the access matrix."""

import re

import pytest

from tests.conftest import PASSWORD, csrf_token_from, login
from veiligthuis import create_app
from veiligthuis.extensions import db

JUNK_STRINGS = ["../../etc/passwd", "%00", "ä" * 300, "<script>alert(1)</script>", "' OR 1=1 --"]
JUNK_FORM = {
    "name": "x" * 5000,
    "email": "geen-adres",
    "first_date": "2026-02-31",
    "start_time": "99:99",
    "weekday": "9",
    "location_id": "abc",
    "room_id": "-1",
    "status": "<b>",
    "alias": "\x00",
    "code": "../x",
    "new_date": "morgen",
    "new_time": "nu",
    "scope": "alles",
    "reason": "",
    "minutes": "-5",
    "revision": "abc",
    "number": "0",
    "taal": "xx",
    "file": "nope",
}


@pytest.fixture
def world(make_user, make_group, make_participant):
    """One of everything, and a user per role."""
    coordinator = make_user("coordinator")
    case_worker = make_user("case_worker")
    editor = make_user("editor")
    group = make_group(participants=6)
    participant = make_participant(group, case_worker=case_worker)
    return {
        "coordinator": coordinator,
        "facilitator": group.facilitator_a,
        "case_worker": case_worker,
        "editor": editor,
        "group": group,
        "participant": participant,
    }


def _arg_values(name, converter, world):
    group, participant = world["group"], world["participant"]
    known = {
        "group_id": [group.id, 999999],
        "participant_id": [participant.id, 999999],
        "number": [1, 13, 0],
        "user_id": [world["facilitator"].id, 999999],
        "location_id": [group.location_id, 999999],
    }
    if name in known:
        return known[name]
    if converter == "IntegerConverter":
        return [1, 999999]
    return ["onbekend", *JUNK_STRINGS[:2]]


def _urls(app, world):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        args = sorted(rule.arguments)
        options = [_arg_values(a, type(rule._converters[a]).__name__, world) for a in args]
        combos = [{}]
        for name, values in zip(args, options, strict=True):
            combos = [dict(c, **{name: v}) for c in combos for v in values]
        for values in combos[:6]:
            try:
                url = rule.build(values, append_unknown=False)[1]
            except Exception:  # a junk value a converter refuses to build
                continue
            yield rule, url


@pytest.mark.parametrize(
    "role", ["anonymous", "coordinator", "facilitator", "case_worker", "editor"]
)
def test_no_route_answers_500_to_junk(app, client, world, role):
    if role != "anonymous":
        login(client, world[role])
    failures = []
    for rule, url in _urls(app, world):
        if rule.endpoint in {"auth.logout"}:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "GET":
                responses = [
                    client.get(url),
                    client.get(url + "?status=<x>&code=%27&weergave=x&taal=zz&versie=abc"),
                ]
            else:
                responses = [client.post(url, data=JUNK_FORM), client.post(url, data={})]
            for response in responses:
                if response.status_code >= 500:
                    failures.append((method, url, response.status_code))
        db.session.rollback()
    assert failures == []


@pytest.fixture
def csrf_client(app, world):
    """A client of an app with CSRF switched on, logged in as coordinator through the form."""
    csrf_app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "csrf-test",
            "WTF_CSRF_ENABLED": True,
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
            "MAIL_FOLDER": app.config["MAIL_FOLDER"],
        }
    )
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/inloggen").get_data(as_text=True))
    response = client.post(
        "/inloggen",
        data={"email": world["coordinator"].email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    yield csrf_app, client
    with csrf_app.app_context():
        db.engine.dispose()


def test_every_post_route_rejects_a_missing_csrf_token(csrf_client, world):
    csrf_app, client = csrf_client
    post_rules = [r for r in csrf_app.url_map.iter_rules() if "POST" in r.methods]
    assert len(post_rules) >= 15
    checked = set()
    for rule, url in _urls(csrf_app, world):
        if "POST" not in rule.methods or rule.endpoint in checked:
            continue
        checked.add(rule.endpoint)
        response = client.post(url, data={"name": "zonder token"})
        assert response.status_code == 400, (rule.endpoint, response.status_code)
        assert "Het formulier is verlopen" in response.get_data(as_text=True)
    assert checked == {r.endpoint for r in post_rules}


def test_login_itself_needs_the_csrf_token(csrf_client, world):
    csrf_app, _client = csrf_client
    fresh = csrf_app.test_client()
    response = fresh.post(
        "/inloggen", data={"email": world["coordinator"].email, "password": PASSWORD}
    )
    assert response.status_code == 400


ROLES = ["anonymous", "coordinator", "facilitator", "other_facilitator", "case_worker", "editor"]
# (method, url template, expected status per role in ROLES order)
MATRIX = [
    ("GET", "/", [302, 200, 200, 200, 200, 200]),
    ("GET", "/groepen", [302, 200, 200, 200, 403, 403]),
    ("GET", "/groepen/nieuw", [302, 200, 200, 200, 403, 403]),
    ("GET", "/groepen/{group}", [302, 200, 200, 404, 404, 404]),
    ("GET", "/groepen/{group}/deelnemers", [302, 200, 200, 404, 404, 404]),
    ("GET", "/groepen/{group}/deelnemers/nieuw", [302, 200, 200, 404, 404, 404]),
    ("GET", "/groepen/{group}/deelnemers/{participant}", [302, 200, 200, 404, 200, 404]),
    ("POST", "/groepen/{group}/deelnemers/{participant}", [302, 302, 302, 404, 403, 404]),
    ("GET", "/groepen/{group}/presentie", [302, 200, 200, 404, 404, 404]),
    ("POST", "/groepen/{group}/presentie", [302, 302, 302, 404, 404, 404]),
    ("GET", "/groepen/{group}/bijeenkomsten/1", [302, 200, 200, 404, 404, 404]),
    ("POST", "/groepen/{group}/bijeenkomsten/1/aantekeningen", [302, 302, 302, 404, 404, 404]),
    # the coordinator started it: the facilitator after her is told so on the page (422)
    ("POST", "/groepen/{group}/starten", [302, 302, 422, 404, 404, 404]),
    ("GET", "/beheer", [302, 200, 403, 403, 403, 403]),
    ("GET", "/beheer/medewerkers", [302, 200, 403, 403, 403, 403]),
    ("GET", "/beheer/locaties", [302, 200, 403, 403, 403, 403]),
    ("GET", "/beheer/sluitingen", [302, 200, 403, 403, 403, 403]),
    ("GET", "/beheer/instellingen", [302, 200, 403, 403, 403, 403]),
    ("GET", "/beheer/audit", [302, 200, 403, 403, 403, 403]),
]


def test_role_route_matrix(app, world, make_user):
    world = dict(world, other_facilitator=make_user("facilitator"))
    group, participant = world["group"], world["participant"]
    problems = []
    for role_index, role in enumerate(ROLES):
        client = app.test_client()
        if role != "anonymous":
            login(client, world[role])
        for method, template, expected in MATRIX:
            url = template.format(group=group.id, participant=participant.id)
            data = {
                "notes": "x",
                "alias": participant.alias,
                "status": "active",
                "safe_channel": "phone",
            }
            response = client.get(url) if method == "GET" else client.post(url, data=data)
            if response.status_code != expected[role_index]:
                problems.append((role, method, url, response.status_code, expected[role_index]))
    assert problems == [], "\n".join(map(str, problems))


def test_anonymous_is_sent_to_login_with_return_address(client, world):
    response = client.get(f"/groepen/{world['group'].id}")
    assert response.status_code == 302
    assert re.search(r"/inloggen\?next=%2Fgroepen%2F\d+", response.location)
