"""The full recompute as a background job: one at a time, progress kept, a failure
recorded and leaving the previous matches in place."""
import pytest
from sqlalchemy import select, text

from portal.accounts.models import Role
from portal.errors import ConflictError
from portal.matching import jobs
from portal.matching.models import MatchRun, MatchRunStatus
from portal.matching.store import recommendations, stored_pairs
from tests import factories


def test_a_run_recomputes_everything_and_reports(app, db):
    order, cnc, data = factories.market(db)
    run = jobs.request_recompute(db, factories.coordinator(db))
    db.commit()  # queued after the commit; runs at once in tests (TASKS_IMMEDIATE)
    db.expire_all()
    run = db.get(MatchRun, run.id)
    assert run.status is MatchRunStatus.DONE and run.progress == 100
    assert run.postings == 3 and run.pairs == stored_pairs(db) > 0
    assert run.started_at and run.finished_at


def test_only_one_run_at_a_time(app, db):
    coordinator = factories.coordinator(db)
    jobs.request_recompute(db, coordinator)
    with pytest.raises(ConflictError):
        jobs.request_recompute(db, coordinator)


def test_a_change_reuses_the_queued_run(app, db):
    coordinator = factories.coordinator(db)
    queued = jobs.request_recompute(db, coordinator)
    assert jobs.queued_after_change(db, coordinator).id == queued.id


def test_a_failed_run_says_so_and_keeps_the_previous_matches(app, db, monkeypatch):
    order, cnc, data = factories.market(db)
    before = [r.posting.id for r in recommendations(db, order)]
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("portal.matching.store.match_all", broken)
    run = jobs.request_recompute(db, None)
    db.commit()
    db.expire_all()
    run = db.get(MatchRun, run.id)
    assert run.status is MatchRunStatus.FAILED and "disk full" in run.error
    assert [r.posting.id for r in recommendations(db, order)] == before


def test_a_run_is_queued_only_if_its_transaction_commits(app, db):
    run_id = jobs.request_recompute(db, None).id
    db.rollback()
    assert db.get(MatchRun, run_id) is None
    run = jobs.request_recompute(db, None)  # the rolled-back one left nothing behind
    db.commit()
    db.expire_all()
    assert db.get(MatchRun, run.id).status is MatchRunStatus.DONE


def test_a_run_is_scored_once_even_if_queued_twice(app, db, monkeypatch):
    run = jobs.request_recompute(db, None)
    db.commit()
    calls = []
    monkeypatch.setattr("portal.matching.jobs.recompute_all",
                        lambda *args, **kwargs: calls.append(args))
    jobs.run_recompute(run.id)  # a second delivery of the same job
    assert calls == []


def test_an_import_queues_a_recompute_that_sees_it(app, db):
    from portal.postings.importer import import_records

    postgres = db.get_bind().dialect.name == "postgresql"
    if postgres:
        started = db.scalar(text("SELECT now()"))
    else:  # what earlier tests' analyses left
        if db.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")):
            db.execute(text("DELETE FROM sqlite_stat1"))
    db.commit()
    records = factories.import_document([factories.IMPORT_DEMAND, factories.IMPORT_SUPPLY])
    report = import_records(db, records, factories.coordinator(db))
    assert report.imported == 2
    db.commit()
    db.expire_all()
    run = db.scalars(select(MatchRun)).one()
    assert run.status is MatchRunStatus.DONE and run.postings == 2
    # Issue 14: the planner learns what the import and the recompute wrote (never-analysed
    # tables made PostgreSQL loop postings × postings).
    if postgres:
        analysed = db.scalars(text("SELECT relname FROM pg_stat_user_tables WHERE "
                                   "last_analyze >= :started AND schemaname = current_schema()"),
                              {"started": started})
    else:
        analysed = db.scalars(text("SELECT tbl FROM sqlite_stat1"))
    assert {"postings", "posting_skills", "posting_matches"} <= set(analysed)


def test_a_run_whose_worker_died_is_failed_within_a_minute_and_can_be_retried(app, db, client,
                                                                             login_as):
    """Issue 14: a run killed mid-way stayed "running" for two hours."""
    from datetime import timedelta

    from portal.db import utcnow

    coordinator = factories.coordinator(db)
    dead = MatchRun(status=MatchRunStatus.RUNNING, started_at=utcnow() - timedelta(minutes=5),
                    heartbeat_at=utcnow() - jobs.DEAD_AFTER - timedelta(seconds=5))
    alive = MatchRun(status=MatchRunStatus.RUNNING, started_at=utcnow(), heartbeat_at=utcnow())
    db.add_all([dead, alive])
    db.commit()
    with pytest.raises(ConflictError):  # a live run is waited for
        jobs.request_recompute(db, coordinator)
    db.rollback()
    runs = {run.id: jobs.outcome(run) for run in jobs.latest_runs(db)}
    assert runs[dead.id] is MatchRunStatus.FAILED and runs[alive.id] is MatchRunStatus.RUNNING
    assert db.get(MatchRun, dead.id).status is MatchRunStatus.RUNNING  # a GET writes nothing
    login_as(Role.COORDINATOR)
    page = client.get("/matching/all").get_data(as_text=True)
    assert 'class="run-failed"' in page and 'class="run-running"' in page
    alive.heartbeat_at = utcnow() - jobs.DEAD_AFTER * 2  # its worker dies too
    db.commit()
    assert jobs.request_recompute(db, coordinator).status is MatchRunStatus.QUEUED  # retried


def test_a_running_run_beats(app, db, monkeypatch):
    import time
    from datetime import timedelta

    from portal import tasks
    from portal.db import read_session

    monkeypatch.setattr(tasks, "HEARTBEAT_EVERY", timedelta(milliseconds=20))
    beats = []

    def slow(*args, **kwargs):  # a recompute that takes a while
        for _ in range(10):
            time.sleep(0.03)
            with read_session() as reader:
                beats.append(reader.scalars(select(MatchRun.heartbeat_at)).one())
        return real(*args, **kwargs)

    real = jobs.recompute_all
    monkeypatch.setattr(jobs, "recompute_all", slow)
    jobs.request_recompute(db, None)
    db.commit()  # the job runs at once in tests
    assert len(set(beats)) > 2  # written again and again while it ran
