"""Crash safety: every answer she was thanked for survives the server being killed (kill -9).

A real server in a subprocess on 127.0.0.1 and the test's database; phones open forms and send
while it is killed without warning; after a restart every thanked answer is there, and the
phones whose form was open send theirs (their form session lives in their cookie).
"""

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from tests.evaluations.conftest import SECRET, Phone
from veiligthuis.evaluations.models import Answer
from veiligthuis.extensions import db

# the server is another process, on the real clock
pytestmark = pytest.mark.real_clock

SERVER = """
import sys
from werkzeug.serving import make_server
from veiligthuis import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": sys.argv[2],
                  "WTF_CSRF_ENABLED": False, "TESTING": False})
server = make_server("127.0.0.1", 0, app, threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


def _start(url: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, url, SECRET],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    port = process.stdout.readline().strip()
    assert port.isdigit(), "the server did not start"
    return process, f"http://127.0.0.1:{port}"


def _stop(process: subprocess.Popen) -> None:
    process.wait(timeout=10)
    if not process.stdout.closed:
        process.stdout.close()


def _send(phone: Phone, marker: str) -> bool:
    try:
        return phone.send({"q-gehoord": "4", "q-opmerking": marker})
    except (OSError, http.client.HTTPException):  # the server died under her, mid-answer too
        return False


def test_kill_9_under_load_loses_no_thanked_answer(app, eval_group, open_round):
    group = eval_group()
    round_, codes = open_round(group, "sessie", number=1, count=30)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    process, base = _start(url)
    thanked: list[str] = []
    lock = threading.Lock()
    try:
        phones = [Phone(base) for _ in codes]
        assert all(phone.open_form(code) for phone, code in zip(phones, codes, strict=True))

        def send(args):
            index, phone = args
            if _send(phone, f"antwoord {index}"):
                with lock:
                    thanked.append(f"antwoord {index}")

        with ThreadPoolExecutor(max_workers=6) as pool:
            futures = [pool.submit(send, pair) for pair in enumerate(phones)]
            while len(thanked) < 8:
                time.sleep(0.005)
            os.kill(process.pid, signal.SIGKILL)  # in the middle of the others sending
            _stop(process)
            for future in futures:
                future.result()
        assert 8 <= len(thanked) < len(codes)
        db.session.expire_all()
        stored = set(
            db.session.scalars(sa.select(Answer.value_text).where(Answer.value_text.is_not(None)))
        )
        assert set(thanked) <= stored

        # after a restart, the phones that were still waiting send their answers
        process, base = _start(url)
        for index, phone in enumerate(phones):
            marker = f"antwoord {index}"
            if marker not in stored:
                phone.host, phone.port = "127.0.0.1", int(base.rsplit(":", 1)[1])
                assert _send(phone, marker), marker
        db.session.expire_all()
        texts = db.session.scalars(
            sa.select(Answer.value_text).where(Answer.value_text.is_not(None))
        ).all()
        assert sorted(texts) == sorted(f"antwoord {i}" for i in range(len(codes)))
    finally:
        if process.poll() is None:
            process.kill()
        _stop(process)
