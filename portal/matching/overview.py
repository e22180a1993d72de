"""The coordinators' view of every stored match, with filters and pages, and the
feedback members left when they dismissed a recommendation."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, true
from sqlalchemy.orm import Session, aliased, selectinload

from portal.accounts.models import Organization
from portal.db import contains
from portal.matching.models import MatchDismissal, PostingMatch
from portal.matching.scoring import Match
from portal.matching.services import MIN_RECOMMENDATION_SCORE
from portal.matching.store import as_match
from portal.paging import KeysetPage, Page, Sort, SortKey, Window, keyset_page
from portal.postings.models import Posting, PostingKind
from portal.postings.search import postings_by_id

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


def _pair_side(posting_id: ColumnElement[int],
               condition: Callable[[type[Posting]], ColumnElement[bool]]) -> ColumnElement[bool]:
    """The pair's demand or supply (`posting_id`) meets `condition`, as a correlated
    EXISTS: checked pair by pair along the score index, so the first page stops early. A
    join made SQLite build a Bloom filter over every posting first (O(postings) a page)."""
    side = aliased(Posting)
    return exists().where(side.id == posting_id, condition(side))


def _named(posting: type[Posting], text: str) -> ColumnElement[bool]:
    """The posting's title or its organisation's name holds `text`."""
    return or_(contains(posting.title, text), exists().where(
        Organization.id == posting.organization_id, contains(Organization.name, text)))


def _live_side(posting_id: ColumnElement[int], kind: PostingKind | None,
               today: date) -> ColumnElement[bool]:
    """The pair's side (`posting_id`) is live, and of `kind` when one is asked for."""
    return _pair_side(posting_id, lambda posting: and_(
        posting.is_live_on(today), true() if kind is None else posting.kind == kind))


def _either_side(condition: Callable[[type[Posting]], ColumnElement[bool]]) -> ColumnElement[bool]:
    return or_(*[_pair_side(side, condition)
                 for side in (PostingMatch.demand_id, PostingMatch.supply_id)])


def _filtered(query: MatchQuery, today: date) -> Select:
    statement = select(PostingMatch).where(
        PostingMatch.score >= query.min_score,
        _live_side(PostingMatch.demand_id, query.demand_kind, today),
        _live_side(PostingMatch.supply_id, query.supply_kind, today))
    if query.district:
        statement = statement.where(
            _either_side(lambda posting: posting.district == query.district))
    if query.text:
        statement = statement.where(_either_side(lambda posting: _named(posting, query.text)))
    return statement


def all_matches(session: Session, query: MatchQuery, today: date | None = None) -> KeysetPage:
    """Live pairs at or above the minimum score, best first (MatchPair items)."""
    statement = _filtered(query, today or date.today())

    def pairs(page: Select) -> list[MatchPair]:
        rows = session.scalars(page).all()
        postings = postings_by_id(session, {row.demand_id for row in rows}
                                  | {row.supply_id for row in rows})
        return [MatchPair(postings[row.demand_id], postings[row.supply_id], as_match(row),
                          row.id) for row in rows]

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
