"""Background jobs with Huey: a SQLite queue in instance/ by default, Redis when
PORTAL_REDIS_URL is set; tests run jobs at once (TASKS_IMMEDIATE).

The worker: `.venv/bin/huey_consumer portal.worker.huey` (scripts/demo.sh starts one).
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from portal.db import utcnow, write_session

log = logging.getLogger(__name__)

# Job name → function(app, *args); each runs inside an application context.
JOBS: dict[str, Callable[..., None]] = {}


def job(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Declare a background job; the function takes its arguments as plain values."""
    def register(function: Callable[..., None]) -> Callable[..., None]:
        JOBS[name] = function
        return function
    return register


# Job name → crontab fields (in UTC, Huey's default): run by the worker's scheduler.
PERIODIC: dict[str, dict[str, str]] = {}


def periodic(name: str, **schedule: str) -> None:
    """Run a declared job on a schedule (`hour="7", minute="0"`: every day at 07:00 UTC)."""
    PERIODIC[name] = schedule


def _queue(app: Flask) -> Huey:
    if app.config["TASKS_IMMEDIATE"]:
        return MemoryHuey("portal", immediate=True)
    if app.config.get("REDIS_URL"):
        return RedisHuey(app.config["TASKS_QUEUE"], url=app.config["REDIS_URL"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return SqliteHuey("portal", filename=str(Path(app.instance_path) / "tasks.db"))


def init_app(app: Flask) -> None:
    """The queue. Jobs are declared by the services that queue them, which the app's
    blueprints have imported by now."""
    huey = _queue(app)

    @huey.task(name="portal.run_job")
    def run_job(name: str, *args: Any) -> None:
        with app.app_context():
            _timed(name, args)

    for name, schedule in PERIODIC.items():
        _schedule(app, huey, name, schedule)
    app.extensions["huey"] = huey
    app.extensions["portal_run_job"] = run_job


def _schedule(app: Flask, huey: Huey, name: str, schedule: dict[str, str]) -> None:
    @huey.periodic_task(crontab(**schedule), name=f"portal.periodic.{name}")
    def run_periodic() -> None:
        with app.app_context():
            _timed(name, ())


def enqueue(name: str, *args: Any) -> None:
    """Queue a job for the worker (or run it now when TASKS_IMMEDIATE is set)."""
    if name not in JOBS:
        raise KeyError(name)
    if current_app.config["TASKS_IMMEDIATE"]:
        _run_apart(current_app._get_current_object(), name, args)  # type: ignore[attr-defined]
        return
    current_app.extensions["portal_run_job"](name, *args)


def _run_apart(app: Flask, name: str, args: tuple[Any, ...]) -> None:
    """Run a job now, but as the worker would: in a thread of its own, outside the request
    that queued it (its signed-in user, its database session, its locale are not the
    job's). It ends before this returns; a failure is logged, as the worker logs it."""
    def run() -> None:
        with app.app_context():
            try:
                _timed(name, args)
            except Exception:
                log.exception("job %s failed", name)

    thread = threading.Thread(target=run, name=f"job-{name}")
    thread.start()
    thread.join()


def _timed(name: str, args: tuple[Any, ...]) -> None:
    from portal.operations import observe_job

    started, failed = time.perf_counter(), True
    try:
        JOBS[name](*args)
        failed = False
    finally:
        observe_job(name, time.perf_counter() - started, failed)


AFTER_COMMIT = "jobs_after_commit"


def enqueue_after_commit(session: Session, name: str, *args: Any) -> None:
    """Queue a job once `session` commits (dropped if it rolls back): a job never sees
    data that was not committed, and no request waits for it."""
    session.info.setdefault(AFTER_COMMIT, []).append((name, args))


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released: the transaction itself has not committed yet
    for name, args in session.info.pop(AFTER_COMMIT, []):
        enqueue(name, *args)


@event.listens_for(Session, "after_rollback")
def _drop_on_rollback(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT rolled back; what the transaction queued before stands
    session.info.pop(AFTER_COMMIT, None)


# Long jobs (recomputes, imports) beat while they work; one silent for DEAD_AFTER died
# with its worker, and is marked failed so that it can be asked for again.
HEARTBEAT_EVERY = timedelta(seconds=10)
DEAD_AFTER = timedelta(minutes=1)


@contextmanager
def heartbeat(beat: Callable[[], None], every: timedelta | None = None) -> Iterator[None]:
    """While the block runs, a thread calls `beat` (in an application context) every
    `every`; it stops with the block."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    interval = (every or HEARTBEAT_EVERY).total_seconds()
    stopped = threading.Event()

    def loop() -> None:
        with app.app_context():
            while not stopped.wait(interval):
                beat()

    thread = threading.Thread(target=loop, name="job-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopped.set()
        thread.join(interval * 2)


def last_sign_of_life() -> datetime:
    """A run that says it is running but last beat before this died with its worker
    (the one rule, read in Python by has_died and in SQL by matching.jobs.reap_dead_runs)."""
    return utcnow() - DEAD_AFTER


def has_died(running: bool, heartbeat_at: datetime | None) -> bool:
    """Whether a run died with its worker. Pages derive this when they show a run instead
    of writing it, so that a GET never waits on the database's write lock."""
    return running and heartbeat_at is not None and heartbeat_at < last_sign_of_life()


def update_run(model: type, run_id: int, **values: Any) -> None:  # noqa: ANN401
    """Set columns of one run row (a match run, an import run) in a write transaction of
    its own: the job's progress is seen at once, whatever the job's own transaction does."""
    with write_session() as session:
        session.execute(update(model).where(model.id == run_id).values(**values))
