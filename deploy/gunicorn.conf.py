"""gunicorn settings for veiligthuis: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

Every setting can be overridden from the environment (GUNICORN_*) or the command line.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers per core. The app keeps no state in the process (sessions, throttles, the used
# evaluation codes live in the database), so workers and servers can be added freely.
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# The longest request is a PDF: a year's attendance list or a draaiboek renders in 2-10 s on a
# loaded 2-core machine. A worker silent for longer than this is killed and restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak (fonts, matplotlib) cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# No access log here: gunicorn's would print addresses with query strings and evaluation
# codes. The app writes its own request log (JSON lines, see veiligthuis/logs.py).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Behind nginx on the same host; see docs/deployment.md (TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Warm the PDF renderer, then set what the worker loaded aside from garbage collection.

    Otherwise the first PDF each worker prints pays WeasyPrint's start-up (fonts, first-use
    set-up), about a tenth of a second on top of its own rendering. And every full collection
    would walk the app, its libraries and the fonts again (a few hundred thousand objects, tens
    of milliseconds) although none of them is ever garbage; frozen, a collection walks only what
    requests made."""
    import gc
    import time

    from veiligthuis.pdf import warm_up

    started = time.perf_counter()
    try:
        warm_up()
    except Exception:  # a renderer that fails costs the PDFs, never the whole site
        worker.log.exception("PDF renderer could not be warmed")
    else:
        worker.log.info("PDF renderer ready in %.2f s", time.perf_counter() - started)
    gc.collect()
    gc.freeze()
    worker.log.info("%d start-up objects left out of garbage collection", gc.get_freeze_count())
