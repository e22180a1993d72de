"""The coordinators' view of every stored match, with filters and pages, and the
feedback members left when they dismissed a recommendation."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from portal.accounts.models import Organization
from portal.db import contains
from portal.matching.models import MatchDismissal, PostingMatch
from portal.matching.scoring import Match
from portal.matching.services import MIN_RECOMMENDATION_SCORE
from portal.matching.store import as_match
from portal.paging import KeysetPage, Page, Sort, SortKey, Window, keyset_page
from portal.postings.models import Posting, PostingKind

PAGE_SIZE = 25


@dataclass
class MatchQuery:
    demand_kind: PostingKind | None = None
    supply_kind: PostingKind | None = None
    district: str = ""
    text: str = ""  # in either posting's title or organisation name
    min_score: int = int(MIN_RECOMMENDATION_SCORE)
    # Keyset cursors of the page wanted (see portal.paging); neither means the first.
    after: str = ""
    before: str = ""


# Best first; served by ix_posting_matches_score read backwards.
BEST_FIRST = Sort((SortKey(PostingMatch.score, descending=True, kind=float),
                   SortKey(PostingMatch.id, descending=True)))


@dataclass
class MatchPair:
    demand: Posting
    supply: Posting
    match: Match
    match_id: int  # of the stored pair: where a page of pairs ends


def _filtered(query: MatchQuery, today: date) -> tuple[Select, type[Posting], type[Posting]]:
    demand, supply = aliased(Posting), aliased(Posting)
    statement = (select(PostingMatch, demand, supply)
                 .join(demand, demand.id == PostingMatch.demand_id)
                 .join(supply, supply.id == PostingMatch.supply_id)
                 .where(demand.is_live_on(today), supply.is_live_on(today),
                        PostingMatch.score >= query.min_score))
    if query.demand_kind is not None:
        statement = statement.where(demand.kind == query.demand_kind)
    if query.supply_kind is not None:
        statement = statement.where(supply.kind == query.supply_kind)
    if query.district:
        statement = statement.where(or_(demand.district == query.district,
                                        supply.district == query.district))
    if query.text:  # the organisations are joined only for this filter
        demand_org, supply_org = aliased(Organization), aliased(Organization)
        statement = (statement
                     .join(demand_org, demand_org.id == demand.organization_id)
                     .join(supply_org, supply_org.id == supply.organization_id)
                     .where(or_(*[contains(column, query.text) for column
                                  in (demand.title, supply.title, demand_org.name,
                                      supply_org.name)])))
    return statement, demand, supply


def all_matches(session: Session, query: MatchQuery, today: date | None = None) -> KeysetPage:
    """Live pairs at or above the minimum score, best first (MatchPair items)."""
    statement, demand, supply = _filtered(query, today or date.today())

    def pairs(page: Select) -> list[MatchPair]:
        found = session.execute(page.options(selectinload(demand.organization),
                                             selectinload(supply.organization))).all()
        return [MatchPair(d, s, as_match(row), row.id) for row, d, s in found]

    return keyset_page(session, statement, BEST_FIRST, size=PAGE_SIZE, after=query.after,
                       before=query.before, rows=pairs,
                       key_of=lambda pair: (pair.match.score, pair.match_id))


def dismissals(session: Session, page: int = 1) -> Page:
    """Members' reasons for "not a fit", newest first."""
    window = Window.of(session.scalar(select(func.count()).select_from(MatchDismissal)) or 0,
                       page, PAGE_SIZE)
    posting, other = aliased(Posting), aliased(Posting)
    rows = session.execute(
        select(MatchDismissal, posting, other)
        .join(posting, posting.id == MatchDismissal.posting_id)
        .join(other, other.id == MatchDismissal.other_posting_id)
        .options(selectinload(posting.organization), selectinload(other.organization))
        .order_by(MatchDismissal.created_at.desc(), MatchDismissal.id.desc())
        .limit(window.size).offset(window.offset)).all()
    return Page.of([tuple(row) for row in rows], window)
