"""Evaluation fixtures: a published methodiek version holding the real question files, a group
pinned to it, and helpers to open rounds and answer them through the service."""

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
        service.submit_answers(
            db.session, round_, code, values, secret=SECRET, today=today or service.today_local()
        )
        db.session.commit()

    return do


def pearlin_values(score_each: int = 3, **overrides) -> dict:
    """Answers to the voor-na set: every item ``score_each`` unless overridden."""
    values = {f"pm{i}": score_each for i in range(1, 8)}
    values.update({f"eigen{i}": score_each for i in range(1, 7)})
    values.update(overrides)
    return values


TODAY = date.today()
