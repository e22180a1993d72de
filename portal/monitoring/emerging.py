"""Emerging skills: those whose demand grew most over the last four periods; and the words
firms write that the taxonomy does not know yet (as skills, or listed beside known skills
in their text), offered to coordinators as candidate vocabulary (the city's list of new
skills and jobs)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from portal.monitoring.balance import Filters, sums
from portal.monitoring.models import Dimension, PostingFacet, PostingTerm
from portal.monitoring.periods import Period

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
    for index, period in enumerate(periods_to(latest)):  # each period read once
        for key, (label, figures) in sums(session, Dimension.SKILL, period, zone,
                                          filters).items():
            trend = series.setdefault(key, Trend(key, label, [0] * PERIODS))
            trend.demand[index] = figures.demand
    growing = [t for t in series.values() if t.growth > 0]
    return sorted(growing, key=lambda t: (-t.growth, -t.demand[-1], t.label))[:SHOWN]


@dataclass
class Candidate:
    word: str
    postings: int
    # The known skill most often written beside it: the likely meaning, to confirm.
    suggested: str | None


def candidates(session: Session, latest: Period, zone: ZoneInfo) -> list[Candidate]:
    """Words of the last four periods' demands that the taxonomy does not know, written as
    skills or listed beside known skills in the text, most written first, each with the
    known concept most often found beside it."""
    start, _ = periods_to(latest)[0].bounds(zone)
    _, end = latest.bounds(zone)
    # The copies of each posting's side and publication time on its facets and terms
    # select the period's demands. Skill tags may keep their case; listed words are
    # normalised (lower case).
    written = union(
        select(PostingFacet.posting_id,
               func.lower(func.substr(PostingFacet.key, len(UNKNOWN) + 1)).label("word"))
        .where(PostingFacet.dimension == Dimension.SKILL, PostingFacet.key.startswith(UNKNOWN),
               PostingFacet.is_demand, PostingFacet.published_at >= start,
               PostingFacet.published_at < end),
        select(PostingTerm.posting_id, PostingTerm.term.label("word"))
        .where(PostingTerm.published_at >= start, PostingTerm.published_at < end)).subquery()
    postings = func.count(written.c.posting_id.distinct())
    unknown = list(session.execute(
        select(written.c.word, postings).group_by(written.c.word)
        .having(postings >= MIN_POSTINGS).order_by(postings.desc(), written.c.word)
        .limit(SHOWN)))
    if not unknown:
        return []
    # One row per (demand, word, known concept): the union holds each demand's word once
    # and a facet is unique per posting, so the counts are numbers of demands.
    together: dict[str, Counter[str]] = {}
    for word, concept in session.execute(
            select(written.c.word, PostingFacet.key).join(
                PostingFacet, (PostingFacet.posting_id == written.c.posting_id)
                & (PostingFacet.dimension == Dimension.SKILL)
                & PostingFacet.key.startswith(KNOWN))
            .where(written.c.word.in_([word for word, _count in unknown]))):
        together.setdefault(word, Counter())[concept] += 1
    return [Candidate(word, count, _likeliest(together.get(word))) for word, count in unknown]


def _likeliest(beside: Counter[str] | None) -> str | None:
    """The known concept most often beside a word (ties: the first by id), if any."""
    if not beside:
        return None
    return min(beside.items(), key=lambda item: (-item[1], item[0]))[0].removeprefix(KNOWN)
