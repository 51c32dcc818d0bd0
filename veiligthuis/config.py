"""Server settings, read from the environment with safe defaults.

Settings a coordinator changes at run time (neutral title, completion threshold, ...) live in
the database instead: see ``veiligthuis.settings``.
"""

import os
import secrets
from pathlib import Path

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()"
)


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
        # hide_parameters: a database error in the log must not carry the values (her answers)
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
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
        # Strict-Transport-Security max-age in seconds; 0 (default) sends none. Set it only when
        # every visitor reaches the app over https (behind the TLS proxy): a browser that saw it
        # refuses plain http to this host for that long.
        "HSTS_SECONDS": int(os.environ.get("HSTS_SECONDS", "0")),
        # Browser features no page needs; a page that never asks cannot be tricked into asking.
        "PERMISSIONS_POLICY": os.environ.get("PERMISSIONS_POLICY", PERMISSIONS_POLICY),
        # Application log: JSON lines on standard error; requests slower than this get a line
        # of their own at WARNING.
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        "SLOW_REQUEST_MS": int(os.environ.get("SLOW_REQUEST_MS", "2000")),
        # Where participants are sent when they press "exit this page".
        "EXIT_URL": os.environ.get("EXIT_URL", "https://www.buienradar.nl/"),
        # Host used in calendar UIDs and absolute links in mails and calendars; the default is
        # neutral, since a mail or calendar carrying the product's name would give her away.
        "PUBLIC_HOST": os.environ.get("PUBLIC_HOST", "planner.local"),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER") or str(instance / "uploads"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "planning@planner.local"),
        # Without a mail server, mails are written to this folder (development).
        "MAIL_FOLDER": os.environ.get("MAIL_FOLDER") or str(instance / "mail"),
        # Rendered long PDFs, keyed on their content (veiligthuis/pdf.py); may be shared.
        "PDF_CACHE_FOLDER": os.environ.get("PDF_CACHE_FOLDER") or str(instance / "pdf-cache"),
    }


def _instance_secret(instance: Path) -> str:
    """A random secret kept in the instance folder, so sessions survive a restart."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
