"""Background jobs with Huey: a SQLite queue in instance/ by default, Redis when
PORTAL_REDIS_URL is set; tests run jobs at once (TASKS_IMMEDIATE).

The worker: `.venv/bin/huey_consumer portal.worker.huey` (scripts/demo.sh starts one).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from sqlalchemy import event
from sqlalchemy.orm import Session

# Job name → function(app, *args); each runs inside an application context.
JOBS: dict[str, Callable[..., None]] = {}


def job(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Declare a background job; the function takes its arguments as plain values."""
    def register(function: Callable[..., None]) -> Callable[..., None]:
        JOBS[name] = function
        return function
    return register


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
            JOBS[name](*args)

    app.extensions["huey"] = huey
    app.extensions["portal_run_job"] = run_job


def enqueue(name: str, *args: Any) -> None:
    """Queue a job for the worker (or run it now when TASKS_IMMEDIATE is set)."""
    if name not in JOBS:
        raise KeyError(name)
    current_app.extensions["portal_run_job"](name, *args)


AFTER_COMMIT = "jobs_after_commit"


def enqueue_after_commit(session: Session, name: str, *args: Any) -> None:
    """Queue a job once `session` commits (dropped if it rolls back): a job never sees
    data that was not committed, and no request waits for it."""
    session.info.setdefault(AFTER_COMMIT, []).append((name, args))


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    for name, args in session.info.pop(AFTER_COMMIT, []):
        enqueue(name, *args)


@event.listens_for(Session, "after_rollback")
def _drop_on_rollback(session: Session) -> None:
    session.info.pop(AFTER_COMMIT, None)
