"""Attacks on her anonymity by someone who has the server's files or logs (adversary B).

No code travels in an address; from the tables nobody can tell who answered what, or when; and
replaying SQLite's write-ahead log commit by commit, no commit holds both a code becoming used
and answers. On PostgreSQL the same holds for the transaction stamps (xmin) and row order (ctid).
"""

import re
import shutil
import sqlite3
import struct
from pathlib import Path

import sqlalchemy as sa

from tests.evaluations.conftest import send_form, start_form
from veiligthuis.evaluations import documents, service
from veiligthuis.evaluations.models import Answer, EvaluationCode
from veiligthuis.extensions import db

ANSWERS = {"q-veilig_in_groep": "4", "q-kon_zeggen": "3", "q-bruikbaar": "5", "q-gehoord": "2"}


def _is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


# --- the code in addresses -------------------------------------------------------------------


def test_no_address_carries_the_code(client, eval_group, open_round):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=3)
    code = service.format_code(codes[0])
    # the old addresses open nothing, and a code in the query is not even looked at
    assert client.get(f"/e/{code}").status_code == 404
    assert client.get(f"/e/{code}/vragen").status_code == 404
    assert client.post(f"/e/{code}/vragen", data=ANSWERS).status_code == 404
    assert code not in client.get(f"/e?code={code}").get_data(as_text=True)
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(EvaluationCode.is_used.is_(True))) == 0
    )
    # she types it: a POST, then addresses without it
    opened = start_form(client, code)
    assert opened.status_code == 303 and code not in opened.headers["Location"]
    for url in ["/e/welkom", "/e/vragen"]:
        html = client.get(url).get_data(as_text=True)
        assert code not in html and codes[0] not in html
        for target in re.findall(r'(?:href|action|formaction)="([^"]*)"', html):
            assert codes[0] not in target.replace("-", "").upper()
    sent = client.post("/e/vragen", data=ANSWERS)
    assert sent.status_code == 303 and codes[0] not in sent.headers["Location"]
    # the slips' QR codes put it in the fragment, which a browser never sends
    assert documents.code_url("https://vragen.example.org", codes[1]) == (
        f"https://vragen.example.org/e#{service.format_code(codes[1])}"
    )


def test_the_enter_code_page_posts_and_its_script_posts_the_fragment(client):
    page = client.get("/e").get_data(as_text=True)
    assert re.search(r'<form method="post" action="/e"[^>]*id="code-form"', page)
    script = Path(client.application.static_folder, "js", "exit.js").read_text()
    assert "location.hash" in script and "replaceState" in script and "form.submit()" in script


# --- storage order ---------------------------------------------------------------------------


def _send_eight(client, codes) -> list[str]:
    markers = [f"vrouw {k}" for k in range(8)]
    for code, marker in zip(codes, markers, strict=True):
        phone = client.application.test_client()
        assert send_form(phone, code, {**ANSWERS, "q-opmerking": marker}).status_code == 303
    return markers


def test_storage_order_tells_neither_order_nor_who(client, eval_group, open_round):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=8)
    markers = _send_eight(client, codes)
    order = "ctid" if not _is_sqlite() else None
    with db.engine.connect() as connection:
        if _is_sqlite():
            # no rowid to sort by: the table keeps rows in the order of their random ids
            try:
                connection.execute(sa.text("SELECT rowid FROM evaluation_answers"))
            except sa.exc.OperationalError:
                pass
            else:
                raise AssertionError("evaluation_answers still has a rowid")
            connection.rollback()
        sql = "SELECT question_id, value_text FROM evaluation_answers"
        rows = connection.execute(sa.text(sql + (f" ORDER BY {order}" if order else ""))).all()
        if not _is_sqlite():
            stamps = connection.execute(
                sa.text("SELECT count(DISTINCT xmin::text) FROM evaluation_answers")
            ).scalar()
            assert stamps == 1  # one transaction stamp for all: the last rewrite
    assert len(rows) == 8 * 5
    texts = [text for qid, text in rows if qid == "opmerking"]
    assert sorted(texts) == sorted(markers) and texts != markers
    # sent in blocks of five (one woman), not stored in blocks of five
    questions = [qid for qid, _text in rows]
    blocks = [tuple(sorted(questions[i : i + 5])) for i in range(0, len(questions), 5)]
    assert len(set(blocks)) > 1


# --- replaying the write-ahead log -------------------------------------------------------------


def _wal_commits(wal: bytes) -> list[int]:
    """Byte lengths of the WAL up to and including each commit frame."""
    page_size = struct.unpack(">I", wal[8:12])[0]
    frame = 24 + page_size
    ends = []
    for offset in range(32, len(wal) - frame + 1, frame):
        if struct.unpack(">I", wal[offset + 4 : offset + 8])[0]:  # "db size after commit"
            ends.append(offset + frame)
    return ends


def _state(path: Path) -> tuple[set, set]:
    connection = sqlite3.connect(path)
    try:
        used = {
            r[0] for r in connection.execute("SELECT code_hash FROM evaluation_codes WHERE is_used")
        }
        answers = {r[0] for r in connection.execute("SELECT id FROM evaluation_answers")}
    finally:
        connection.close()
    return used, answers


def _replay(database: Path, tmp_path: Path) -> list[tuple[set, set]]:
    """The database's state after every commit in its WAL, oldest first."""
    wal = Path(f"{database}-wal").read_bytes()
    states = []
    for n, end in enumerate(_wal_commits(wal)):
        copy = tmp_path / f"replay{n}.sqlite3"
        shutil.copyfile(database, copy)
        Path(f"{copy}-wal").write_bytes(wal[:end])
        states.append(_state(copy))
    return states


def _database_file() -> Path:
    return Path(db.engine.url.database)


def test_no_commit_holds_a_used_code_and_answers(client, eval_group, open_round, tmp_path):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=9)
    if _is_sqlite():
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    _send_eight(client, codes[:8])
    if _is_sqlite():
        states = _replay(_database_file(), tmp_path)
        assert len(states) >= 16  # eight openings and eight sendings, at least
        mixed = []
        for (used_before, answers_before), (used, answers) in zip(states, states[1:], strict=False):
            if used - used_before and answers - answers_before:
                mixed.append(len(used - used_before))
        assert mixed == []
        assert len(states[-1][0]) == 8 and len(states[-1][1]) == 8 * 5
        # the replay does see it when one commit does hold both (as sending did before)
        today = service.today_local()
        _round_id, nonce = service.open_form(db.session, codes[8], secret="test", today=today)
        service.submit_answers(db.session, round_, nonce, {"gehoord": 3}, today=today)
        db.session.commit()
        (used_before, answers_before), (used, answers) = _replay(_database_file(), tmp_path)[-2:]
        assert used - used_before and answers - answers_before
    else:
        with db.engine.connect() as connection:
            code_stamps = set(
                connection.execute(
                    sa.text("SELECT xmin::text FROM evaluation_codes WHERE is_used")
                ).scalars()
            )
            answer_stamps = set(
                connection.execute(sa.text("SELECT xmin::text FROM evaluation_answers")).scalars()
            )
        assert len(code_stamps) == 8 and not code_stamps & answer_stamps


def test_the_service_never_marks_a_code_in_the_commit_that_stores_answers(eval_group, open_round):
    """Every statement of the sending transaction, as the database sees it: none on codes."""
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=2)
    today = service.today_local()
    _round_id, nonce = service.open_form(db.session, codes[0], secret="test", today=today)
    db.session.commit()
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        service.submit_answers(db.session, round_, nonce, {"gehoord": 3}, today=today)
        db.session.commit()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert any("INSERT INTO evaluation_answers" in s for s in statements)
    assert not [s for s in statements if "evaluation_codes" in s]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 1
