"""Real-browser journeys: the app served on 127.0.0.1 by a thread, driven in Debian's Chromium.

The server is a second app on the same database as the ``app`` fixture, with CSRF switched on,
so data made with the factories is what the browser sees.
"""

import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from veiligthuis import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _whole_responses(wsgi_app):
    """Each response read whole, and its iterable closed, before the server writes it.

    Werkzeug's development server closes the iterable only after draining what is left of the
    request; when the browser has dropped the connection by then (she left the page while a
    font was still loading), that read fails first and the static file is left open."""

    def serve(environ, start_response):
        iterable = wsgi_app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()

    return serve


@pytest.fixture(scope="session")
def live_server(app):
    server_app = create_app(
        {
            "TESTING": False,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "e2e",
            "WTF_CSRF_ENABLED": True,
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
            "MAIL_FOLDER": app.config["MAIL_FOLDER"],
            "PDF_CACHE_FOLDER": app.config["PDF_CACHE_FOLDER"],
            "EXIT_URL": "about:blank#weer",
        }
    )
    server = make_server("127.0.0.1", 0, _whole_responses(server_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server_app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield server_app
    server.shutdown()
    thread.join(timeout=5)
    with server_app.app_context():
        from veiligthuis.extensions import db

        db.engine.dispose()


def require_chromium(path: str) -> str:
    """The browser's path, or a failure that says which Debian package is missing."""
    if not Path(path).is_file():
        pytest.fail(
            f"Chromium is missing ({path}): the browser journeys run in Debian's Chromium. "
            "Install it with `apt-get install chromium` (or `make chromium`).",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser():
    executable = require_chromium(CHROMIUM)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.config["LIVE_URL"], locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def two_tablets(browser, live_server):
    """Two colleagues, each on her own tablet (a browser of her own, touch, portrait)."""
    contexts = [
        browser.new_context(
            base_url=live_server.config["LIVE_URL"],
            locale="nl-NL",
            viewport={"width": 768, "height": 1024},
            has_touch=True,
            is_mobile=True,
        )
        for _ in range(2)
    ]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.set_default_timeout(10_000)
    yield pages
    for context in contexts:
        context.close()


def log_in(page, user, password):
    """Log in through the login form and the code step (tests.conftest.two_step_secret)."""
    import pyotp

    from tests.conftest import two_step_secret

    secret = two_step_secret(user)
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/inloggen/code")
    page.get_by_label("Code uit de app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url("**/")
