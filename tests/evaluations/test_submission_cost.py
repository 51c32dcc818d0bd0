"""What a submission costs the database: opening the form with a fresh code and sending the
answers run a fixed, small number of statements (the benchmark's submissions depend on it)."""

import sqlalchemy as sa

from tests.conftest import count_queries
from tests.evaluations.conftest import start_form
from veiligthuis.evaluations.models import Answer, EvaluationCode
from veiligthuis.extensions import db


def test_a_fresh_code_opens_the_form_in_three_statements(client, eval_group, open_round):
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    with count_queries(db.engine) as opening:
        assert start_form(client, codes[0]).status_code == 303
    # the guessing check, the one UPDATE that uses the code up and names its round, and the new
    # data version token (veiligthuis.changes) that tells cached figures they are stale
    assert opening() == 3
    used = sa.select(sa.func.count()).where(EvaluationCode.is_used.is_(True))
    assert db.session.scalar(used) == 1


def test_sending_the_answers_takes_six_statements_on_sqlite(client, eval_group, open_round):
    group = eval_group()
    _round, codes = open_round(group, "sessie", number=1, count=3)
    start_form(client, codes[0])
    with count_queries(db.engine) as sending:
        sent = client.post("/e/vragen", data={"q-veilig_in_groep": "4"})
    assert sent.status_code == 303
    # the round with its questions, the lock that also checks it is open, the form's use
    # (looked up, then stored), the answers in one INSERT and the new data version token;
    # PostgreSQL also reads and deletes the round's earlier answers to write them all again in a
    # new random order
    rewrite = 0 if db.engine.dialect.name == "sqlite" else 2
    assert sending() == 6 + rewrite
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 1
