"""veiligthuis: planning and running "Een veilig thuis" conversation groups."""

import functools
import os
from datetime import date, datetime, time

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context, request
from flask_babel import format_date, format_datetime, format_time, get_locale, get_timezone

from veiligthuis import forms, menu
from veiligthuis.config import load_config
from veiligthuis.extensions import babel, csrf, db, login_manager, migrate

# Every area's tables, so that metadata (Alembic, create_all in tests) knows them all.
MODEL_MODULES = (
    "veiligthuis.settings",
    "veiligthuis.changes",
    "veiligthuis.auth.models",
    "veiligthuis.programmes.models",
    "veiligthuis.groups.models",
    "veiligthuis.sessions.models",
    "veiligthuis.methodiek.models",
    "veiligthuis.support.models",
    "veiligthuis.evaluations.models",
    "veiligthuis.partners.models",
    "veiligthuis.volunteers.models",
    "veiligthuis.reports.models",
)

BLUEPRINT_MODULES = (
    "veiligthuis.auth.views",
    "veiligthuis.groups.views",
    "veiligthuis.programmes.views",
    "veiligthuis.sessions.views",
    "veiligthuis.methodiek.views",
    "veiligthuis.support.views",
    "veiligthuis.evaluations.views",
    "veiligthuis.reports.views",
    "veiligthuis.partners.views",
    "veiligthuis.volunteers.views",
    "veiligthuis.health",
)

MIGRATIONS_DIR = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations"
)

CLI_MODULES = (
    "veiligthuis.cli",
    "veiligthuis.methodiek.cli",
    "veiligthuis.support.cli",
    "veiligthuis.groups.documents_cli",
)


def create_app(test_config: dict | None = None) -> Flask:
    """The application, configured from the environment or from ``test_config``."""
    import importlib

    app = Flask(__name__, instance_relative_config=True)
    _harden_input(app)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    if test_config:
        app.config.update(test_config)

    for name in MODEL_MODULES:
        importlib.import_module(name)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    forms.use_fast_html_params()
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    _configure_sqlite(app)

    from veiligthuis import errors, logs, web

    logs.init_app(app)
    web.init_app(app)
    errors.register(app)

    for name in BLUEPRINT_MODULES:
        app.register_blueprint(importlib.import_module(name).bp)

    for name in CLI_MODULES:
        importlib.import_module(name).register(app)

    if app.config.get("PASSWORD_HASH_CHEAPEST"):
        from veiligthuis.auth.service import use_cheapest_hashing

        use_cheapest_hashing()

    _register_template_helpers(app)
    app.after_request(_security_headers)
    _trust_proxies(app)
    return app


def _harden_input(app: Flask) -> None:
    """No NUL bytes in form or query values, no URL id beyond 64 bits (see ``inputs``)."""
    from veiligthuis.inputs import CleanRequest, IntegerConverter

    app.request_class = CleanRequest
    # before any blueprint adds its rules, which bind their converters when added
    app.url_map.converters["int"] = IntegerConverter


def _trust_proxies(app: Flask) -> None:
    """Read the client's address from X-Forwarded-For only behind the configured proxies."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        # Flask documents wrapping wsgi_app in middleware by assigning it
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def _select_locale() -> str:
    # Staff pages are Dutch; participant pages set their own language (see evaluations).
    from flask import g

    return getattr(g, "locale", None) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _configure_sqlite(app: Flask) -> None:
    """WAL and foreign keys for SQLite connections."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return

    with app.app_context():
        engine = db.engine

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            # freed space is zeroed, so what retention removed is not left in the file
            cursor.execute("PRAGMA secure_delete=ON")
            if ":memory:" not in app.config["SQLALCHEMY_DATABASE_URI"]:
                cursor.execute("PRAGMA journal_mode=WAL")
            # Every commit is on disk before the request answers (an audit entry, a used code,
            # her answers), whatever default this SQLite was built with: NORMAL in WAL mode
            # would lose the last commits on a power cut.
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()


def _security_headers(response):
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", current_app.config["PERMISSIONS_POLICY"])
    if current_app.config["HSTS_SECONDS"] > 0:
        response.headers.setdefault(
            "Strict-Transport-Security", f"max-age={current_app.config['HSTS_SECONDS']}"
        )
    # Nothing about a participant may linger in a browser cache; only static files are cached.
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


@functools.lru_cache(maxsize=4096)
def _formatted(value: date | datetime | time, fmt: str, locale: str, zone: str) -> str:
    """Babel's formatting, remembered: a page shows the same meetings' dates request after
    request, and each call costs some 50 µs. The key holds what the result depends on: the
    value (an aware time is rebased to the zone), pattern, language and time zone."""
    if isinstance(value, time):
        # A group's start time is a wall-clock time: there is no zone to rebase it to.
        return format_time(value, fmt, rebase=False)
    if isinstance(value, datetime):
        return format_datetime(value, fmt)
    return format_date(value, fmt)


def _language_and_zone() -> tuple[str, str]:
    """The language and time zone Babel formats in for this request.

    Read from where Flask-Babel keeps its choice for the request (``g._flask_babel``) in one
    look-up, rather than through ``get_locale()`` and ``get_timezone()`` (some 25 Python calls
    for every date on a page), and named once for as long as that choice stands. Until Babel
    has chosen, or after ``refresh()`` dropped the choice, or should Flask-Babel keep it
    elsewhere, the public functions answer.
    """
    chosen = getattr(g, "_flask_babel", None) if has_app_context() else None
    locale = getattr(chosen, "babel_locale", None)
    zone = getattr(chosen, "babel_tzinfo", None)
    if locale is None or zone is None:
        locale, zone = get_locale(), get_timezone()
        chosen = getattr(g, "_flask_babel", None) if has_app_context() else None
    named = getattr(chosen, "veiligthuis_names", None)
    if named is None or named[0] is not locale or named[1] is not zone:
        named = (locale, zone, (str(locale), str(zone)))
        if chosen is not None:
            chosen.veiligthuis_names = named
    return named[2]


def _register_template_helpers(app: Flask) -> None:
    from veiligthuis import permissions
    from veiligthuis.signals import render_template_hook

    def date_nl(value: date | datetime | None, fmt: str = "EEEE d MMMM y") -> str:
        if value is None:
            return "—"
        return _formatted(value, fmt, *_language_and_zone())

    def time_nl(value: datetime | time | None) -> str:
        if value is None:
            return "—"
        return _formatted(value, "HH:mm", *_language_and_zone())

    def short_date(value: date | datetime | None) -> str:
        return date_nl(value, "d MMM y")

    app.jinja_env.filters.update(date_nl=date_nl, time_nl=time_nl, short_date=short_date)
    app.jinja_env.globals.update(
        perm=permissions,
        template_hook=render_template_hook,
        staff_menu=menu.staff_menu,
    )
