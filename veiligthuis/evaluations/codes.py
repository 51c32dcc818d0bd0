"""One-time codes: making, reading back what she typed, keyed hashes, and slowing down guessing.

Codes are ten symbols of Crockford's base 32 (50 bits): no U, and O, I and L are read as 0, 1
and 1, so a mistyped look-alike still works. U is still accepted, for slips printed before.
"""

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from veiligthuis.evaluations.models import CodeFailure
from veiligthuis.models import DbSession, utcnow

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
#: wrong codes one address may try per window: a room of women with typos on one Wi-Fi stays
#: far below it; a guesser gets 50 tries an hour against 2^50 codes
MAX_FAILED_CODES = 50
FAILED_CODE_WINDOW = timedelta(hours=1)

_NOT_CODE = re.compile(r"[\s\-‐‑–—_.]+")
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_ACCEPTED = set(CODE_ALPHABET) | {"U"}


def generate_code() -> str:
    """A fresh random code (unformatted)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """``ABCDE23456`` as ``ABCDE-23456``."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(raw: str | None) -> str | None:
    """The code as stored, from what she typed (case, spaces, dashes ignored); None if no code."""
    code = _NOT_CODE.sub("", (raw or "")[:40]).upper().translate(_LOOK_ALIKES)
    if len(code) != CODE_LENGTH or any(ch not in _ACCEPTED for ch in code):
        return None
    return code


def hash_code(secret: str, code: str) -> str:
    """The keyed hash kept instead of the code."""
    return hmac.new(secret.encode(), b"code:" + code.encode(), hashlib.sha256).hexdigest()


def client_key(secret: str, address: str | None) -> str:
    """A keyed hash of a client's address, for counting wrong codes without keeping the address."""
    return hmac.new(
        secret.encode(), b"client:" + (address or "-").encode(), hashlib.sha256
    ).hexdigest()


def is_guessing(db_session: DbSession, key: str, now: datetime | None = None) -> bool:
    """Whether this client tried too many wrong codes lately."""
    since = (now or utcnow()) - FAILED_CODE_WINDOW
    failures = db_session.scalars(
        sa.select(sa.func.count())
        .select_from(CodeFailure)
        .where(CodeFailure.client_key == key, CodeFailure.created_dt >= since)
    ).one()
    return failures >= MAX_FAILED_CODES


def record_failed_code(db_session: DbSession, key: str, now: datetime | None = None) -> None:
    """Count a wrong code for this client; old counts are forgotten on the way."""
    now = now or utcnow()
    db_session.execute(
        sa.delete(CodeFailure).where(CodeFailure.created_dt < now - FAILED_CODE_WINDOW)
    )
    db_session.add(CodeFailure(client_key=key, created_dt=now))
    db_session.flush()
