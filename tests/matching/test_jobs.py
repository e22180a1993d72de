"""The full recompute as a background job: one at a time, progress kept, a failure
recorded and leaving the previous matches in place."""
import pytest
from sqlalchemy import delete, func, select, text

from portal.accounts.models import Role
from portal.errors import ConflictError
from portal.matching import jobs
from portal.matching.models import (
    MatchBlockPair,
    MatchRun,
    MatchRunBlock,
    MatchRunStatus,
    PostingMatch,
)
from portal.matching.store import recommendations, stored_pairs
from portal.postings.models import PostingKind
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


def _a_market(db):
    """Eight demands and eight supplies over a few fields, so that lists compete."""
    fields = [("PLC编程、电气图纸", "电气自动化技术"), ("CNC编程、机械制图", "数控技术"),
              ("Python、数据分析", "大数据技术"), ("老年照护、康复护理", "护理")]
    for n in range(8):
        skills, major = fields[n % 4]
        factories.posting(db, PostingKind.TALENT_DEMAND, title=f"岗位{n}", skills=skills,
                          major=major, description=f"负责{skills}相关工作{n}。")
        factories.posting(db, PostingKind.CURRICULUM, title=f"专业{n}", skills=skills,
                          major=major, description=f"培养{skills}人才，{n}届。")
    db.commit()


def _fresh(db):
    """A fresh read: the jobs wrote beside the test's session (which keeps its objects
    on commit)."""
    db.commit()
    db.expire_all()


def _stored(db):
    _fresh(db)
    return {(row.demand_id, row.supply_id): row.score for row in db.scalars(
        select(PostingMatch))}


def test_a_recompute_split_in_blocks_stores_what_one_job_stores(app, db):
    """Issue 14: several workers score a recompute's blocks side by side; the run stores
    the same pairs as one job would."""
    _a_market(db)
    jobs.request_recompute(db, None)
    db.commit()
    whole = _stored(db)
    assert whole
    app.config["MATCH_BLOCKS"] = 3
    run = jobs.request_recompute(db, None)
    db.commit()
    _fresh(db)
    assert db.get(MatchRun, run.id).status is MatchRunStatus.DONE
    assert _stored(db) == whole
    assert db.scalar(select(func.count()).select_from(MatchBlockPair)) == 0  # cleaned up
    blocks = db.scalars(select(MatchRunBlock).where(MatchRunBlock.run_id == run.id)).all()
    assert len(blocks) == 3 and all(block.done for block in blocks)


def test_a_block_delivered_twice_counts_once_and_the_last_block_stores(app, db, monkeypatch):
    _a_market(db)
    jobs.request_recompute(db, None)
    db.commit()
    whole = _stored(db)
    db.execute(delete(PostingMatch))
    db.commit()
    queued = []
    monkeypatch.setattr(jobs, "enqueue_after_commit",
                        lambda session, name, *args: queued.append((name, args)))
    app.config["MATCH_BLOCKS"] = 2
    run = jobs.request_recompute(db, None)
    db.commit()
    jobs.run_recompute(run.id)  # as a worker takes it: it queues the blocks
    assert [name for name, _ in queued] == ["matching.recompute", *["matching.recompute_block"] * 2]
    jobs.run_block(run.id, 0)
    jobs.run_block(run.id, 0)  # delivered again
    _fresh(db)
    assert db.get(MatchRun, run.id).status is MatchRunStatus.RUNNING and _stored(db) == {}
    jobs.run_block(run.id, 1)
    _fresh(db)
    assert db.get(MatchRun, run.id).status is MatchRunStatus.DONE and _stored(db) == whole


def test_a_failed_block_fails_the_run_and_keeps_the_previous_matches(app, db, monkeypatch):
    _a_market(db)
    jobs.request_recompute(db, None)
    db.commit()
    before = _stored(db)

    def broken(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(jobs, "match_block", broken)
    app.config["MATCH_BLOCKS"] = 2
    run = jobs.request_recompute(db, None)
    db.commit()
    _fresh(db)
    failed = db.get(MatchRun, run.id)
    assert failed.status is MatchRunStatus.FAILED and "out of memory" in failed.error
    assert _stored(db) == before
