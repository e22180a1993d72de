"""What operators and their tools see: /healthz (database and queue reachable), /metrics
for Prometheus (request latency per endpoint, queue depth, job durations; the maintained
prometheus_client library), and structured JSON logs carrying a request id.

/metrics answers the local machine, or a scraper sending `Authorization: Bearer
<METRICS_TOKEN>`. Under gunicorn, set PROMETHEUS_MULTIPROC_DIR to an empty folder so that
the workers' figures are added up.
"""
from __future__ import annotations

import hmac
import json
import logging
import os
import re
import time
import uuid
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, has_request_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import text

from portal.db import state

bp = Blueprint("operations", __name__)

REQUEST_SECONDS = Histogram("portal_request_seconds", "Time to answer a request",
                            ["endpoint", "method", "status"])
JOB_SECONDS = Histogram("portal_job_seconds", "Time a background job took",
                        ["job", "outcome"], buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 1800))
QUEUE_DEPTH = Gauge("portal_queue_depth", "Background jobs waiting for a worker",
                    multiprocess_mode="max")
ERRORS = Counter("portal_errors", "Requests answered with a server error", ["endpoint"])
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
LOCAL = {"127.0.0.1", "::1"}


def _queue_depth(app: Flask) -> int:
    huey = app.extensions["huey"]
    return int(huey.pending_count())


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    """200 when the database answers and the queue can be reached; 503 says which not."""
    checks: dict[str, str] = {}
    try:
        with state().engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure is the answer
        checks["database"] = f"unreachable: {type(error).__name__}"
    try:
        _queue_depth(current_app)
        checks["queue"] = "ok"
    except Exception as error:  # noqa: BLE001
        checks["queue"] = f"unreachable: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    body = current_app.json.response({"status": "ok" if healthy else "failing", **checks})
    body.headers["Cache-Control"] = "no-store"
    return body, 200 if healthy else 503


def _may_scrape() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), str(token).encode())
    return request.remote_addr in LOCAL


@bp.route("/metrics")
def metrics() -> Response:
    if not _may_scrape():
        return Response("forbidden\n", status=403, mimetype="text/plain")
    try:
        QUEUE_DEPTH.set(_queue_depth(current_app))
    except Exception:  # noqa: BLE001 - the other figures are still worth reading
        logging.getLogger(__name__).warning("queue depth unavailable", exc_info=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        data = generate_latest(registry)
    else:
        data = generate_latest()
    return Response(data, mimetype=CONTENT_TYPE_LATEST)


def observe_job(name: str, seconds: float, failed: bool) -> None:
    JOB_SECONDS.labels(name, "failed" if failed else "done").observe(seconds)


# Request ids and one log line per request ------------------------------------------------

def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
    endpoint = request.endpoint or "unmatched"
    REQUEST_SECONDS.labels(endpoint, request.method, str(response.status_code)).observe(seconds)
    if response.status_code >= 500:
        ERRORS.labels(endpoint).inc()
    response.headers["X-Request-ID"] = g.get("request_id", "")
    if endpoint != "static":
        logging.getLogger("portal.requests").info(
            "%s %s %s", request.method, request.path, response.status_code,
            extra={"status": response.status_code, "ms": round(seconds * 1000, 1),
                   "endpoint": endpoint})
    return response


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and the
    extra fields a call passed."""

    STANDARD = set(vars(logging.makeLogRecord({})))

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
        }
        if has_request_context():
            entry["request_id"] = g.get("request_id")
        entry.update({key: value for key, value in vars(record).items()
                      if key not in self.STANDARD and not key.startswith("_")})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _configure_logging(app: Flask) -> None:
    if app.config["LOG_FORMAT"] != "json":
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(app.config["LOG_LEVEL"])


def init_app(app: Flask) -> None:
    _configure_logging(app)
    app.before_request(_start)
    app.after_request(_finish)
    app.register_blueprint(bp)
