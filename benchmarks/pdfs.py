"""How long each printed document takes in a fresh server process, with and without warm-up.

    .venv/bin/python benchmarks/pdfs.py --size 1.0 [--runs 5]

Builds (or reuses, in --workdir) the benchmark organisation on SQLite. For every run and
document it starts a new Python process, as a new gunicorn worker is, creates the app, loads
the group, and then (with ``warm``) runs the worker's start-up hook from
deploy/gunicorn.conf.py before it times the document's builder twice: the first rendering in
the process and a second one. The PDF cache is off, so every figure is a rendering. Prints
the medians and the load average (on a busy machine the figures mean little).
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOCUMENTS = ("draaiboek", "evaluation report", "slips for 30 codes")


def builder(manifest: dict, document: str):
    """A function that renders ``document`` of the benchmark's groups (inside a request)."""
    from veiligthuis.evaluations import documents as evaluation_documents
    from veiligthuis.evaluations import service as evaluations
    from veiligthuis.extensions import db
    from veiligthuis.groups.documents import draaiboek_pdf
    from veiligthuis.groups.models import Group
    from veiligthuis.sessions.service import load_methodiek_versions

    if document == "draaiboek":
        group = db.session.get(Group, manifest["showcase_group"])
        load_methodiek_versions(db.session, group)
        return lambda: draaiboek_pdf(group)
    if document == "evaluation report":
        group = db.session.get(Group, manifest["showcase_group"])
        results = evaluations.group_results(db.session, group, evaluations.today_local())
        return lambda: evaluation_documents.report_pdf(db.session, group, results)
    group = db.session.get(Group, manifest["running_group"])
    codes = manifest["codes"][-30:]
    return lambda: evaluation_documents.slips_pdf(group.public_title, codes, "https://example.org")


def child(workdir: Path, document: str, warm: bool) -> None:
    """One fresh process: prints [first, second] seconds as JSON."""
    from benchmarks.generate import app_config
    from veiligthuis import create_app

    manifest = json.loads((workdir / "manifest.json").read_text())
    config = app_config(manifest["database_url"], workdir / "instance")
    app = create_app(config | {"PDF_CACHE_FOLDER": ""})
    with app.test_request_context():
        render = builder(manifest, document)
        if warm:
            hooks = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
            # what the hook uses of a gunicorn worker: its log
            hooks["post_worker_init"](SimpleNamespace(log=logging.getLogger("gunicorn.error")))
        times = []
        for _ in range(2):
            started = time.perf_counter()
            render()
            times.append(time.perf_counter() - started)
    print(json.dumps(times))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/vt-pdfs-bench"))
    parser.add_argument("--child", nargs=2, metavar=("DOCUMENT", "WARM"), help=argparse.SUPPRESS)
    args = parser.parse_args()
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
