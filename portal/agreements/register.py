"""The coordinators' register of issued agreements, and certificates awaiting them."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from portal.accounts.models import Organization
from portal.agreements.models import (
    Agreement,
    AgreementStatus,
    CertificateStatus,
    MentorCertificate,
)
from portal.cooperation.models import CooperationKind, Proposal
from portal.db import contains
from portal.paging import Page, numbered_page

PAGE_SIZE = 25


@dataclass
class RegisterQuery:
    status: AgreementStatus | None = None
    kind: CooperationKind | None = None
    signed: bool | None = None
    text: str = ""  # number, title or either party's name
    page: int = 1


def _filtered(query: RegisterQuery) -> Select:
    proposer, partner = aliased(Organization), aliased(Organization)
    statement = (select(Agreement).join(Proposal, Proposal.id == Agreement.proposal_id)
                 .join(proposer, proposer.id == Proposal.proposer_org_id)
                 .join(partner, partner.id == Proposal.partner_org_id))
    if query.status is not None:
        statement = statement.where(Agreement.status == query.status)
    if query.kind is not None:
        statement = statement.where(Proposal.kind == query.kind)
    if query.signed is not None:
        statement = statement.where(Agreement.signed_at.is_not(None) if query.signed
                                    else Agreement.signed_at.is_(None))
    if query.text:
        statement = statement.where(or_(*[
            contains(column, query.text, ignore_case=True)
            for column in (Agreement.number, Proposal.title, proposer.name, partner.name)]))
    return statement


def register(session: Session, query: RegisterQuery) -> Page:
    """Agreements matching the filters, newest first."""
    return numbered_page(session, _filtered(query).options(
        selectinload(Agreement.proposal).selectinload(Proposal.proposer),
        selectinload(Agreement.proposal).selectinload(Proposal.partner))
        .order_by(Agreement.issued_at.desc(), Agreement.id.desc()), query.page, PAGE_SIZE)


def awaiting_countersignature(session: Session) -> list[MentorCertificate]:
    return list(session.scalars(select(MentorCertificate).where(
        MentorCertificate.status == CertificateStatus.PENDING)
        .options(selectinload(MentorCertificate.proposal))
        .order_by(MentorCertificate.filed_at)))
