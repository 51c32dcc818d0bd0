"""A neutral e-mail to a case worker when a signal opens.

The mail says nothing about the participant, the group or the signal: a staff mailbox can be
read over a shoulder or forwarded. It carries a neutral subject and a link to log in. Without
MAIL_SERVER (development, tests) every mail is written as an .eml file to MAIL_FOLDER.
"""

import logging
import secrets
import smtplib
import ssl
from collections.abc import Iterable, Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from veiligthuis.auth.models import User
from veiligthuis.models import utcnow

logger = logging.getLogger(__name__)

SUBJECT = "Nieuw bericht in de planner"
BODY = """Goedendag,

Er staat een nieuw bericht voor u klaar in de planner. Log in om het te bekijken:

{link}

Dit bericht is automatisch verstuurd; u kunt er niet op antwoorden.
U kunt deze berichten uitzetten op uw pagina in de planner.
"""


def login_link(config: Mapping) -> str:
    """The address of the login page, from PUBLIC_BASE_URL."""
    return config["PUBLIC_BASE_URL"].rstrip("/") + "/inloggen"


def build_notice(config: Mapping, recipient: str) -> EmailMessage:
    """The neutral notice for one staff address."""
    message = EmailMessage()
    message["Subject"] = SUBJECT
    message["From"] = config["MAIL_SENDER"]
    message["To"] = recipient
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=config.get("PUBLIC_HOST") or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(BODY.format(link=login_link(config)))
    return message


def deliver(config: Mapping, message: EmailMessage) -> None:
    """Send ``message`` over SMTP, or write it to MAIL_FOLDER when no server is set."""
    server = config.get("MAIL_SERVER") or ""
    if not server:
        folder = Path(config["MAIL_FOLDER"])
        folder.mkdir(parents=True, exist_ok=True)
        # The file name tells nothing about whom it is for.
        path = folder / f"{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(6)}.eml"
        path.write_bytes(bytes(message))
        path.chmod(0o600)
        return
    with smtplib.SMTP(server, int(config.get("MAIL_PORT") or 25), timeout=15) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def notify_staff(config: Mapping, recipients: Iterable[User]) -> int:
    """Mail each staff member once; returns how many mails went out.

    A failing mail server is logged and never breaks the request: the signal is saved anyway
    and shows on her dashboard.
    """
    sent = 0
    seen: set[str] = set()
    for user in recipients:
        if not isinstance(user, User):  # staff accounts only, never a participant's address
            raise TypeError("notices go to staff accounts only")
        address = user.email.strip()
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        try:
            deliver(config, build_notice(config, address))
        except (OSError, smtplib.SMTPException) as error:
            logger.warning("signal notice to user %s not sent: %s", user.id, error)
            continue
        sent += 1
    return sent
