"""Real app servers for tests: gunicorn processes on 127.0.0.1 sharing the test database, and a
small browser-like HTTP client (cookies, CSRF tokens) to talk to them."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn with the production settings file, started as the docs say."""

    def __init__(self, database_url: str, secret: str, instance: Path, **env: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = dict(
            os.environ,
            DATABASE_URL=database_url,
            SECRET_KEY=secret,
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS="1",
            UPLOAD_FOLDER=str(instance / "uploads"),
            MAIL_FOLDER=str(instance / "mail"),
            **env,
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
            cwd=REPO,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def wait_healthy(self, timeout: float = 60) -> None:
        """Until /gezond answers 200 (or fail with gunicorn's output)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(self.process.stderr.read().decode()[-3000:])
            try:
                with urllib.request.urlopen(self.base + "/gezond", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise AssertionError(f"{self.base} did not become healthy")

    def stop(self) -> str:
        """Stop it; returns what gunicorn wrote to its error log."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        output = self.process.stderr.read().decode(errors="replace")
        self.process.stderr.close()
        return output


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies shared over every server (they are per host, not per port), no redirects."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, dict]:
        """(status, body, headers) of a GET, or a POST when ``data`` is given."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def raw(self, url: str) -> tuple[int, bytes]:
        """(status, body bytes) of a GET: for PDFs."""
        try:
            with self.opener.open(url, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def token(self, url: str) -> str:
        """The CSRF token of the form at ``url``."""
        status, html, _ = self.request(url)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert match, (status, html[:300])
        return match.group(1)

    def post_form(self, page: str, action: str | None = None, **data) -> tuple[int, str, dict]:
        """Open ``page``, then post ``data`` with its CSRF token to ``action`` (or the page)."""
        return self.request(action or page, dict(data, csrf_token=self.token(page)))

    def log_in(self, base: str, user, password: str) -> int:
        """Log in through both steps on the server at ``base``; the last status (302: in)."""
        import pyotp

        from tests.conftest import two_step_secret

        secret = two_step_secret(user)
        status, _, headers = self.post_form(f"{base}/inloggen", email=user.email, password=password)
        if status == 302 and headers.get("Location", "").endswith("/inloggen/code"):
            status, _, headers = self.post_form(
                f"{base}/inloggen/code", code=pyotp.TOTP(secret).now()
            )
        return status
