"""Lists of proposals and partnerships: filtered by state, kind, counterpart and date,
sorted, a page at a time; every matching row for the coordinators' export."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from portal.accounts.models import Organization, User
from portal.cooperation.models import CooperationKind, Proposal, ProposalStatus
from portal.db import contains
from portal.paging import KeysetPage, Page, Sort, SortKey, keyset_page, numbered_page

PAGE_SIZE = 25
# Rows an export holds at most (a city's partnerships fit many times over).
EXPORT_MAX = 20_000
SORTS = ("updated", "created", "title")


@dataclass
class ProposalQuery:
    status: ProposalStatus | None = None
    kind: CooperationKind | None = None
    text: str = ""  # the title or either party's name
    since: date | None = None  # last changed on or after
    until: date | None = None  # last changed on or before
    sort: str = "updated"
    page: int = 1
    zone: tzinfo = UTC  # the city's: a day starts at its midnight
    # Changed after this moment (the API's mirroring): listed oldest change first.
    updated_since: datetime | None = None


def _filtered(user: User, query: ProposalQuery) -> Select:
    proposer, partner = aliased(Organization), aliased(Organization)
    statement = (select(Proposal).join(proposer, proposer.id == Proposal.proposer_org_id)
                 .join(partner, partner.id == Proposal.partner_org_id))
    if not user.is_coordinator:  # the organisation's own, as proposals_for
        statement = statement.where(or_(Proposal.proposer_org_id == user.organization_id,
                                        Proposal.partner_org_id == user.organization_id))
    if query.status is not None:
        statement = statement.where(Proposal.status == query.status)
    if query.kind is not None:
        statement = statement.where(Proposal.kind == query.kind)
    if query.text:
        statement = statement.where(or_(*[contains(column, query.text, ignore_case=True)
                                          for column in (Proposal.title, proposer.name,
                                                         partner.name)]))
    if query.since is not None:
        statement = statement.where(
            Proposal.updated_at >= datetime.combine(query.since, time(), query.zone))
    if query.until is not None:
        statement = statement.where(Proposal.updated_at < datetime.combine(
            query.until + timedelta(days=1), time(), query.zone))
    if query.updated_since is not None:
        statement = statement.where(Proposal.updated_at > query.updated_since)
    return statement


def _ordered(statement: Select, sort: str) -> Select:
    order: dict[str, tuple[Any, ...]] = {
        "updated": (Proposal.updated_at.desc(), Proposal.id.desc()),
        "created": (Proposal.created_at.desc(), Proposal.id.desc()),
        "title": (Proposal.title, Proposal.id)}
    return statement.order_by(*order.get(sort, order["updated"]))


def _loaded(statement: Select) -> Select:
    return statement.options(selectinload(Proposal.proposer), selectinload(Proposal.partner),
                             selectinload(Proposal.awaiting))


def proposals_page(session: Session, user: User, query: ProposalQuery) -> Page:
    return numbered_page(session, _loaded(_ordered(_filtered(user, query), query.sort)),
                         query.page, PAGE_SIZE)


# The API's orders: newest change first, or (mirroring) oldest change first.
LATEST = Sort((SortKey(Proposal.updated_at, descending=True, kind=datetime),
               SortKey(Proposal.id, descending=True)))
CHANGES = Sort((SortKey(Proposal.updated_at, kind=datetime), SortKey(Proposal.id)))


def proposals_keyset(session: Session, user: User, query: ProposalQuery, *, size: int,
                     after: str) -> KeysetPage:
    """A page of the proposals `user` may see, after the cursor `after`."""
    sort = CHANGES if query.updated_since is not None else LATEST
    return keyset_page(session, _loaded(_filtered(user, query)), sort, size=size,
                       after=after, rows=lambda statement: session.scalars(statement).all(),
                       key_of=sort.key_of)


def export_rows(session: Session, user: User, query: ProposalQuery) -> list[list[Any]]:
    """Every matching proposal (up to EXPORT_MAX) as spreadsheet rows, header first."""
    header = [_("Cooperation"), _("Kind"), _("Proposer"), _("Partner"), _("Status"),
              _("Created"), _("Last change"), _("Approved")]
    rows = session.scalars(_loaded(_ordered(_filtered(user, query), query.sort))
                           .limit(EXPORT_MAX)).all()
    return [header, *([p.title, str(p.kind.label), p.proposer.name, p.partner.name,
                       str(p.status.label), f"{p.created_at:%Y-%m-%d}",
                       f"{p.updated_at:%Y-%m-%d}",
                       f"{p.approved_at:%Y-%m-%d}" if p.approved_at else ""] for p in rows)]
