"""Issuing agreements: render the approved terms, store the PDF under a generated name
with its SHA-256, supersede the previous version. Runs after the approval commits."""
from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agreements.document import agreement_pdf
from portal.agreements.models import Agreement, AgreementStatus
from portal.cooperation.models import Proposal
from portal.cooperation.services import partnership_terminated
from portal.db import write_session
from portal.tasks import job


def storage_dir() -> Path:
    path = Path(current_app.instance_path) / "agreements"
    path.mkdir(parents=True, exist_ok=True)
    return path


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
    pdf = agreement_pdf(agreement)
    agreement.stored_name = f"{secrets.token_hex(16)}.pdf"
    (storage_dir() / agreement.stored_name).write_bytes(pdf)
    agreement.sha256, agreement.size = hashlib.sha256(pdf).hexdigest(), len(pdf)
    for older in session.scalars(select(Agreement).where(
            Agreement.proposal_id == proposal.id, Agreement.id != agreement.id,
            Agreement.status == AgreementStatus.ACTIVE)):
        older.status = AgreementStatus.SUPERSEDED
    session.flush()
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


class AlteredFile(RuntimeError):
    """A stored agreement no longer matches the SHA-256 recorded when it was issued."""


def pdf_bytes(agreement: Agreement) -> bytes:
    """The issued PDF, checked against its recorded SHA-256 (issued files never change)."""
    data = (storage_dir() / agreement.stored_name).read_bytes()
    if hashlib.sha256(data).hexdigest() != agreement.sha256:
        raise AlteredFile(f"{agreement.number}: the stored file {agreement.stored_name} "
                          f"does not match its recorded SHA-256")
    return data


def pending(session: Session) -> list[Proposal]:
    """Approved partnerships whose approved version has no agreement yet (a job that
    failed or has not run)."""
    issued = select(Agreement.id).where(Agreement.proposal_id == Proposal.id,
                                        Agreement.version == Proposal.approved_version)
    return list(session.scalars(select(Proposal).where(
        Proposal.approved_version.is_not(None), ~issued.exists()).order_by(Proposal.id)))


@job("agreements.issue")
def issue_job(proposal_id: int) -> None:
    with write_session() as session:
        proposal = session.get(Proposal, proposal_id)
        if proposal is not None:
            issue(session, proposal)
