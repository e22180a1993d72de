"""Imports from the web as background jobs: the upload is kept under instance/imports/,
a worker reads and imports it in batches that each commit (so other users never wait on
the database's write lock), with its progress and its report kept in import_runs."""
from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal import tasks
from portal.accounts.models import User
from portal.db import batch_session, utcnow, write_session
from portal.errors import PermissionDenied
from portal.postings.importer import ImportFileError, ImportReport, import_records, read_file
from portal.postings.models import ImportRun, ImportStatus
from portal.tasks import enqueue_after_commit, job

log = logging.getLogger(__name__)

LANGUAGES = ("zh", "en")
MAX_KEPT_ERRORS = 1_000  # refused records listed in a report; the rest are counted
DIED = _l("The import stopped with its worker. What was imported before stays; import "
          "the same file again to finish (records already in are updated, not doubled).")


def _uploads() -> Path:
    path = Path(current_app.instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _in_every_language(message: object) -> dict[str, str]:
    """A lazy message rendered now in each language: the report is read later, by
    whoever opens it, in theirs."""
    rendered = {}
    for language in LANGUAGES:
        with force_locale(language):
            rendered[language] = str(message)
    return rendered


def start_import(session: Session, actor: User, data: bytes, filename: str) -> ImportRun:
    """Keep the upload and queue its import (after the caller commits)."""
    if not actor.is_coordinator:
        raise PermissionDenied(_l("Only city coordinators import lists."))
    stored = f"{secrets.token_hex(16)}{Path(filename).suffix.lower()[:6]}"
    run = ImportRun(filename=filename[:200] or "upload", stored_name=stored,
                    requested_by_id=actor.id)
    session.add(run)
    session.flush()
    (_uploads() / stored).write_bytes(data)
    enqueue_after_commit(session, "postings.import", run.id)
    return run


def recent_imports(session: Session, limit: int = 10) -> list[ImportRun]:
    return list(session.scalars(select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)))


def outcome(run: ImportRun) -> ImportStatus:
    """The run's status as it really is: running, but silent for a minute, means its
    worker died (nothing waits on an import, so this is only ever shown)."""
    if tasks.has_died(run.status is ImportStatus.RUNNING, run.heartbeat_at):
        return ImportStatus.FAILED
    return run.status


EMPTY_REPORT = {"organizations_created": 0, "organizations_updated": 0, "postings_created": 0,
                "postings_updated": 0, "refused": 0, "errors": []}


def report_of(run: ImportRun) -> dict[str, Any]:
    """The run's report with every figure present (a run that wrote none has zeros)."""
    return {**EMPTY_REPORT, **(run.report or {})}


def failure(run: ImportRun, language: str) -> str | None:
    if outcome(run) is ImportStatus.FAILED and run.status is ImportStatus.RUNNING:
        return _in_every_language(DIED)[language]
    failed = (run.report or {}).get("failure")
    return failed[language] if failed else None


def _update(run_id: int, **values: Any) -> None:  # noqa: ANN401 - column values
    tasks.update_run(ImportRun, run_id, **values)


def _report(report: ImportReport) -> dict[str, Any]:
    return {
        "organizations_created": report.organizations_created,
        "organizations_updated": report.organizations_updated,
        "postings_created": report.postings_created,
        "postings_updated": report.postings_updated,
        "refused": len(report.errors),
        "errors": [{"ref": error.ref, "field": error.field,
                    "reason": _in_every_language(error.reason)}
                   for error in report.errors[:MAX_KEPT_ERRORS]],
    }


@job("postings.import")
def run_import(run_id: int) -> None:
    """Read the kept upload and import it; the run says how it went, whatever happens."""
    with write_session() as session:
        claimed = session.execute(update(ImportRun).where(
            ImportRun.id == run_id, ImportRun.status == ImportStatus.QUEUED).values(
            status=ImportStatus.RUNNING, started_at=utcnow(), heartbeat_at=utcnow()))
        if claimed.rowcount != 1:
            return  # already run, or claimed by another worker
        run = session.get(ImportRun, run_id)
        path, filename, requester_id = (_uploads() / run.stored_name, run.filename,
                                        run.requested_by_id)
    try:
        with tasks.heartbeat(lambda: _update(run_id, heartbeat_at=utcnow())):
            report = _import(run_id, path, filename, requester_id)
        _update(run_id, status=ImportStatus.DONE, finished_at=utcnow(),
                report=_report(report))
    except ImportFileError as refused:
        _update(run_id, status=ImportStatus.FAILED, finished_at=utcnow(),
                report={"failure": _in_every_language(refused.message)})
    except Exception:  # the run must say it failed, whatever the cause
        log.exception("import run %s failed", run_id)
        _update(run_id, status=ImportStatus.FAILED, finished_at=utcnow(), report={
            "failure": _in_every_language(_l("The import failed unexpectedly; what was "
                                             "imported before stays. Please try again."))})
    finally:
        path.unlink(missing_ok=True)


def _import(run_id: int, path: Path, filename: str, requester_id: int | None) -> ImportReport:
    records = read_file(path.read_bytes(), filename)  # a CSV's name says its posting type
    _update(run_id, records=len(records.get("postings", [])))
    done = 0

    def progress(written: int) -> None:
        nonlocal done
        done += written
        _update(run_id, done=done)

    with batch_session() as session:
        verifier = session.get(User, requester_id) if requester_id else None
        if verifier is None or not verifier.is_coordinator:
            raise ImportFileError(_l("The coordinator who uploaded this list no longer has "
                                     "an account."))
        return import_records(session, records, verifier, progress=progress,
                              commit_batches=True)
