"""The app on the benchmark's database, for gunicorn: ``gunicorn benchmarks.serve:app``."""

import os
from pathlib import Path

from benchmarks.generate import app_config
from veiligthuis import create_app

app = create_app(
    app_config(os.environ["BENCH_DATABASE_URL"], Path(os.environ["BENCH_INSTANCE"]))
    | {"PUBLIC_BASE_URL": os.environ.get("BENCH_BASE_URL", "http://127.0.0.1:5000")}
)
