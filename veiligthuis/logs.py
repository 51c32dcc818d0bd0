"""Application logs as JSON lines on standard error: one line per request, nothing personal.

A request line holds a request id, the method, the endpoint and its route *template* (never the
address as typed, never a query string), the status and the duration. Under ``/e`` the route is
only ``/e``: a participant's code must not reach a log, and neither must which page she was on.
Errors are logged the same way; database errors carry no parameter values (``hide_parameters``
in the config). Requests slower than ``SLOW_REQUEST_MS`` get a second line at WARNING.
"""

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, request

LOGGER_NAME = "veiligthuis"
# a request id set by the proxy is kept only when it cannot carry anything else
_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
_STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message"}


class JsonLines(logging.Formatter):
    """One JSON object per record: time, level, message and the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line."""
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update(
            (key, value)
            for key, value in vars(record).items()
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_")
        )
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def route_label() -> str | None:
    """The route template of this request, or only ``/e`` for participant pages."""
    if request.path == "/e" or request.path.startswith("/e/"):
        return "/e"
    return request.url_rule.rule if request.url_rule is not None else None


def init_app(app: Flask) -> None:
    """Log every request as a JSON line, and errors without the address typed."""
    logger = logging.getLogger(LOGGER_NAME)
    if not any(isinstance(h.formatter, JsonLines) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLines())
        logger.addHandler(handler)
    logger.setLevel(app.config["LOG_LEVEL"])
    # Flask's own logger would write "Exception on /e/<code> [POST]": ours replaces it
    app.log_exception = _log_exception  # type: ignore[method-assign]  # replacing it is the point
    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _fields(status: int | None = None) -> dict:
    started = g.get("request_started")
    route = route_label()
    fields = {
        "request_id": g.get("request_id"),
        "method": request.method,
        # for participant pages not even which one (the exit page, the thank-you page)
        "endpoint": "participant" if route == "/e" else request.endpoint,
        "route": route,
        "status": status,
    }
    if started is not None:
        fields["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return fields


def _finish(response):
    from flask import current_app

    logger = logging.getLogger(LOGGER_NAME)
    fields = _fields(response.status_code)
    logger.info("request", extra=fields)
    if fields.get("duration_ms", 0) > current_app.config["SLOW_REQUEST_MS"]:
        logger.warning("slow_request", extra=fields)
    if "request_id" in g:
        response.headers["X-Request-ID"] = g.request_id
    return response


def _log_exception(exc_info) -> None:
    logging.getLogger(LOGGER_NAME).error("exception", exc_info=exc_info, extra=_fields(500))
