"""Where a page spends its time: pyinstrument over a few requests on the benchmark's data.

    .venv/bin/pip install pyinstrument
    .venv/bin/python benchmarks/profile.py --size 0.2 [--page /rapportage] [--requests 3]

Builds (or reuses, in --workdir) the benchmark organisation on SQLite, logs in through the app
as the benchmark does, and prints pyinstrument's call tree for each page of benchmarks/run.py.
"""

import argparse
import gc
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyotp  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from benchmarks.generate import app_config, generate, schema_fingerprint  # noqa: E402
from benchmarks.run import CSRF, pages  # noqa: E402
from veiligthuis import create_app  # noqa: E402


def test_client_login(app, email: str, password: str, totp_secret: str):
    """The app's own login form, in process (the same steps as benchmarks.run.login)."""
    client = app.test_client()
    token = CSRF.search(client.get("/inloggen").get_data(as_text=True)).group(1)
    response = client.post(
        "/inloggen", data={"csrf_token": token, "email": email, "password": password}
    )
    if response.status_code == 302 and response.location.endswith("/inloggen/code"):
        totp = pyotp.TOTP(totp_secret)
        for _attempt in range(2):
            token = CSRF.search(client.get("/inloggen/code").get_data(as_text=True)).group(1)
            response = client.post("/inloggen/code", data={"csrf_token": token, "code": totp.now()})
            if response.status_code == 302:
                break
            # A code is taken once: a run started within 30 s of the last one waits for the next.
            time.sleep(totp.interval - time.time() % totp.interval + 0.5)
    if response.status_code != 302:
        raise RuntimeError(f"login as {email} failed")
    return client


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=0.2)
    parser.add_argument("--page", help="only the pages whose label or path contains this")
    parser.add_argument("--requests", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/vt-profile"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{args.workdir / f'profile-{args.size}.sqlite3'}"
    manifest_path = args.workdir / f"profile-{args.size}.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    if manifest.get("schema") != schema_fingerprint():
        manifest = generate(url, args.workdir / "instance", args.size)
        manifest_path.write_text(json.dumps(manifest))
    app = create_app(app_config(url, args.workdir / "instance"))
    clients = {}
    for label, path, who in pages(manifest):
        if args.page and args.page not in label and args.page not in path:
            continue
        if who and who not in clients:
            clients[who] = test_client_login(
                app, manifest[who], manifest["password"], manifest["totp_secret"]
            )
        client = clients[who] if who else app.test_client()
        client.get(path)  # warm: templates compiled, caches filled
        # as a production worker does after its start (deploy/gunicorn.conf.py): otherwise
        # full collections over the loaded app show up as time in whatever allocates
        gc.collect()
        gc.freeze()
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.requests):
            assert client.get(path).status_code == 200, path
        profiler.stop()
        print(f"\n===== {label} ({path}), {args.requests} requests =====")
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
