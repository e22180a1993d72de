"""Issuing agreements: render the approved terms, store the PDF under a generated name
with its SHA-256, supersede the previous version. Runs after the approval commits."""
from __future__ import annotations

import enum
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.agreements.document import agreement_pdf
from portal.agreements.events import AGREEMENT_ISSUED
from portal.agreements.models import Agreement, AgreementStatus, RenderAttempt
from portal.cooperation.models import Proposal, ProposalStatus
from portal.db import utcnow, write_session
from portal.errors import PermissionDenied, WorkflowError
from portal.events import tell
from portal.signals import agreement_issued, partnership_terminated
from portal.storage import read_checked, store_pdf
from portal.tasks import enqueue_after_commit, job

log = logging.getLogger(__name__)


def agreement_number(agreement_id: int, year: int) -> str:
    return f"CJ-{year}-{agreement_id:06d}"


# Codes people may type from paper: no 0/O, 1/I/L; 60 bits, in groups of four.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def issue(session: Session, proposal: Proposal) -> Agreement | None:
    """The agreement for the proposal's approved version (once; None if not approved)."""
    if proposal.approved_version is None:
        return None
    existing = session.scalar(select(Agreement).where(
        Agreement.proposal_id == proposal.id, Agreement.version == proposal.approved_version))
    if existing is not None:
        return existing
    agreement = Agreement(proposal_id=proposal.id, version=proposal.approved_version,
                          number="pending", verification_code=new_verification_code(),
                          stored_name="pending", sha256="", size=0)
    session.add(agreement)
    session.flush()
    agreement.number = agreement_number(agreement.id, proposal.approved_at.year)
    agreement.stored_name, agreement.sha256, agreement.size = store_pdf(
        session, agreement_pdf(agreement))
    if proposal.status is ProposalStatus.TERMINATED:
        # Terminated before this job ran: the signal found no agreement to mark.
        agreement.status = AgreementStatus.TERMINATED
    for older in session.scalars(select(Agreement).where(
            Agreement.proposal_id == proposal.id, Agreement.id != agreement.id,
            Agreement.status == AgreementStatus.ACTIVE)):
        older.status = AgreementStatus.SUPERSEDED
    session.flush()
    agreement_issued.send(agreement, session=session)
    tell(session, proposal.members(), AGREEMENT_ISSUED,
           {"title": proposal.title, "number": agreement.number}, proposal_id=proposal.id)
    return agreement


def terminate(session: Session, proposal: Proposal) -> None:
    """The agreement in force ends with the partnership; older versions stay superseded."""
    for agreement in session.scalars(select(Agreement).where(
            Agreement.proposal_id == proposal.id, Agreement.status == AgreementStatus.ACTIVE)):
        agreement.status = AgreementStatus.TERMINATED
    session.flush()


def _on_terminated(proposal: Proposal, session: Session) -> None:
    terminate(session, proposal)


def init_app() -> None:
    partnership_terminated.connect(_on_terminated)


def request_english(session: Session, agreement: Agreement, actor: User) -> None:
    """Queue the English copy of an issued agreement (once; the Chinese text prevails)."""
    if not agreement.proposal.can_view(actor):
        raise PermissionDenied(_l("Only the two organisations and coordinators can do this."))
    if agreement.english_requested_at is None:
        agreement.english_requested_at = utcnow()
        session.flush()
        enqueue_after_commit(session, "agreements.english", agreement.id)


def issue_english(session: Session, agreement: Agreement) -> None:
    if agreement.english_stored_name is None:
        agreement.english_stored_name, agreement.english_sha256, agreement.english_size = \
            store_pdf(session, agreement_pdf(agreement, "en"))
        session.flush()


def pdf_bytes(agreement: Agreement) -> bytes:
    """The issued PDF, checked against its recorded SHA-256: issued files never change."""
    return read_checked(agreement.stored_name, agreement.sha256)


def pending(session: Session) -> list[Proposal]:
    """Approved partnerships whose approved version has no agreement yet (a job that
    failed or has not run)."""
    issued = select(Agreement.id).where(Agreement.proposal_id == Proposal.id,
                                        Agreement.version == Proposal.approved_version)
    return list(session.scalars(select(Proposal).where(
        Proposal.approved_version.is_not(None), ~issued.exists()).order_by(Proposal.id)))


# A document not made this long after it was asked for is taken as lost with its job
# (a worker killed mid-render leaves no failure behind); rendering takes seconds.
RENDER_LATE_AFTER = timedelta(minutes=10)


class DocumentState(enum.Enum):
    READY = "ready"
    PREPARING = "preparing"
    FAILED = "failed"  # say so, and offer to try again


def _state(session: Session, document: str, object_id: int, asked_at: datetime | None,
           ready: bool) -> DocumentState:
    if ready:
        return DocumentState.READY
    attempt = _attempt(session, document, object_id)
    if attempt is not None and attempt.has_failed:
        return DocumentState.FAILED
    waiting_since = attempt.retried_at if attempt is not None else asked_at
    if waiting_since is not None and waiting_since < utcnow() - RENDER_LATE_AFTER:
        return DocumentState.FAILED
    return DocumentState.PREPARING


def _attempt(session: Session, document: str, object_id: int) -> RenderAttempt | None:
    return session.scalar(select(RenderAttempt).where(RenderAttempt.document == document,
                                                      RenderAttempt.object_id == object_id))


def _attempt_again(session: Session, document: str, object_id: int) -> RenderAttempt:
    attempt = _attempt(session, document, object_id)
    if attempt is None:
        attempt = RenderAttempt(document=document, object_id=object_id)
        session.add(attempt)
    return attempt


def agreement_state(session: Session, proposal: Proposal) -> DocumentState | None:
    """Where the approved version's agreement is; None before any approval."""
    if proposal.approved_version is None:
        return None
    ready = any(agreement.version == proposal.approved_version
                for agreement in proposal.agreements)
    return _state(session, RenderAttempt.AGREEMENT, proposal.id, proposal.approved_at, ready)


def english_state(session: Session, agreement: Agreement) -> DocumentState | None:
    if agreement.english_requested_at is None:
        return None
    return _state(session, RenderAttempt.ENGLISH, agreement.id,
                  agreement.english_requested_at, agreement.english_stored_name is not None)


def retry_agreement(session: Session, proposal: Proposal, actor: User) -> None:
    """Queue the approved version's agreement again (issuing it is idempotent)."""
    _retry(session, proposal, actor, agreement_state(session, proposal),
           RenderAttempt.AGREEMENT, proposal.id, "agreements.issue",
           _l("The agreement is issued or still being prepared."))


def retry_english(session: Session, agreement: Agreement, actor: User) -> None:
    _retry(session, agreement.proposal, actor, english_state(session, agreement),
           RenderAttempt.ENGLISH, agreement.id, "agreements.english",
           _l("The English copy is ready or still being prepared."))


def _retry(session: Session, proposal: Proposal, actor: User, state: DocumentState | None,
           document: str, object_id: int, job_name: str, not_failed: object) -> None:
    if not proposal.can_view(actor):
        raise PermissionDenied(_l("Only the two organisations and coordinators can do this."))
    if state is not DocumentState.FAILED:
        raise WorkflowError(not_failed)
    _attempt_again(session, document, object_id).retried_at = utcnow()
    session.flush()
    enqueue_after_commit(session, job_name, object_id)


@contextmanager
def _rendering(document: str, object_id: int) -> Iterator[Session]:
    """A document job's transaction. If it fails, nothing of its work is kept, and the
    failure is (in a transaction of its own) for the page to show."""
    try:
        with write_session() as session:
            yield session
            session.execute(delete(RenderAttempt).where(RenderAttempt.document == document,
                                                        RenderAttempt.object_id == object_id))
    except Exception as error:  # whatever broke, the page must be able to say so
        log.exception("rendering %s %s failed", document, object_id)
        with write_session() as session:
            attempt = _attempt_again(session, document, object_id)
            attempt.failed_at = utcnow()
            attempt.error = f"{type(error).__name__}: {error}"[:2000]


@job("agreements.english")
def english_job(agreement_id: int) -> None:
    with _rendering(RenderAttempt.ENGLISH, agreement_id) as session:
        agreement = session.get(Agreement, agreement_id)
        if agreement is not None:
            issue_english(session, agreement)


@job("agreements.issue")
def issue_job(proposal_id: int) -> None:
    with _rendering(RenderAttempt.AGREEMENT, proposal_id) as session:
        proposal = session.get(Proposal, proposal_id)
        if proposal is not None:
            issue(session, proposal)
