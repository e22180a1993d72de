"""Background jobs: the queue follows the configuration, and a job round-trips through
Redis when one is reachable (CI has one on 127.0.0.1:6379)."""
import uuid

import pytest
from huey import MemoryHuey, RedisHuey, SqliteHuey

from portal import create_app, tasks
from tests import factories

REDIS_URL = "redis://127.0.0.1:6379/15"
# A queue of this run's own: the SQLite and PostgreSQL runs may share the Redis at once.
QUEUE = f"portal-test-{uuid.uuid4().hex[:8]}"




def make(app_config, **overrides):
    return create_app({**app_config, **overrides})


def test_the_queue_follows_the_configuration(app_config):
    assert isinstance(make(app_config).extensions["huey"], MemoryHuey)  # tests: immediate
    sqlite = make(app_config, TASKS_IMMEDIATE=False).extensions["huey"]
    assert isinstance(sqlite, SqliteHuey) and sqlite.storage.filename.endswith("tasks.db")
    redis = make(app_config, TASKS_IMMEDIATE=False, REDIS_URL=REDIS_URL).extensions["huey"]
    assert isinstance(redis, RedisHuey)


def test_unknown_jobs_are_refused(app):
    with pytest.raises(KeyError):
        tasks.enqueue("no.such.job")


@pytest.mark.skipif(not factories.redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_a_job_round_trips_through_redis(app_config, monkeypatch):
    app = make(app_config, TASKS_IMMEDIATE=False, REDIS_URL=REDIS_URL, TASKS_QUEUE=QUEUE)
    huey = app.extensions["huey"]
    ran = []
    monkeypatch.setitem(tasks.JOBS, "test.record", lambda value: ran.append(value))
    try:
        with app.app_context():
            tasks.enqueue("test.record", 42)
        assert huey.pending_count() == 1 and ran == []  # queued, not run
        message = huey.dequeue()
        huey.execute(message)  # what the worker does
        assert ran == [42]
    finally:
        huey.flush()


def test_the_worker_knows_every_job_the_services_declare(tmp_path):
    """The worker imports nothing but the app: every job must be declared by then (in a
    fresh interpreter, so no test's imports stand in for the app's)."""
    import re
    import subprocess
    import sys
    from pathlib import Path

    package = Path(tasks.__file__).parent
    declared = {name for path in package.rglob("*.py")
                for name in re.findall(r'@job\("([^"]+)"\)', path.read_text(encoding="utf-8"))}
    known = subprocess.run(
        [sys.executable, "-c", "from portal import create_app; from portal.tasks import JOBS; "
         f"create_app({{'TESTING': True, 'CHECK_PRINTING': False, 'INSTANCE_PATH': "
         f"{str(tmp_path)!r}}}); print(' '.join(JOBS))"],
        capture_output=True, text=True, check=True).stdout.split()
    assert len(declared) >= 5 and set(known) == declared


def test_a_job_waits_for_the_real_commit_not_a_savepoint(app, db, monkeypatch):
    """Found by bench/bench_load.py: releasing a SAVEPOINT (the importer makes one per
    record) fired the after-commit hook, so queued jobs ran before the transaction they
    belong to had committed (and, on SQLite, waited on its lock)."""
    ran = []
    monkeypatch.setitem(tasks.JOBS, "test.note", lambda: ran.append("ran"))
    tasks.enqueue_after_commit(db, "test.note")
    with db.begin_nested():
        pass
    assert ran == []
    db.commit()
    assert ran == ["ran"]


def test_the_worker_checks_the_warning_rules_every_morning(app_config, monkeypatch):
    """The scheduled job runs the declared job, in an app context, at 23:00 UTC (07:00 in
    Shanghai)."""
    from datetime import datetime

    huey = make(app_config, TASKS_IMMEDIATE=False).extensions["huey"]
    scheduled = {task.name: task for task in huey._registry.periodic_tasks}
    task = scheduled["portal.periodic.monitoring.evaluate_warnings"]
    assert task.validate_datetime(datetime(2026, 12, 1, 23, 0))
    assert not task.validate_datetime(datetime(2026, 12, 1, 7, 0))
    ran = []
    monkeypatch.setitem(tasks.JOBS, "monitoring.evaluate_warnings", lambda: ran.append(1))
    task.execute()
    assert ran == [1]
