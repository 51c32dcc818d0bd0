"""gunicorn settings of the benchmarked app: the production hooks, not the production sizing.

The hooks (warming the PDF renderer) come from deploy/gunicorn.conf.py, so the benchmark
measures what a production worker does; workers, bind and timeout are set on the command line
by benchmarks/run.py, the same for the app and the bare page."""

import runpy
from pathlib import Path

_PRODUCTION = runpy.run_path(
    str(Path(__file__).resolve().parent.parent / "deploy/gunicorn.conf.py")
)
post_worker_init = _PRODUCTION["post_worker_init"]
