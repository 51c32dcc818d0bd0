"""Login throttling that slows guessing down without handing anyone a way to lock a colleague out.

Three counters over the failures in ``failed_logins``:

- per account and client (the browser's known-device id, else the address): after
  FREE_ATTEMPTS failures each further attempt waits twice as long as the one before, up to
  MAX_DELAY. Someone guessing from elsewhere does not slow her down in her own browser.
- per client address over all accounts (password spraying): SPRAY_LIMIT failures within
  SPRAY_WINDOW stop further attempts from that address, except from known devices.
- per account over all unknown browsers (a guesser with many addresses): ACCOUNT_LIMIT failures
  within WINDOW stop attempts from unknown browsers only.

A known device is a browser she logged in with before: it carries a signed cookie with its own
id. Its failures count in a bucket of their own, so that bucket slows down too when someone else
uses her browser, and failures elsewhere never reach it.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa

from veiligthuis.auth.models import FailedLogin
from veiligthuis.models import DbSession, DomainError, utcnow

FREE_ATTEMPTS = 3
MAX_DELAY = timedelta(minutes=15)
WINDOW = timedelta(hours=1)
SPRAY_LIMIT = 20
SPRAY_WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 50


def _bucket(email: str, address: str, device: str | None):
    if device:
        return sa.and_(FailedLogin.email == email, FailedLogin.device == device)
    return sa.and_(
        FailedLogin.email == email, FailedLogin.address == address, FailedLogin.device.is_(None)
    )


def delay_after(failures: int) -> timedelta:
    """How long to wait after this many failures in one bucket."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    exponent = min(failures - FREE_ATTEMPTS, 20)  # 2**20 s is far beyond MAX_DELAY already
    return min(timedelta(seconds=2**exponent), MAX_DELAY)


def check(
    db_session: DbSession,
    email: str,
    address: str,
    device: str | None,
    now: datetime | None = None,
) -> None:
    """Refuse this attempt (DomainError) when one of the three limits says so."""
    now = now or utcnow()
    db_session.execute(sa.delete(FailedLogin).where(FailedLogin.created_dt < now - WINDOW))
    count, last = db_session.execute(
        sa.select(sa.func.count(), sa.func.max(FailedLogin.created_dt)).where(
            _bucket(email, address, device)
        )
    ).one()
    if count and last is not None:
        last = last if last.tzinfo else last.replace(tzinfo=now.tzinfo)
        wait = last + delay_after(count) - now
        if wait > timedelta(0):
            seconds = max(1, int(wait.total_seconds() + 0.999))
            raise DomainError(
                f"Te veel mislukte pogingen. Wacht {seconds} seconden en probeer het opnieuw."
            )
    if device:
        return
    sprayed = db_session.scalars(
        sa.select(sa.func.count()).where(
            FailedLogin.address == address,
            FailedLogin.device.is_(None),
            FailedLogin.created_dt >= now - SPRAY_WINDOW,
        )
    ).one()
    if sprayed >= SPRAY_LIMIT:
        raise DomainError(
            "Te veel mislukte pogingen vanaf dit adres. Probeer het over een kwartier opnieuw."
        )
    guessed = db_session.scalars(
        sa.select(sa.func.count()).where(FailedLogin.email == email, FailedLogin.device.is_(None))
    ).one()
    if guessed >= ACCOUNT_LIMIT:
        raise DomainError(
            "Op dit account is vaak een verkeerd wachtwoord geprobeerd. Log in vanaf een "
            "apparaat waarop u eerder inlogde, of probeer het over een uur opnieuw."
        )


def record_failure(db_session: DbSession, email: str, address: str, device: str | None) -> None:
    """Count one failed attempt."""
    db_session.add(FailedLogin(email=email, address=address[:45], device=device))
    db_session.flush()


def clear(db_session: DbSession, email: str, address: str, device: str | None) -> None:
    """Forget the failures of her bucket after she logged in."""
    db_session.execute(sa.delete(FailedLogin).where(_bucket(email, address, device)))
