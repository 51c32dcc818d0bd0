"""Server settings, read from the environment with safe defaults.

Settings a coordinator changes at run time (neutral title, completion threshold, ...) live in
the database instead: see ``veiligthuis.settings``.
"""

import os
import secrets
from pathlib import Path


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: str) -> dict:
    """Return the configuration for an app whose instance folder is ``instance_path``."""
    instance = Path(instance_path)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'veiligthuis.sqlite3'}"
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_DURATION": 0,
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        # Staff sessions (kept in the database) end after this much inactivity, and in any
        # case this many hours after login (a working day).
        "STAFF_IDLE_MINUTES": int(os.environ.get("STAFF_IDLE_MINUTES", "30")),
        "STAFF_SESSION_HOURS": int(os.environ.get("STAFF_SESSION_HOURS", "10")),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        # How many reverse proxies in front of the app may set X-Forwarded-For/-Proto. With 0
        # the forwarded headers are ignored: anyone could write them.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # Where participants are sent when they press "exit this page".
        "EXIT_URL": os.environ.get("EXIT_URL", "https://www.buienradar.nl/"),
        # Host used in calendar UIDs and absolute links in mails and calendars.
        "PUBLIC_HOST": os.environ.get("PUBLIC_HOST", "veiligthuis.local"),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER") or str(instance / "uploads"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "planning@veiligthuis.local"),
        # Without a mail server, mails are written to this folder (development).
        "MAIL_FOLDER": os.environ.get("MAIL_FOLDER") or str(instance / "mail"),
    }


def _instance_secret(instance: Path) -> str:
    """A random secret kept in the instance folder, so sessions survive a restart."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
