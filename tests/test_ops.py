"""Operations: health endpoint, JSON request logs, security headers from the settings, backup."""

import json
import logging

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import login
from veiligthuis import create_app
from veiligthuis.backup import libpq_command
from veiligthuis.extensions import db
from veiligthuis.logs import LOGGER_NAME, JsonLines


def test_health_answers_ok_and_nothing_else(client):
    response = client.get("/gezond")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.headers["Cache-Control"] == "no-store"


def test_health_says_unhealthy_without_detail_when_the_database_is_gone(tmp_path):
    broken = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/folder/db.sqlite3",
        }
    )
    response = broken.test_client().get("/gezond")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "niet gezond\n"


def test_an_sqlite_commit_is_on_disk_before_the_request_answers(tmp_path):
    """WAL with a sync of the log at every commit, foreign keys on, freed space zeroed: on
    every connection the app opens, not only on SQLite builds whose defaults happen to be so."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db",
        }
    )
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            pragmas = {
                name: connection.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("journal_mode", "synchronous", "foreign_keys", "secure_delete")
            }
        finally:
            connection.close()
    # synchronous 2 is FULL; 1 (NORMAL) skips the sync of the WAL at commit
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "secure_delete": 1,
    }


def _request_lines(caplog):
    return [r for r in caplog.records if r.name == LOGGER_NAME and r.msg == "request"]


def test_request_log_has_no_code_no_query_and_no_participant_path(client, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    client.get("/e/ABCD-EFGH-JKLM/vragen?taal=ar&code=ABCD-EFGH-JKLM")
    client.get("/e?code=QWER-TYUI")
    lines = [json.loads(JsonLines().format(r)) for r in _request_lines(caplog)]
    assert len(lines) == 2
    for line in lines:
        assert line["route"] == "/e" and line["endpoint"] == "participant"
        assert len(line["request_id"]) == 32 and line["duration_ms"] >= 0
        text = json.dumps(line)
        assert "ABCD" not in text and "QWER" not in text and "taal" not in text
    # the old code address is gone (404); a code in the query opens nothing, only the form (200)
    assert [line["status"] for line in lines] == [404, 200]


def test_staff_request_log_names_the_route_template_not_the_ids(client, make_group, caplog):
    group = make_group(participants=1)
    login(client, group.facilitator_a)
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    participant = group.participants[0]
    response = client.get(f"/groepen/{group.id}/deelnemers/{participant.id}?x=1")
    assert response.status_code == 200
    (record,) = [r for r in _request_lines(caplog) if r.endpoint == "groups.participant_detail"]
    assert record.route == "/groepen/<int:group_id>/deelnemers/<int:participant_id>"
    assert record.status == 200 and record.endpoint
    assert participant.alias not in JsonLines().format(record)
    assert response.headers["X-Request-ID"] == record.request_id


def test_a_slow_request_gets_a_warning_line(app, client, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "SLOW_REQUEST_MS", -1)
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    client.get("/inloggen")
    slow = [r for r in caplog.records if r.msg == "slow_request"]
    assert len(slow) == 1 and slow[0].levelno == logging.WARNING and slow[0].route == "/inloggen"
    monkeypatch.setitem(app.config, "SLOW_REQUEST_MS", 60_000)
    caplog.clear()
    client.get("/inloggen")
    assert [r for r in caplog.records if r.msg == "slow_request"] == []


def test_a_proxy_request_id_is_kept_only_when_harmless(client):
    assert client.get("/gezond", headers={"X-Request-ID": "abcdef12-3456"}).headers[
        "X-Request-ID"
    ] == ("abcdef12-3456")
    other = client.get("/gezond", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"]
    assert other != "<script>" and len(other) == 32


def test_hsts_is_off_by_default_and_a_setting_behind_tls(app, client, monkeypatch):
    response = client.get("/inloggen")
    assert "Strict-Transport-Security" not in response.headers
    assert "camera=()" in response.headers["Permissions-Policy"]
    monkeypatch.setitem(app.config, "HSTS_SECONDS", 31536000)
    monkeypatch.setitem(app.config, "PERMISSIONS_POLICY", "camera=()")
    response = client.get("/inloggen")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert response.headers["Permissions-Policy"] == "camera=()"


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HSTS_SECONDS", "63072000")
    monkeypatch.setenv("SLOW_REQUEST_MS", "750")
    from veiligthuis.config import load_config

    config = load_config(str(tmp_path))
    assert config["HSTS_SECONDS"] == 63072000 and config["SLOW_REQUEST_MS"] == 750


@pytest.mark.parametrize("program", ["pg_dump", "pg_restore"])
def test_the_postgres_password_travels_in_the_environment_never_in_argv(program):
    url = make_url("postgresql+psycopg://vt:Geheim%2Fwachtwoord@db.intern:5433/vt?sslmode=require")
    argv, env = libpq_command(program, url, "--format=custom", "--file=/tmp/x.dump")
    assert argv == [program, "--format=custom", "--file=/tmp/x.dump"]
    assert not any("Geheim" in a or "db.intern" in a for a in argv)
    assert env["PGPASSWORD"] == "Geheim/wachtwoord"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.intern",
        "5433",
        "vt",
        "vt",
    )
    assert env["PGSSLMODE"] == "require"


def test_an_error_is_logged_with_its_traceback_but_without_the_address(tmp_path, caplog):
    failing = create_app(
        {
            "TESTING": True,
            "PROPAGATE_EXCEPTIONS": False,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite3",
        }
    )

    def boom(code):
        raise RuntimeError("kapot")

    failing.add_url_rule("/e/<code>/kapot", "boom", boom)
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    assert failing.test_client().get("/e/WXYZ-2345/kapot?taal=nl").status_code == 500
    (record,) = [r for r in caplog.records if r.msg == "exception"]
    line = json.loads(JsonLines().format(record))
    assert line["route"] == "/e" and line["level"] == "ERROR" and "RuntimeError" in line["exc"]
    assert "WXYZ" not in json.dumps(line) and "taal" not in json.dumps(line)
    assert not [r for r in caplog.records if "Exception on" in r.getMessage()]


def test_input_cleaning_keeps_repeated_values_and_every_shape_of_input():
    from veiligthuis.inputs import CleanMultiDict

    cleaned = CleanMultiDict({"a": ["x\x00", "y"], "b\x00": "z"})
    assert cleaned.getlist("a") == ["x", "y"] and cleaned["b"] == "z"
    assert CleanMultiDict([("n", "9" * 20)]).get("n", type=int) is None
    assert CleanMultiDict([("n", str(2**63 - 1))]).get("n", type=int) == 2**63 - 1
    assert CleanMultiDict().get("n") is None
