"""Issuing agreements: render the approved terms, store the PDF under a generated name
with its SHA-256, supersede the previous version. Runs after the approval commits."""
from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.agreements.document import agreement_pdf
from portal.agreements.events import AGREEMENT_ISSUED
from portal.agreements.models import Agreement, AgreementStatus
from portal.agreements.storage import read_checked, store_pdf
from portal.cooperation.models import Proposal, ProposalStatus
from portal.db import utcnow, write_session
from portal.errors import PermissionDenied
from portal.events import tell
from portal.signals import partnership_terminated
from portal.tasks import enqueue_after_commit, job


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


@job("agreements.english")
def english_job(agreement_id: int) -> None:
    with write_session() as session:
        agreement = session.get(Agreement, agreement_id)
        if agreement is not None:
            issue_english(session, agreement)


@job("agreements.issue")
def issue_job(proposal_id: int) -> None:
    with write_session() as session:
        proposal = session.get(Proposal, proposal_id)
        if proposal is not None:
            issue(session, proposal)
