"""The neutral notice mail: who gets it, what it (does not) say, SMTP and the mail folder."""

import email
import email.policy
import socketserver
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import abort

from tests.conftest import emptied_folder
from tests.support.conftest import local_day
from veiligthuis.extensions import db
from veiligthuis.sessions.models import Attendance
from veiligthuis.signals import attendance_recorded
from veiligthuis.support import mail, service
from veiligthuis.support.models import Signal
from veiligthuis.wording import find_sensitive_words


@pytest.fixture
def mail_folder(app):
    yield from emptied_folder(app.config["MAIL_FOLDER"])


def _mails(folder: Path) -> list[email.message.EmailMessage]:
    if not folder.exists():
        return []
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def _recent(support_setup, n):
    """A group whose third meeting was this week (attendance needs a meeting that started),
    still too young for a "no contact" signal to muddle the count."""
    return support_setup(n=n, first_date=service.today_local() - timedelta(days=17))


def _wants_mail(user):
    service.set_signal_mail(db.session, user, True)
    db.session.commit()


def _grid(client, group, marks):
    data = {}
    by_number = {gs.number: gs for gs in group.active_sessions}
    for (participant, number), status in marks.items():
        data[f"a-{participant.id}-{by_number[number].id}"] = status
    response = client.post(f"/groepen/{group.id}/presentie", data=data)
    assert response.status_code == 302


def test_a_new_signal_mails_her_case_worker_without_participant_details(
    support_setup, login_as, mail_folder, app
):
    s = _recent(support_setup, 1)
    (her,) = s.clients
    her.email = "deelnemer@example.net"  # her own address: never used
    db.session.commit()
    _wants_mail(s.worker)
    client = login_as(s.facilitator)
    _grid(client, s.group, {(her, 1): "absent"})
    gs = s.group.active_sessions[0]
    note = "Blauwe plek op de arm, zei dat ze gevallen was"
    response = client.post(
        f"/groepen/{s.group.id}/bijeenkomsten/1/zorgsignaal",
        data={
            "care-participant_id": str(her.id),
            "care-care_date": min(local_day(gs), service.today_local()).isoformat(),
            "care-category": "safety",
            "care-informed": "coördinator",
            "care-note": note,
        },
    )
    assert response.status_code == 302
    mails = _mails(mail_folder)
    assert len(mails) == 2  # one for the absence, one for the care signal
    for message in mails:
        assert message["Subject"] == "Nieuw bericht in de planner"
        assert message["To"] == s.worker.email
        assert message["From"] == app.config["MAIL_SENDER"]
        body = message.get_content()
        assert app.config["PUBLIC_BASE_URL"] + "/inloggen" in body
        raw = message.as_string()
        for detail in (
            her.alias,
            her.code,
            s.group.name,
            s.group.public_title,
            s.group.location.name,
            note,
            "coördinator",
            "afwezig",
            "zorg",
            "deelnemer@example.net",
        ):
            assert detail.lower() not in raw.lower(), detail
        assert find_sensitive_words(raw) == []
    names = [path.name for path in mail_folder.glob("*.eml")]
    assert all(her.code not in name and s.worker.email not in name for name in names)


def test_no_mail_without_her_preference_or_without_a_new_signal(
    support_setup, login_as, mail_folder
):
    s = _recent(support_setup, 1)
    (her,) = s.clients
    client = login_as(s.facilitator)
    _grid(client, s.group, {(her, 1): "absent"})
    assert _mails(mail_folder) == []
    _wants_mail(s.worker)
    _grid(client, s.group, {(her, 1): "absent", (her, 2): "present"})  # nothing new
    assert _mails(mail_folder) == []
    _grid(client, s.group, {(her, 3): "absent"})
    assert len(_mails(mail_folder)) == 1


def test_external_case_workers_and_participants_get_no_mail(
    support_setup, make_participant, login_as, mail_folder
):
    s = _recent(support_setup, 0)
    her = make_participant(s.group)
    her.external_case_worker_name = "Anja"
    her.external_case_worker_contact = "anja@wijkteam.example"
    her.email = "zij@example.net"
    db.session.commit()
    client = login_as(s.facilitator)
    _grid(client, s.group, {(her, 1): "absent", (her, 2): "absent"})
    assert _mails(mail_folder) == []
    assert service.mail_recipients(db.session, [her.id]) == []


def test_a_disabled_account_gets_no_mail(support_setup, mail_folder):
    s = _recent(support_setup, 1)
    _wants_mail(s.worker)
    s.worker.is_enabled = False
    db.session.commit()
    assert service.mail_recipients(db.session, [s.clients[0].id]) == []


def test_notices_go_to_staff_accounts_only(app, support_setup):
    s = _recent(support_setup, 1)
    with pytest.raises(TypeError):
        mail.notify_staff(app.config, [s.clients[0]])


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: records each message it is given."""

    def handle(self):
        self.wfile.write(b"220 test ESMTP\r\n")
        sender, recipients, lines, in_data = None, [], [], False
        while line := self.rfile.readline():
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    self.server.received.append((sender, recipients, b"".join(lines)))
                    in_data, lines, recipients = False, [], []
                    self.wfile.write(b"250 queued\r\n")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            command = line.strip().decode()
            upper = command.upper()
            if upper.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 test\r\n")
            elif upper.startswith("MAIL FROM:"):
                sender = command[10:].strip(" <>")
                self.wfile.write(b"250 ok\r\n")
            elif upper.startswith("RCPT TO:"):
                recipients.append(command[8:].strip(" <>"))
                self.wfile.write(b"250 ok\r\n")
            elif upper == "DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif upper == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_smtp_delivery_when_a_server_is_configured(
    app, support_setup, login_as, smtp_server, mail_folder, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_server.server_address[1])
    s = _recent(support_setup, 1)
    (her,) = s.clients
    _wants_mail(s.worker)
    _grid(login_as(s.facilitator), s.group, {(her, 2): "absent"})
    assert len(smtp_server.received) == 1
    sender, recipients, data = smtp_server.received[0]
    assert sender == app.config["MAIL_SENDER"] and recipients == [s.worker.email]
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["Subject"] == "Nieuw bericht in de planner"
    assert her.alias not in message.as_string()
    assert _mails(mail_folder) == []  # with a server nothing goes to the folder


def test_a_failing_mail_server_does_not_break_the_save(
    app, support_setup, login_as, monkeypatch, caplog
):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    s = _recent(support_setup, 1)
    (her,) = s.clients
    _wants_mail(s.worker)
    _grid(login_as(s.facilitator), s.group, {(her, 2): "absent"})
    import sqlalchemy as sa

    from veiligthuis.support.models import Signal

    assert db.session.scalars(sa.select(Signal.kind)).all() == ["absence_without_notice"]
    assert "not sent" in caplog.text


def test_attendance_opens_the_signal_and_mails_only_after_the_commit(
    support_setup, login_as, mail_folder, app, monkeypatch
):
    s = _recent(support_setup, 1)
    (her,) = s.clients
    _wants_mail(s.worker)
    committed_at_mail_time = []
    real_deliver = mail.deliver

    def deliver_and_look(config, message):
        # A connection of its own sees only committed rows: the signal must be there already.
        with db.engine.connect() as connection:
            committed_at_mail_time.append(
                connection.scalar(sa.select(sa.func.count()).select_from(Signal))
            )
        real_deliver(config, message)

    monkeypatch.setattr(mail, "deliver", deliver_and_look)
    _grid(login_as(s.facilitator), s.group, {(her, 1): "absent"})
    assert db.session.scalars(sa.select(Signal.kind)).all() == ["absence_without_notice"]
    assert committed_at_mail_time == [1]
    assert len(_mails(mail_folder)) == 1


def test_a_request_that_fails_after_recording_attendance_sends_no_mail(
    support_setup, login_as, mail_folder
):
    s = _recent(support_setup, 1)
    (her,) = s.clients
    _wants_mail(s.worker)

    def fail_later(_group, **_kwargs):
        abort(500)  # something after support's receiver goes wrong: the request rolls back

    attendance_recorded.connect(fail_later)
    try:
        gs = s.group.active_sessions[0]
        response = login_as(s.facilitator).post(
            f"/groepen/{s.group.id}/presentie", data={f"a-{her.id}-{gs.id}": "absent"}
        )
    finally:
        attendance_recorded.disconnect(fail_later)
    assert response.status_code == 500
    assert db.session.scalars(sa.select(Signal)).all() == []
    assert db.session.scalars(sa.select(Attendance)).all() == []
    assert _mails(mail_folder) == []
