"""The app against a bare Flask page on a ten-year organisation: p90 per page, and the ratio.

    .venv/bin/python benchmarks/run.py --size 1.0 --db sqlite
    PG_FSYNC=on bash scripts/with-postgres .venv/bin/python benchmarks/run.py --size 1.0 --db postgres

Generates the data (benchmarks/generate.py; SQLite files are kept in --workdir per size and
reused), starts the app and the bare reference (benchmarks/bare.py) each under gunicorn on
127.0.0.1, and for every page measures the app and then the bare page, one connection for
--seconds each, --repeat times. Latency comes from wrk (Debian package ``wrk``) when it is
installed, otherwise from a plain Python client (said so in the output). Then evaluation
submissions (GET form + POST answers, 8 connections) against a bare one-row POST, and the PDFs.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pyotp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bare import create_table  # noqa: E402
from benchmarks.generate import generate, schema_fingerprint  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client:
    """One keep-alive-free HTTP client with a cookie jar (gunicorn's sync workers close anyway)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form=None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), data

    def csrf(self, path: str) -> str:
        _status, _headers, page = self.request("GET", path)
        found = CSRF.search(page.decode())
        if not found:
            raise RuntimeError(f"no CSRF token on {path}")
        return found.group(1)


def login(port: int, email: str, password: str, totp_secret: str) -> Client:
    """Log in through the app's own login form, both steps; the one place to adapt when login
    changes."""
    client = Client(port)
    token = client.csrf("/inloggen")
    status, headers, _ = client.request(
        "POST", "/inloggen", {"csrf_token": token, "email": email, "password": password}
    )
    target = headers.get("Location", "/inloggen")
    if status == 302 and "/inloggen/code" in target:
        token = client.csrf("/inloggen/code")
        code = pyotp.TOTP(totp_secret).now()
        status, headers, _ = client.request(
            "POST", "/inloggen/code", {"csrf_token": token, "code": code}
        )
        target = headers.get("Location", "/inloggen")
    if status != 302 or "/inloggen" in target:
        raise RuntimeError(f"login as {email} failed ({status})")
    return client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(
    module: str, env: dict, workers: int, log: Path, config: str | None = None
) -> tuple[subprocess.Popen, int]:
    """``module`` under gunicorn (settings file ``config``, if any) on a free port of 127.0.0.1;
    waits until it answers."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            *(["-c", config] if config else []),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
            module,
        ],
        cwd=ROOT,
        env=os.environ | env | {"BENCH_BASE_URL": f"http://127.0.0.1:{port}"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(300):
        try:
            # an HTTP answer, not only an open socket: a worker is past its start-up hooks
            Client(port).request("GET", "/")
            return process, port
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{module} did not start; see {log}") from None
            time.sleep(0.1)
    raise RuntimeError(f"{module} did not start in 30 s; see {log}")


def _wrk_p90(url: str, cookie: str, seconds: float) -> tuple[float, int]:
    command = ["wrk", "-t1", "-c1", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "60s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^\s*90%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    requests = re.search(r"(\d+) requests in", out)
    if not found:
        raise RuntimeError(f"wrk gave no p90 for {url}:\n{out}")
    scale = {"us": 0.001, "ms": 1, "s": 1000}[found.group(2)]
    return float(found.group(1)) * scale, int(requests.group(1)) if requests else 0


def _python_p90(client: Client, path: str, seconds: float) -> tuple[float, int]:
    times, end = [], time.monotonic() + seconds
    while time.monotonic() < end or len(times) < 3:
        started = time.perf_counter()
        status, _headers, _body = client.request("GET", path)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return statistics.quantiles(times, n=10)[-1], len(times)


def p90(client: Client, path: str, seconds: float, use_wrk: bool) -> float:
    """p90 latency in ms of GET ``path`` with one connection for ``seconds``."""
    status, _headers, _body = client.request("GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    if use_wrk:
        return _wrk_p90(f"http://127.0.0.1:{client.port}{path}", client.cookie_header(), seconds)[0]
    return _python_p90(client, path, seconds)[0]


def pages(manifest: dict) -> list[tuple[str, str, str | None]]:
    """(label, path, who logs in) for every page measured."""
    running, showcase = manifest["running_group"], manifest["showcase_group"]
    return [
        ("/groepen as coordinator", "/groepen", "coordinator"),
        ("/groepen as facilitator", "/groepen", "facilitator"),
        ("/rapportage", "/rapportage", "coordinator"),
        ("/groepen/<id>/evaluaties", f"/groepen/{showcase}/evaluaties", "coordinator"),
        ("/agenda/<token>.ics", f"/agenda/{manifest['feed_token']}.ics", None),
        ("/ondersteuning", "/ondersteuning", "case_worker"),
        ("attendance grid", f"/groepen/{running}/presentie", "coordinator"),
        ("participant list", f"/groepen/{running}/deelnemers", "coordinator"),
        ("group page", f"/groepen/{running}", "coordinator"),
        ("dashboard", "/", "coordinator"),
    ]


def submissions(app_port: int, bare_port: int, codes: list[str], seconds: float) -> dict:
    """Evaluation submissions per second (8 connections) against bare one-row POSTs."""
    lock, pending = threading.Lock(), list(reversed(codes))
    done = {"ok": 0, "failed": 0, "bare": 0}

    def submit(deadline: float) -> None:
        client = Client(app_port)
        while time.monotonic() < deadline:
            with lock:
                if not pending:
                    return
                code = pending.pop()
            # she types the code (a POST: it is in no address), then opens the questions
            token = client.csrf("/e")
            client.request("POST", "/e", {"csrf_token": token, "code": code})
            status, _h, page = client.request("GET", "/e/vragen")
            text = page.decode()
            form = {"csrf_token": CSRF.search(text).group(1)}
            # the first option of every question: a valid, complete set of answers
            for name, value in re.findall(r'type="radio" name="([^"]+)" value="([^"]+)"', text):
                form.setdefault(name, value)
            status, _h, _b = client.request("POST", "/e/vragen", form)
            with lock:
                done["ok" if status == 303 else "failed"] += 1

    def bare(deadline: float) -> None:
        client = Client(bare_port)
        while time.monotonic() < deadline:
            status, _h, _b = client.request("POST", "/bare", {"value": "x"})
            with lock:
                done["bare"] += status == 204

    result = {}
    for name, target in (("app", submit), ("bare", bare)):
        started = time.monotonic()
        threads = [threading.Thread(target=target, args=(started + seconds,)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        result[name] = time.monotonic() - started
    return {
        "app_per_s": done["ok"] / result["app"],
        "bare_per_s": done["bare"] / result["bare"],
        "ok": done["ok"],
        "failed": done["failed"],
    }


def pdfs(client: Client, manifest: dict) -> dict[str, float]:
    """Seconds for each printed document of one group (first and second request)."""
    showcase, running = manifest["showcase_group"], manifest["running_group"]
    token = client.csrf(f"/groepen/{running}/evaluaties")
    slips = {"csrf_token": token, "code": manifest["slip_codes"]}
    jobs = {
        "draaiboek": ("GET", f"/groepen/{showcase}/draaiboek.pdf", None),
        "evaluation report": ("GET", f"/groepen/{showcase}/evaluaties/verslag.pdf", None),
        "slips for 30 codes": (
            "POST",
            f"/groepen/{running}/evaluaties/{manifest['round_id']}/briefjes.pdf",
            slips,
        ),
    }
    found = {}
    for label, (method, path, form) in jobs.items():
        times = []
        for _ in range(2):
            started = time.perf_counter()
            status, headers, _body = client.request(method, path, form)
            times.append(time.perf_counter() - started)
            if status != 200 or headers.get("Content-Type") != "application/pdf":
                raise RuntimeError(f"{method} {path} answered {status}")
        found[label] = times
    return found


def database(args, workdir: Path) -> str:
    if args.db == "sqlite":
        return f"sqlite:///{workdir / f'bench-{args.size}.sqlite3'}"
    url = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        raise SystemExit(
            "--db postgres needs a server: run under scripts/with-postgres, "
            "or set BENCH_POSTGRES_URL"
        )
    return url


#: SQLite's PRAGMA synchronous levels; below FULL a commit in WAL mode is not yet on disk
_SQLITE_SYNC = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def durability(database_url: str, instance: Path) -> tuple[str, str | None]:
    """How a commit reaches the disk on the app's own connections, and why that is unfair, if
    it is.

    A server that answers a commit before its log is on disk (PostgreSQL with ``fsync`` or
    ``synchronous_commit`` off, as the test suite's throw-away server runs for speed) makes
    every page that writes (the audited lists, the submissions) look cheaper than it is in
    production, while the bare page, which writes nothing on a GET, gains nothing."""
    import sqlalchemy as sa

    from benchmarks.generate import app_config
    from veiligthuis import create_app
    from veiligthuis.extensions import db

    app = create_app(app_config(database_url, instance))
    with app.app_context():
        read = lambda sql: db.session.execute(sa.text(sql)).scalar()  # noqa: E731
        if db.engine.dialect.name == "sqlite":
            journal = read("PRAGMA journal_mode")
            sync = _SQLITE_SYNC.get(read("PRAGMA synchronous"))
            said = f"SQLite journal_mode={journal}, synchronous={sync}"
            unfair = None if journal == "wal" and sync in ("FULL", "EXTRA") else said
        else:
            fsync, commit = read("SHOW fsync"), read("SHOW synchronous_commit")
            said = f"PostgreSQL fsync={fsync}, synchronous_commit={commit}"
            unfair = None if fsync == "on" and commit != "off" else said
        db.session.rollback()
        db.engine.dispose()
    return said, unfair


def renderer() -> tuple[str, str | None]:
    """How WeasyPrint cuts the fonts down for each PDF, and why that is unfair, if it is.

    Without HarfBuzz-Subset (libharfbuzz-subset0, which docs/deployment.md installs) it falls
    back to fontTools, and every PDF takes half again as long as on a server set up as
    documented."""
    from veiligthuis.pdf import subsets_fonts_with_harfbuzz

    if subsets_fonts_with_harfbuzz():
        return "PDF fonts subset by HarfBuzz-Subset", None
    said = "PDF fonts subset by fontTools (no libharfbuzz-subset0)"
    return said, said


def refuse_slow_renderer() -> None:
    """Stop a PDF measurement that would time WeasyPrint's fallback, not the server's setup."""
    _said, unfair = renderer()
    if unfair:
        raise SystemExit(
            f"{unfair}: every PDF would take half again as long as on a server set up as "
            "docs/deployment.md says. Install it first: make pdf-libs"
        )


def prepare(args, workdir: Path) -> dict:
    """The manifest of the data set, generating it unless a kept SQLite file is reusable."""
    url = database(args, workdir)
    manifest_path = workdir / f"manifest-{args.db}-{args.size}.json"
    reuse = args.db == "sqlite" and manifest_path.exists() and not args.regenerate
    if reuse:
        manifest = json.loads(manifest_path.read_text())
        if (
            manifest["database_url"] == url
            and manifest.get("schema") == schema_fingerprint()
            and Path(url.removeprefix("sqlite:///")).exists()
        ):
            # codes are used up by a run; a kept file is only reused for the pages
            return manifest
    print(f"generating size {args.size} on {args.db} ...", flush=True)
    manifest = generate(url, workdir / "instance", args.size, quiet=args.quiet)
    manifest_path.write_text(json.dumps(manifest))
    return manifest


def measure_pages(args, manifest, clients, app_port, bare_port) -> list[tuple[str, list, list]]:
    anonymous, bare = Client(app_port), Client(bare_port)
    chosen = [page for page in pages(manifest) if not args.only or args.only in page[0]]
    rows = {label: ([], []) for label, _path, _who in chosen}
    for _ in range(args.repeat):
        for label, path, who in chosen:
            client = clients[who] if who else anonymous
            rows[label][0].append(p90(client, path, args.seconds, args.wrk))
            first = manifest["running_group"]
            rows[label][1].append(p90(bare, f"/bare?group={first}", args.seconds, args.wrk))
            if not args.quiet:
                print(
                    f"  {label}: app {rows[label][0][-1]:.1f} ms, bare {rows[label][1][-1]:.1f} ms"
                )
    return [(label, app, base) for label, (app, base) in rows.items()]


def _span(values: list[float], unit: str = "ms") -> str:
    low, high = min(values), max(values)
    if unit == "ms":
        return f"{low:,.0f}–{high:,.0f} ms" if high >= 10 else f"{low:.1f}–{high:.1f} ms"
    return f"{low:.2f}–{high:.2f} s"


def report(args, manifest, rows, subs, documents) -> str:
    """The Markdown table of the run."""
    tool = "wrk" if args.wrk else "a Python client"
    lines = [
        f"size {args.size} on {args.db} ({manifest['totals']}), gunicorn -w {args.workers}, "
        f"{tool}, 1 connection, {args.seconds:g} s per page, {args.repeat} repetitions; "
        f"{args.durability}; {args.renderer}",
        "",
        "| page | app p90 | bare p90 | ratio |",
        "|---|---|---|---|",
    ]
    for label, app, base in rows:
        ratios = [a / b for a, b in zip(app, base, strict=True)]
        lines.append(
            f"| {label} | {_span(app)} | {_span(base)} | {min(ratios):.1f}–{max(ratios):.1f}× |"
        )
    lines += [
        "",
        f"evaluation submissions (GET form + POST, 8 connections): {subs['app_per_s']:.0f}/s, "
        f"{subs['ok']} stored, {subs['failed']} refused; bare one-row POST: "
        f"{subs['bare_per_s']:.0f}/s (ratio {subs['app_per_s'] / subs['bare_per_s']:.2f})",
        "",
        "| PDF | first request | second request |",
        "|---|---|---|",
    ]
    for label, (first, second) in documents.items():
        lines.append(f"| {label} | {first:.2f} s | {second:.2f} s |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1.0)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "vt-bench")
    parser.add_argument("--regenerate", action="store_true", help="build the SQLite data anew")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--only", help="measure only the pages whose label contains this")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="run on a database whose commits are not durable (the tests' server), or without "
        "HarfBuzz-Subset for the PDFs; the figures then compare nothing and the table says so",
    )
    args = parser.parse_args()
    args.wrk = args.client != "python" and shutil.which("wrk") is not None
    if args.client == "wrk" and not args.wrk:
        raise SystemExit("wrk is not installed: apt-get install wrk (or use --client python)")
    if args.client == "auto" and not args.wrk:
        print(
            "note: wrk is not installed (apt-get install wrk); using a Python client, "
            "whose own overhead adds about a millisecond to every figure",
            file=sys.stderr,
        )
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.durability, unfair = durability(database(args, args.workdir), args.workdir / "instance")
    if unfair and args.smoke:
        args.durability += " (commits not durable: a smoke run, not a measurement)"
    elif unfair:
        raise SystemExit(
            f"{unfair}: a commit is answered before it is on disk, which no production server "
            "does, so every page that writes would look cheaper than it is. For PostgreSQL: "
            "PG_FSYNC=on bash scripts/with-postgres .venv/bin/python benchmarks/run.py ...; "
            "--smoke only checks that the benchmark runs"
        )
    args.renderer, slow_pdfs = renderer()
    if slow_pdfs and args.smoke:
        args.renderer += " (a smoke run, not a measurement)"
    elif slow_pdfs:
        refuse_slow_renderer()
    manifest = prepare(args, args.workdir)
    # the first request for each PDF must render it: nothing from an earlier run in the cache
    shutil.rmtree(args.workdir / "instance" / "pdf-cache", ignore_errors=True)
    env = {
        "BENCH_DATABASE_URL": manifest["database_url"],
        "BENCH_INSTANCE": str(args.workdir / "instance"),
    }
    create_table(manifest["database_url"])
    app, app_port = start(
        "benchmarks.serve:app",
        env,
        args.workers,
        args.workdir / "app.log",
        config="benchmarks/gunicorn.conf.py",
    )
    bare, bare_port = start("benchmarks.bare:app", env, args.workers, args.workdir / "bare.log")
    try:
        # each account logs in once: a two-step code is accepted only once
        clients = {
            role: login(app_port, manifest[role], manifest["password"], manifest["totp_secret"])
            for role in ("coordinator", "facilitator", "case_worker")
        }
        rows = measure_pages(args, manifest, clients, app_port, bare_port)
        documents = pdfs(clients["coordinator"], manifest)
        subs = submissions(app_port, bare_port, manifest["codes"], args.seconds)
    finally:
        for process in (app, bare):
            process.terminate()
            process.wait(timeout=30)
    if args.db == "sqlite":
        # the codes are used up now: the next run builds the data anew
        (args.workdir / f"manifest-{args.db}-{args.size}.json").unlink(missing_ok=True)
    print(report(args, manifest, rows, subs, documents))
    return 0 if subs["failed"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
