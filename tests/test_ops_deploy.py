"""The deployment files do what docs/deployment.md says: the image's start command starts a
healthy app, the cron lines name real commands, and no log format keeps query strings."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import free_port
from tests.test_cli import _fresh_database_url

# the deployed server is another process, on the real clock
pytestmark = pytest.mark.real_clock

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"


def test_the_image_start_command_migrates_and_serves_a_healthy_app(app, tmp_path):
    import json
    import time
    import urllib.request

    cmd_line = next(
        line
        for line in (DEPLOY / "Containerfile").read_text().splitlines()
        if line.startswith("CMD")
    )
    command = json.loads(cmd_line.removeprefix("CMD"))
    assert command == ["sh", "deploy/entrypoint.sh"]
    url, drop = _fresh_database_url(app, tmp_path)
    port = free_port()
    env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        DATABASE_URL=url,
        SECRET_KEY="entrypoint-test",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        UPLOAD_FOLDER=str(tmp_path / "uploads"),
    )
    process = subprocess.Popen(command, cwd=REPO, env=env, stderr=subprocess.PIPE)
    try:
        deadline, status = time.monotonic() + 90, None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/gezond", timeout=2) as r:
                    status = r.status
                    break
            except OSError:
                time.sleep(0.3)
        assert status == 200, process.stderr.read1().decode() if process.poll() else "no answer"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/inloggen", timeout=10) as r:
            assert r.status == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()
        if drop:
            drop()


def test_the_cron_lines_name_commands_the_app_has(app):
    lines = [
        line
        for line in (DEPLOY / "cron" / "veiligthuis").read_text().splitlines()
        if "$VT " in line and not line.startswith("#")
    ]
    assert len(lines) == 4
    commands = app.cli.list_commands(None)
    for line in lines:
        words = shlex.split(line.split("$VT ", 1)[1].split("&&")[0])
        group = app.cli.get_command(None, words[0])
        assert words[0] in commands, line
        if hasattr(group, "get_command") and len(words) > 1:
            assert group.get_command(None, words[1]) is not None, line


def test_no_log_format_keeps_query_strings_or_participant_paths():
    nginx = (DEPLOY / "nginx" / "veiligthuis.conf").read_text()
    log_format = re.search(r"log_format veiligthuis (.*?);", nginx, re.S).group(1)
    for variable in ("$request ", "$request_uri", "$args", "$query_string", "$uri"):
        assert variable not in log_format
    assert "$vt_logged_path" in log_format and '~^/e(/|$)   "/e"' in nginx
    conf = (DEPLOY / "gunicorn.conf.py").read_text()
    assert "accesslog = None" in conf
