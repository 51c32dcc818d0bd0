"""How long each printed document takes in a fresh server process, with and without warm-up.

    .venv/bin/python benchmarks/pdfs.py --size 1.0 [--runs 5]

Builds (or reuses, in --workdir) the benchmark organisation on SQLite and logs the coordinator
in once through the app's own form. For every run and document it starts a new Python
process, as a new gunicorn worker is: it creates the app, serves one page (the group's results
page, as a worker has before anyone prints), then (with ``warm``) runs the worker's start-up
hook from deploy/gunicorn.conf.py, and times the document's request twice: the first rendering
in the process and a second one. The PDF cache is off, so every figure is a rendering. Prints
the medians and the load average (on a busy machine the figures mean little). A login code is
accepted once, so leave half a minute between two runs.
"""

import argparse
import json
import logging
import os
import runpy
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pyotp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import CSRF, refuse_slow_renderer  # noqa: E402

DOCUMENTS = ("draaiboek", "evaluation report", "slips for 30 codes")


def make_app(workdir: Path, manifest: dict):
    """The app on the benchmark's data, PDF cache off."""
    from benchmarks.generate import app_config
    from veiligthuis import create_app

    config = app_config(manifest["database_url"], workdir / "instance")
    return create_app(config | {"PDF_CACHE_FOLDER": ""})


def log_in(workdir: Path, manifest: dict) -> dict[str, str]:
    """Both steps of the coordinator's login; the session cookies (sessions live in the
    database, so every fresh process can use them)."""
    app = make_app(workdir, manifest)
    logging.disable(logging.INFO)  # the app's request log would fill the output
    client = app.test_client()
    token = CSRF.search(client.get("/inloggen").get_data(as_text=True)).group(1)
    form = {"csrf_token": token, "email": manifest["coordinator"]}
    client.post("/inloggen", data=form | {"password": manifest["password"]})
    token = CSRF.search(client.get("/inloggen/code").get_data(as_text=True)).group(1)
    code = pyotp.TOTP(manifest["totp_secret"]).now()
    response = client.post("/inloggen/code", data={"csrf_token": token, "code": code})
    if response.status_code != 302:
        raise RuntimeError("login failed")
    name = app.config["SESSION_COOKIE_NAME"]
    return {name: client.get_cookie(name).value}


def child(workdir: Path, document: str, warm: bool) -> None:
    """One fresh process: prints [first, second] seconds as JSON."""
    manifest = json.loads((workdir / "manifest.json").read_text())
    app = make_app(workdir, manifest)
    logging.disable(logging.INFO)  # the app's request log would fill the output
    client = app.test_client()
    for key, value in json.loads((workdir / "cookies.json").read_text()).items():
        client.set_cookie(key, value)
    showcase, running = manifest["showcase_group"], manifest["running_group"]
    page = client.get(f"/groepen/{running}/evaluaties").get_data(as_text=True)
    slips = {"csrf_token": CSRF.search(page).group(1), "code": manifest["slip_codes"]}
    request = {
        "draaiboek": lambda: client.get(f"/groepen/{showcase}/draaiboek.pdf"),
        "evaluation report": lambda: client.get(f"/groepen/{showcase}/evaluaties/verslag.pdf"),
        "slips for 30 codes": lambda: client.post(
            f"/groepen/{running}/evaluaties/{manifest['round_id']}/briefjes.pdf", data=slips
        ),
    }[document]
    if warm:
        hooks = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
        # what the hook uses of a gunicorn worker: its log
        hooks["post_worker_init"](SimpleNamespace(log=logging.getLogger("gunicorn.error")))
    times = []
    for _ in range(2):
        started = time.perf_counter()
        response = request()
        times.append(time.perf_counter() - started)
        if response.mimetype != "application/pdf":
            raise RuntimeError(f"{document} answered {response.status_code}")
    print(json.dumps(times))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/vt-pdfs-bench"))
    parser.add_argument("--child", nargs=2, metavar=("DOCUMENT", "WARM"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    refuse_slow_renderer()
    workdir = args.workdir / f"size-{args.size}"
    if args.child:
        child(workdir, args.child[0], args.child[1] == "warm")
        return 0
    if not (workdir / "manifest.json").exists():
        from benchmarks.generate import generate

        workdir.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        manifest = generate(url, workdir / "instance", args.size, quiet=True)
        (workdir / "manifest.json").write_text(json.dumps(manifest))
    manifest = json.loads((workdir / "manifest.json").read_text())
    (workdir / "cookies.json").write_text(json.dumps(log_in(workdir, manifest)))
    print(f"load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    found: dict[tuple[str, str], list[list[float]]] = {}
    for _ in range(args.runs):
        for document in DOCUMENTS:
            for warm in ("cold", "warm"):
                command = [sys.executable, __file__, "--size", str(args.size)]
                command += ["--workdir", str(args.workdir), "--child", document, warm]
                out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
                found.setdefault((document, warm), []).append(json.loads(out.splitlines()[-1]))
    print(f"| document | worker | first (median of {args.runs}) | second |")
    print("|---|---|---|---|")
    for (document, warm), times in found.items():
        first = statistics.median(t[0] for t in times)
        second = statistics.median(t[1] for t in times)
        print(f"| {document} | {warm} | {first:.2f} s | {second:.2f} s |")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
