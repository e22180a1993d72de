"""The full recompute as a background job, with its progress kept in match_runs."""
from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from portal import tasks
from portal.accounts.models import User
from portal.db import read_session, refresh_statistics, utcnow, write_session
from portal.errors import ConflictError
from portal.matching.models import (
    MatchBlockPair,
    MatchRun,
    MatchRunBlock,
    MatchRunStatus,
    PostingMatch,
)
from portal.matching.outcomes import evaluate
from portal.matching.services import match_block
from portal.matching.store import (
    TOP_STORED,
    merged_blocks,
    recompute_all,
    stage_block,
    store_all,
    stored_pairs,
)
from portal.postings.models import Posting, PostingSkill
from portal.signals import matches_recomputed, postings_imported
from portal.tasks import enqueue_after_commit, job

log = logging.getLogger(__name__)

# A queued run no worker took in this long is not waited for any more.
STALE_AFTER = timedelta(hours=2)
DEAD_AFTER = tasks.DEAD_AFTER
DIED = "The worker stopped during this run (no sign of life for a minute). The previous " \
       "matches are kept; ask for a new recompute."


def reap_dead_runs(session: Session) -> int:
    """Mark failed the running runs whose worker died, before a new run is asked for
    (in the asking request's own transaction); returns how many."""
    dead = session.execute(update(MatchRun).where(
        MatchRun.status == MatchRunStatus.RUNNING,
        MatchRun.heartbeat_at < tasks.last_sign_of_life()).values(
        status=MatchRunStatus.FAILED, finished_at=utcnow(), error=DIED))
    return dead.rowcount


def active_run(session: Session) -> MatchRun | None:
    reap_dead_runs(session)
    return session.scalar(select(MatchRun).where(
        MatchRun.status.in_([MatchRunStatus.QUEUED, MatchRunStatus.RUNNING]),
        MatchRun.requested_at > utcnow() - STALE_AFTER).order_by(MatchRun.id.desc()))


def latest_runs(session: Session, limit: int = 5) -> list[MatchRun]:
    return list(session.scalars(select(MatchRun).order_by(MatchRun.id.desc()).limit(limit)))


def outcome(run: MatchRun) -> MatchRunStatus:
    """The run's status as it really is: a dead run shows as failed within a minute,
    derived here rather than written during a GET."""
    if tasks.has_died(run.status is MatchRunStatus.RUNNING, run.heartbeat_at):
        return MatchRunStatus.FAILED
    return run.status


def under_way(run: MatchRun) -> bool:
    """Queued or running, and alive (the page follows its progress)."""
    return outcome(run) in (MatchRunStatus.QUEUED, MatchRunStatus.RUNNING)


def request_recompute(session: Session, actor: User | None) -> MatchRun:
    """Queue a full recompute unless one is already queued or running; the worker starts
    it once the caller commits."""
    if active_run(session) is not None:
        raise ConflictError(_l("A recompute is already under way; its progress is shown "
                               "below."))
    return _new_run(session, actor)


def queued_after_change(session: Session, actor: User | None) -> MatchRun:
    """A run that will see a change just made (synonyms, an import): the queued one, else
    a new one (a running one started before the change)."""
    queued = session.scalar(select(MatchRun).where(MatchRun.status == MatchRunStatus.QUEUED,
                                                   MatchRun.requested_at > utcnow() - STALE_AFTER))
    return queued if queued is not None else _new_run(session, actor)


def _new_run(session: Session, actor: User | None) -> MatchRun:
    run = MatchRun(requested_by_id=actor.id if actor else None)
    session.add(run)
    session.flush()
    enqueue_after_commit(session, "matching.recompute", run.id)
    return run


def _on_postings_imported(sender: object, session: Session, actor: User) -> None:
    queued_after_change(session, actor)


def init_app() -> None:
    """Imported postings bypass the per-posting refresh: recompute everything after."""
    postings_imported.connect(_on_postings_imported)


def _claim(run_id: int) -> bool:
    """Mark a queued run running; False when it is not queued (already run, or claimed
    by another worker), so no run is scored twice."""
    with write_session() as session:
        claimed = session.execute(update(MatchRun).where(
            MatchRun.id == run_id, MatchRun.status == MatchRunStatus.QUEUED).values(
            status=MatchRunStatus.RUNNING, started_at=utcnow(), heartbeat_at=utcnow(),
            stage="scoring", progress=5))
        return claimed.rowcount == 1


def _update(run_id: int, **values: object) -> None:
    tasks.update_run(MatchRun, run_id, **values)


@job("matching.recompute")
def run_recompute(run_id: int) -> None:
    """Score everything (reading only), then store the matches and finish the run in one
    write transaction: a failed run leaves the previous matches as they were."""
    if not _claim(run_id):
        return
    blocks = current_app.config["MATCH_BLOCKS"]
    if blocks > 1:
        _split(run_id, blocks)
        return
    try:
        with _beating(run_id), read_session() as read, write_session() as write:
            def progress(stage: str, percent: int) -> None:
                if stage == "saving":  # the last report before the write transaction
                    _update(run_id, stage=stage, progress=percent)

            ranking = recompute_all(read, write, progress=progress)
            _finish(write, run_id, len(ranking.by_demand) + len(ranking.by_supply))
    except Exception as error:  # the run must say it failed, whatever the cause
        _fail(run_id, error)
        return
    _follow_up(run_id)


def _beating(run_id: int) -> AbstractContextManager[None]:
    return tasks.heartbeat(lambda: _update(run_id, heartbeat_at=utcnow()))


def _finish(write: Session, run_id: int, postings: int) -> None:
    run = write.get(MatchRun, run_id)
    if run is not None:
        run.status, run.stage, run.progress = MatchRunStatus.DONE, "done", 100
        run.postings, run.pairs = postings, stored_pairs(write)
        run.finished_at = utcnow()


def _fail(run_id: int, error: Exception) -> None:
    log.exception("match recompute %s failed", run_id)
    _update(run_id, status=MatchRunStatus.FAILED, finished_at=utcnow(),
            error=f"{type(error).__name__}: {error}"[:2000])


def _split(run_id: int, blocks: int) -> None:
    """Queue the run's blocks; whichever worker finishes the last one stores the run."""
    with write_session() as session:
        session.add_all(MatchRunBlock(run_id=run_id, block=block) for block in range(blocks))
        session.flush()
        for block in range(blocks):
            enqueue_after_commit(session, "matching.recompute_block", run_id, block)


@job("matching.recompute_block")
def run_block(run_id: int, block: int) -> None:
    """Score one block and keep what it found (again, if delivered twice); the last block
    done stores the whole run. A failed block fails the run: the previous matches stay."""
    with read_session() as session:
        run = session.get(MatchRun, run_id)
        blocks = session.scalar(select(func.count()).where(MatchRunBlock.run_id == run_id))
        if run is None or run.status is not MatchRunStatus.RUNNING or not blocks:
            return
    try:
        with _beating(run_id):
            with read_session() as read:
                ranking = match_block(read, block, blocks, top=TOP_STORED)
            with write_session() as write:
                stage_block(write, run_id, block, ranking)
                write.execute(update(MatchRunBlock).where(
                    MatchRunBlock.run_id == run_id, MatchRunBlock.block == block).values(
                    done=True, finished_at=utcnow()))
            # Counted after committing: of two blocks finishing together, the later one
            # to commit sees both done.
            with write_session() as write:
                done = write.scalar(select(func.count()).where(
                    MatchRunBlock.run_id == run_id, MatchRunBlock.done.is_(True))) or 0
                write.execute(update(MatchRun).where(MatchRun.id == run_id).values(
                    progress=5 + 65 * done // blocks))
                last = done == blocks and write.execute(update(MatchRun).where(
                    MatchRun.id == run_id, MatchRun.stage != "saving").values(
                    stage="saving", progress=70)).rowcount == 1
            if last:
                _store_blocks(run_id)
    except Exception as error:  # the run must say it failed, whatever the cause
        _fail(run_id, error)
        return
    if last:
        _follow_up(run_id)


def _store_blocks(run_id: int) -> None:
    with read_session() as read, write_session() as write:
        store_all(write, merged_blocks(read, run_id))
        write.execute(delete(MatchBlockPair).where(MatchBlockPair.run_id == run_id))
        live = write.scalar(select(func.count()).where(Posting.is_live_on(date.today())))
        _finish(write, run_id, live or 0)


def _news_since(session: Session, run_id: int) -> datetime:
    """Postings published from this moment were first matched by run `run_id`: the start
    of the run done before it (or, for the first run, a while before it was asked for)."""
    previous = session.scalar(select(func.max(MatchRun.started_at)).where(
        MatchRun.id < run_id, MatchRun.status == MatchRunStatus.DONE))
    if previous is not None:
        return previous
    run = session.get(MatchRun, run_id)
    return (run.requested_at if run else utcnow()) - STALE_AFTER


def _follow_up(run_id: int) -> None:
    """After the matches are stored; a failure here is only logged."""
    try:
        # The planner must know the new pairs (and any imported postings) at once.
        with write_session() as session:
            refresh_statistics(session, Posting.__table__, PostingSkill.__table__,
                               PostingMatch.__table__)
    except Exception:
        log.exception("refreshing statistics after match run %s failed", run_id)
    try:
        with write_session() as session:
            matches_recomputed.send(None, session=session, since=_news_since(session, run_id))
    except Exception:
        log.exception("announcing match run %s failed", run_id)
    try:
        # The precision on members' outcomes, one point of its history per recompute.
        with write_session() as session:
            evaluate(session, "recompute")
    except Exception:
        log.exception("evaluating match run %s on outcomes failed", run_id)
