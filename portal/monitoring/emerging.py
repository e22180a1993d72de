"""Emerging skills: those whose demand grew most over the last four periods; and the skill
words firms write that the taxonomy does not know yet, offered to coordinators as
candidate vocabulary (the city's list of new skills and jobs)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from portal.monitoring.balance import Filters, balance, is_demand_posting
from portal.monitoring.models import Dimension, PostingFacet
from portal.monitoring.periods import Period
from portal.postings.models import Posting

PERIODS = 4
SHOWN = 30
# A word must be written in at least this many demands to be offered as vocabulary.
MIN_POSTINGS = 2
UNKNOWN, KNOWN = "t:", "c:"


@dataclass
class Trend:
    key: str
    label: str
    demand: list[int]  # oldest period first

    @property
    def growth(self) -> int:
        return self.demand[-1] - self.demand[0]

    @property
    def is_known(self) -> bool:
        return self.key.startswith(KNOWN)


def periods_to(latest: Period) -> list[Period]:
    return [latest.shifted(-back) for back in range(PERIODS - 1, -1, -1)]


def trends(session: Session, latest: Period, zone: ZoneInfo,
           filters: Filters = Filters()) -> list[Trend]:  # noqa: B008
    """Skills demanded in the last four periods, the fastest growing first."""
    series: dict[str, Trend] = {}
    for index, period in enumerate(periods_to(latest)):
        for row in balance(session, Dimension.SKILL, period, zone, filters).rows:
            trend = series.setdefault(row.key, Trend(row.key, row.label, [0] * PERIODS))
            trend.demand[index] = row.now.demand
    growing = [t for t in series.values() if t.growth > 0]
    return sorted(growing, key=lambda t: (-t.growth, -t.demand[-1], t.label))[:SHOWN]


@dataclass
class Candidate:
    word: str
    postings: int
    # The known skill most often written beside it: the likely meaning, to confirm.
    suggested: str | None


def candidates(session: Session, latest: Period, zone: ZoneInfo) -> list[Candidate]:
    """Skill words of the last four periods' demands that the taxonomy does not know,
    most written first, each with the known concept most often found beside it."""
    start, _ = periods_to(latest)[0].bounds(zone)
    _, end = latest.bounds(zone)
    recent = select(Posting.id).where(is_demand_posting(), Posting.published_at >= start,
                                      Posting.published_at < end)
    unknown = list(session.execute(
        select(PostingFacet.key, func.count()).where(
            PostingFacet.dimension == Dimension.SKILL, PostingFacet.key.startswith(UNKNOWN),
            PostingFacet.posting_id.in_(recent))
        .group_by(PostingFacet.key).having(func.count() >= MIN_POSTINGS)
        .order_by(func.count().desc(), PostingFacet.key).limit(SHOWN)))
    if not unknown:
        return []
    beside = aliased(PostingFacet)
    pairs = session.execute(
        select(PostingFacet.key, beside.key).join(
            beside, (beside.posting_id == PostingFacet.posting_id)
            & (beside.dimension == Dimension.SKILL) & beside.key.startswith(KNOWN))
        .where(PostingFacet.dimension == Dimension.SKILL,
               PostingFacet.key.in_([key for key, _count in unknown]),
               PostingFacet.posting_id.in_(recent)))
    together: dict[str, Counter[str]] = {}
    for word, concept in pairs:
        together.setdefault(word, Counter())[concept] += 1
    return [Candidate(key.removeprefix(UNKNOWN), count,
                      together[key].most_common(1)[0][0].removeprefix(KNOWN)
                      if key in together else None)
            for key, count in unknown]
