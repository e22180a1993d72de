"""The directory of verified organisations and each one's profile: who it is, what it
publishes, and with whom it cooperates (titles and kinds; the terms stay the parties')."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from portal.accounts.models import Organization, OrgKind, OrgStatus, User
from portal.cooperation.models import Proposal, ProposalStatus
from portal.db import contains
from portal.paging import Page, numbered_page
from portal.postings.models import Posting

PAGE_SIZE = 20
TEXT_MAX = 100
PROFILE_POSTINGS = 50
# Partnerships a profile shows: those the coordinators approved and not ended badly.
SHOWN_PARTNERSHIPS = (ProposalStatus.ACTIVE, ProposalStatus.COMPLETED)


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    kind: OrgKind | None = None
    district: str = ""
    page: int = 1

    @classmethod
    def cleaned(cls, text: str, kind: OrgKind | None, district: str, page: int
                ) -> DirectoryQuery:
        def tidy(value: str) -> str:
            return unicodedata.normalize("NFKC", value[:TEXT_MAX]).strip()

        return cls(tidy(text), kind, tidy(district), page)


def can_see_profile(org: Organization, user: User | None) -> bool:
    """Any signed-in person sees a verified organisation; one still under review only
    its own members and the coordinators."""
    return bool(user and user.is_authenticated) and (org.is_verified or org.can_view(user))


def search_directory(session: Session, query: DirectoryQuery) -> Page:
    """A page of verified organisations matching `query`, by name."""
    return numbered_page(session, directory_statement(query).order_by(
        Organization.name, Organization.id), query.page, PAGE_SIZE)


def directory_statement(query: DirectoryQuery, updated_since: datetime | None = None) -> Select:
    """The verified organisations matching `query` (changed after `updated_since`, if
    given), unsorted."""
    statement = select(Organization).where(Organization.status == OrgStatus.VERIFIED)
    if updated_since is not None:
        statement = statement.where(Organization.updated_at > updated_since)
    if query.kind is not None:
        statement = statement.where(Organization.kind == query.kind)
    if query.district:
        statement = statement.where(Organization.district == query.district)
    if query.text:
        statement = statement.where(or_(
            contains(Organization.name, query.text, ignore_case=True),
            contains(Organization.industry, query.text, ignore_case=True)))
    return statement


def live_counts(session: Session, orgs: list[Organization], today: date) -> dict[int, int]:
    """Live postings per organisation of a page, in one query."""
    ids = [org.id for org in orgs]
    if not ids:
        return {}
    rows = session.execute(select(Posting.organization_id, func.count()).where(
        Posting.organization_id.in_(ids), Posting.is_live_on(today)).group_by(
        Posting.organization_id))
    return {org_id: count for org_id, count in rows}


def districts(session: Session) -> list[str]:
    """The districts verified organisations are in, for the filter."""
    return list(session.scalars(select(Organization.district).where(
        Organization.status == OrgStatus.VERIFIED, Organization.district != "").distinct()
        .order_by(Organization.district)))


@dataclass(frozen=True)
class Partnership:
    title: str
    kind_label: str
    partner: Organization
    status: ProposalStatus


@dataclass(frozen=True)
class Profile:
    org: Organization
    postings: list[Posting]
    partnerships: list[Partnership]


def profile(session: Session, org: Organization, today: date) -> Profile:
    postings = list(session.scalars(select(Posting).where(
        Posting.organization_id == org.id, Posting.is_live_on(today)).order_by(
        Posting.published_at.desc(), Posting.id.desc()).limit(PROFILE_POSTINGS)))
    proposals = session.scalars(select(Proposal).where(
        or_(Proposal.proposer_org_id == org.id, Proposal.partner_org_id == org.id),
        Proposal.status.in_(SHOWN_PARTNERSHIPS)).order_by(Proposal.approved_at.desc(),
                                                          Proposal.id.desc()))
    partnerships = [Partnership(p.title, p.kind.label,
                                p.partner if p.proposer_org_id == org.id else p.proposer,
                                p.status) for p in proposals]
    return Profile(org, postings, partnerships)
