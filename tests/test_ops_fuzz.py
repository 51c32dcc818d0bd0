"""Hostile input on every route, for every role: NUL bytes, 20-digit ids, long strings, RTL
overrides and emoji in every form and query parameter and in the URL. None may be a 500."""

import itertools
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter
from wtforms.fields.core import UnboundField

from tests.conftest import login
from tests.evaluations.conftest import eval_group, methodiek_version, open_round, send_form  # noqa: F401
from veiligthuis.evaluations.models import Answer
from veiligthuis.extensions import db

HUGE = "9" * 20
# longer than every String(n) column, right to left (cheap to encode: the suite stays fast)
LONG = "\u202e" + "gnol" * 150 + "\u202c"
HOSTILE = ["a\x00b", HUGE, "-" + HUGE, LONG, "👩‍👩‍👧🌈\x00"]
SOURCE = Path(__file__).resolve().parents[1] / "veiligthuis"
RAW_PARAMETER = re.compile(r"request\.(?:form|args)\.get(?:list)?\(\s*\"(\w+)\"")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def field_names(question_sets) -> list[str]:
    """Every parameter a view reads: form fields, raw request reads, and question ids."""
    names = {"csrf_token"}
    for form in _subclasses(FlaskForm):
        for cls in form.__mro__:
            names.update(k for k, v in vars(cls).items() if isinstance(v, UnboundField))
    for path in SOURCE.rglob("*.py"):
        names.update(RAW_PARAMETER.findall(path.read_text(encoding="utf-8")))
    for data in question_sets:
        names.update(f"q-{qid}" for qid in _question_ids(data))
    names.discard("csrf_token")  # CSRF is off in tests; a junk token only tests Flask-WTF
    return sorted(names)


def _question_ids(data) -> set[str]:
    found = set()
    if isinstance(data, dict):
        if isinstance(data.get("id"), str):
            found.add(data["id"])
        for value in data.values():
            found |= _question_ids(value)
    elif isinstance(data, list):
        for value in data:
            found |= _question_ids(value)
    return found


@pytest.fixture
def world(make_user, eval_group, open_round, make_participant):  # noqa: F811
    coordinator = make_user("coordinator")
    case_worker = make_user("case_worker")
    editor = make_user("editor")
    group = eval_group()
    participant = make_participant(group, case_worker=case_worker)
    round_, codes = open_round(group, count=4)
    return {
        "coordinator": coordinator,
        "facilitator": group.facilitator_a,
        "case_worker": case_worker,
        "editor": editor,
        "group": group,
        "participant": participant,
        "round": round_,
        "codes": codes,
        "version": group.methodiek_version_id,
    }


def _valid(name, world):
    known = {
        "group_id": world["group"].id,
        "participant_id": world["participant"].id,
        "round_id": world["round"].id,
        "version_id": world["version"],
        "user_id": world["facilitator"].id,
        "location_id": world["group"].location_id,
        "number": 1,
        "code": world["codes"][0],
        "kind": "sessie",
    }
    return known.get(name, 1)


def _urls(rule, world):
    """The rule with valid arguments, then with each integer argument 20 digits long."""
    args = sorted(rule.arguments)
    base = {name: _valid(name, world) for name in args}
    yield rule.build(base, append_unknown=False)[1]
    for name in args:
        if isinstance(rule._converters[name], IntegerConverter):
            yield rule.build(base, append_unknown=False)[1].replace(f"/{base[name]}", f"/{HUGE}", 1)
        else:
            yield rule.build(dict(base, **{name: "a\u202e😀" + HUGE}), append_unknown=False)[1]


ROLES = ["anonymous", "coordinator", "facilitator", "case_worker", "editor"]


@pytest.mark.parametrize("role", ROLES)
def test_hostile_values_in_every_parameter_never_answer_500(app, client, world, role, monkeypatch):
    # a 500 is an answer here, as in production, so that one run lists them all
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    if role != "anonymous":
        login(client, world[role])
    question_sets = [qs.data for qs in world["round"].question_set.version.question_sets]
    names = field_names(question_sets)
    offsets = itertools.count()
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in {"static", "auth.logout"}:
            continue
        for url, method in itertools.product(_urls(rule, world), sorted(rule.methods)):
            if method in {"HEAD", "OPTIONS"}:
                continue
            # each field gets each kind of junk in turn, every request holds all kinds
            offset = next(offsets)
            data = {n: HOSTILE[(i + offset) % len(HOSTILE)] for i, n in enumerate(names)}
            if method == "GET":
                response = client.get(url, query_string=data)
            else:
                response = client.open(url, method=method, data=data)
            if response.status_code >= 500:
                failures.append((method, url[:80], offset, response.status_code))
    assert failures == []


def test_a_nul_in_her_answer_is_stored_without_it(app, client, world):
    code = world["codes"][1]
    question_set = world["round"].question_set
    questions = {q["id"]: q for q in _questions(question_set.data) if "type" in q}
    text_id = next(qid for qid, q in questions.items() if q["type"] == "text")
    scale_id = next(qid for qid, q in questions.items() if q["type"] == "scale")
    response = send_form(
        client, code, {f"q-{text_id}": "goed\x00 gesprek", f"q-{scale_id}": "4\x00"}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    with app.app_context():
        stored = {a.question_id: a for a in db.session.scalars(sa.select(Answer))}
    assert stored[text_id].value_text == "goed gesprek"
    assert stored[scale_id].value_int == 4


def _questions(data):
    found = []
    if isinstance(data, dict):
        if isinstance(data.get("id"), str):
            found.append(data)
        for value in data.values():
            found.extend(_questions(value))
    elif isinstance(data, list):
        for value in data:
            found.extend(_questions(value))
    return found
