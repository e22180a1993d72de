"""Demand nobody answers and supply nobody asks for (有活没人干 / 有人没活干): live
postings whose best stored match stays below the recommendation threshold after they
have been published for some days, grouped by major (专业类, skill)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from portal.matching.models import PostingMatch
from portal.matching.services import MIN_RECOMMENDATION_SCORE
from portal.monitoring.facets import DEMAND_KINDS, SUPPLY_KINDS
from portal.monitoring.models import Dimension, PostingFacet
from portal.postings.models import Posting, PostingKind
from portal.postings.search import postings_by_id

DEFAULT_DAYS = 30
MAX_DAYS = 365
# Postings listed per side, at most (the groups count them all).
LISTED = 200


@dataclass
class Group:
    key: str
    label: str
    postings: int
    people: int


@dataclass
class Side:
    groups: list[Group]
    postings: list[Posting]  # the longest waiting first, at most LISTED
    total: int
    unclassified: int  # counted under no major (专业类, skill)


def _unanswered(kinds: tuple[PostingKind, ...], matched_by, published_before: datetime,  # noqa: ANN001
                today: date, threshold: float):  # noqa: ANN202 - a SQL statement
    """Live postings of `kinds` published before the date whose best pair (on the side
    `matched_by` names) scores below the threshold, or that have none."""
    best = select(func.max(PostingMatch.score)).where(matched_by == Posting.id) \
        .correlate(Posting).scalar_subquery()
    return select(Posting.id).where(
        Posting.kind.in_(kinds), Posting.is_live_on(today),
        Posting.published_at < published_before,
        func.coalesce(best, -1.0) < threshold)


def _side(session: Session, statement, dimension: Dimension) -> Side:  # noqa: ANN001
    """The unanswered postings (the longest waiting first) and their groups, counted by
    the database: nothing per posting comes back but the few listed."""
    unanswered = statement.subquery()
    in_dimension = (PostingFacet.dimension == dimension) \
        & PostingFacet.posting_id.in_(select(unanswered.c.id))
    groups = [Group(key, label, postings, people or 0) for key, label, postings, people in
              session.execute(select(PostingFacet.key, func.max(PostingFacet.label),
                                     func.count(), func.sum(PostingFacet.people))
                              .where(in_dimension).group_by(PostingFacet.key))]
    # The total and those counted under no group, in one pass over the set.
    has_facet = exists().where(PostingFacet.posting_id == unanswered.c.id,
                               PostingFacet.dimension == dimension)
    total, unclassified = session.execute(select(
        func.count(), func.count().filter(~has_facet)).select_from(unanswered)).one()
    shown = list(session.scalars(statement.order_by(Posting.published_at, Posting.id)
                                 .limit(LISTED)))
    ranked = sorted(groups, key=lambda g: (-g.postings, -g.people, g.label))
    found = postings_by_id(session, shown)
    return Side(ranked, [found[i] for i in shown], total or 0, unclassified or 0)


def unanswered_demands(days: int, now: datetime,
                       threshold: float = MIN_RECOMMENDATION_SCORE):  # noqa: ANN201
    """The ids of live demands published more than `days` days before `now` with no
    supply scoring the threshold (a statement)."""
    return _unanswered(DEMAND_KINDS, PostingMatch.demand_id, now - timedelta(days=days),
                       now.date(), threshold)


def unmatched(session: Session, dimension: Dimension, days: int, now: datetime,
              threshold: float = MIN_RECOMMENDATION_SCORE) -> tuple[Side, Side]:
    """(Demands, curricula) unanswered after `days` days of publication."""
    before = now - timedelta(days=days)
    today = now.date()
    demands = unanswered_demands(days, now, threshold)
    curricula = _unanswered(SUPPLY_KINDS, PostingMatch.supply_id, before, today, threshold) \
        .where(Posting.capacity > 0)
    return _side(session, demands, dimension), _side(session, curricula, dimension)
