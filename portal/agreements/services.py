"""Issuing agreements: render the approved terms, store the PDF under a generated name
with its SHA-256, supersede the previous version. Runs after the approval commits."""
from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agreements.models import Agreement, AgreementStatus
from portal.agreements.render import render_pdf
from portal.cooperation.models import Proposal
from portal.cooperation.services import enterprise_and_university
from portal.cooperation.terms import TERMS
from portal.db import write_session
from portal.tasks import job


def storage_dir() -> Path:
    path = Path(current_app.instance_path) / "agreements"
    path.mkdir(parents=True, exist_ok=True)
    return path


def agreement_number(agreement_id: int, year: int) -> str:
    return f"CJ-{year}-{agreement_id:06d}"


def issue(session: Session, proposal: Proposal) -> Agreement | None:
    """The agreement for the proposal's approved version (once; None if not approved)."""
    if proposal.approved_version is None:
        return None
    existing = session.scalar(select(Agreement).where(
        Agreement.proposal_id == proposal.id, Agreement.version == proposal.approved_version))
    if existing is not None:
        return existing
    agreement = Agreement(proposal_id=proposal.id, version=proposal.approved_version,
                          number="pending", verification_code=secrets.token_urlsafe(9),
                          stored_name="pending", sha256="", size=0)
    session.add(agreement)
    session.flush()
    agreement.number = agreement_number(agreement.id, proposal.approved_at.year)
    enterprise, university = enterprise_and_university(proposal)
    terms = proposal.versions[proposal.approved_version - 1].terms
    # The agreement is in Chinese whoever's action issued it, and is rendered without the
    # site's context processors: the job must not consult a signed-in user or request.
    with force_locale("zh"):
        template = current_app.jinja_env.get_template("agreements/agreement.html")
        html = template.render(
            number=agreement.number, proposal=proposal, enterprise=enterprise,
            university=university, version=agreement.version,
            fields=[(str(field.label), terms.get(field.name))
                    for field in TERMS[proposal.kind]],
            code=agreement.verification_code)
    pdf = render_pdf(html)
    agreement.stored_name = f"{secrets.token_hex(16)}.pdf"
    (storage_dir() / agreement.stored_name).write_bytes(pdf)
    agreement.sha256, agreement.size = hashlib.sha256(pdf).hexdigest(), len(pdf)
    for older in session.scalars(select(Agreement).where(
            Agreement.proposal_id == proposal.id, Agreement.id != agreement.id,
            Agreement.status == AgreementStatus.ACTIVE)):
        older.status = AgreementStatus.SUPERSEDED
    session.flush()
    return agreement


def pdf_bytes(agreement: Agreement) -> bytes:
    return (storage_dir() / agreement.stored_name).read_bytes()


@job("agreements.issue")
def issue_job(proposal_id: int) -> None:
    with write_session() as session:
        proposal = session.get(Proposal, proposal_id)
        if proposal is not None:
            issue(session, proposal)
