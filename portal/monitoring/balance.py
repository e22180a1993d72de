"""The balance of demand and supply per major, 专业类 or skill, for a period and filters:
the figures 人社部's "最缺工" ranking publishes (demand, supply, gap, ratio, change on
the previous period, new entries), aggregated by the database.

Demand is the headcount of the talent demands and the seats of the training orders
published in the period (a posting that states no number counts one person); supply is
the yearly graduates (capacity) of the curricula published in it (none stated: 0).
"""
from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from portal.accounts.models import EnterpriseSize, Organization
from portal.monitoring.facets import (
    COUNTED_KINDS,
    DEMAND_KINDS,
    UNSTATED_DEMAND,
    UNSTATED_SUPPLY,
)
from portal.monitoring.models import Dimension, PostingFacet
from portal.monitoring.periods import Period
from portal.postings.models import EducationLevel, Posting
from portal.postings.search import postings_by_id

# Choices offered for the district and industry filters, at most.
MAX_CHOICES = 300
# Postings listed behind one row of the table, at most (the count says how many in all).
DRILL_SHOWN = 200


@dataclass(frozen=True)
class Filters:
    """District and education level narrow both sides; industry and organisation size
    describe firms, so they narrow the demand side only."""

    district: str = ""
    industry: str = ""
    education: EducationLevel | None = None
    size: EnterpriseSize | None = None

    def query_args(self) -> dict[str, str]:
        """The filters as URL query arguments (for links that keep them)."""
        args = {"district": self.district, "industry": self.industry,
                "education": self.education.value if self.education else "",
                "size": self.size.value if self.size else ""}
        return {name: value for name, value in args.items() if value}


@dataclass
class Figures:
    demand: int = 0
    supply: int = 0
    demand_postings: int = 0
    supply_postings: int = 0


@dataclass
class Row:
    key: str
    label: str
    now: Figures
    before: Figures

    @property
    def gap(self) -> int:
        """Shortage (positive) or surplus (negative): demand − supply."""
        return self.now.demand - self.now.supply

    @property
    def ratio(self) -> float | None:
        """Demand ÷ supply (求人倍率); None where nothing is supplied."""
        return self.now.demand / self.now.supply if self.now.supply else None

    @property
    def gap_change(self) -> int:
        return self.gap - (self.before.demand - self.before.supply)

    @property
    def is_new(self) -> bool:
        """Demanded this period and not in the previous one (new to the ranking)."""
        return self.now.demand > 0 and self.before.demand == 0


@dataclass
class Balance:
    period: Period
    dimension: Dimension
    filters: Filters
    rows: list[Row] = field(default_factory=list)

    @property
    def previous(self) -> Period:
        return self.period.previous

    @property
    def shortages(self) -> list[Row]:
        """Largest gap first; ties by ratio, then name, so the ranking is stable."""
        rows = [row for row in self.rows if row.gap > 0]
        return sorted(rows, key=lambda r: (-r.gap, -(r.ratio or float("inf")), r.label))

    @property
    def surpluses(self) -> list[Row]:
        rows = [row for row in self.rows if row.gap < 0]
        return sorted(rows, key=lambda r: (r.gap, r.label))


def total_of(figures: Iterable[Figures]) -> Figures:
    total = Figures()
    for item in figures:
        total.demand += item.demand
        total.supply += item.supply
        total.demand_postings += item.demand_postings
        total.supply_postings += item.supply_postings
    return total


def is_demand_posting():  # noqa: ANN202 - a SQL expression
    return Posting.kind.in_(DEMAND_KINDS)


def people_columns():  # noqa: ANN202 - SQL expressions
    """Each posting's people on each side: a demand's headcount (one if it states none),
    a curriculum's yearly graduates (none if it states none)."""
    is_demand = is_demand_posting()
    return (case((is_demand, func.coalesce(Posting.headcount, UNSTATED_DEMAND)), else_=0),
            case((is_demand, 0), else_=func.coalesce(Posting.capacity, UNSTATED_SUPPLY)))


def side_sums(is_demand=None, people=None):  # noqa: ANN001, ANN202 - SQL expressions
    """The columns every aggregate reads: people wanted, taught, and postings of each.
    From the postings by default; from the facets' copies when given `is_demand` and
    `people` columns."""
    if is_demand is None:
        is_demand = is_demand_posting()
        demand, supply = people_columns()
    else:
        demand = case((is_demand, people), else_=0)
        supply = case((is_demand, 0), else_=people)
    return (func.sum(demand), func.sum(supply), func.sum(case((is_demand, 1), else_=0)),
            func.sum(case((is_demand, 0), else_=1)))


def counted_in(statement: Select, period: Period, zone: ZoneInfo, filters: Filters) -> Select:
    start, end = period.bounds(zone)
    statement = statement.where(Posting.kind.in_(COUNTED_KINDS), Posting.published_at >= start,
                                Posting.published_at < end)
    if filters.district:
        statement = statement.where(Posting.district == filters.district)
    if filters.education is not None:
        statement = statement.where(Posting.education == filters.education)
    if filters.industry:
        statement = statement.where(or_(~is_demand_posting(), Posting.industry == filters.industry))
    if filters.size is not None:
        statement = statement.join(Organization, Organization.id == Posting.organization_id) \
            .where(or_(~is_demand_posting(), Organization.size == filters.size))
    return statement


def sums(session: Session, dimension: Dimension, period: Period, zone: ZoneInfo,
         filters: Filters) -> dict[str, tuple[str, Figures]]:
    """Per key, from the facets' own copies of each posting's time, side and people: the
    period is one range of an index. Filters on the postings' other fields join them."""
    start, end = period.bounds(zone)
    statement = select(
        PostingFacet.key, func.min(PostingFacet.label),
        *side_sums(PostingFacet.is_demand, PostingFacet.people),
    ).where(PostingFacet.dimension == dimension, PostingFacet.published_at >= start,
            PostingFacet.published_at < end).group_by(PostingFacet.key)
    if filters != Filters():
        statement = counted_in(
            statement.join(Posting, Posting.id == PostingFacet.posting_id), period, zone,
            filters)
    return {key: (label, Figures(int(demand), int(supply), int(dn), int(sn)))
            for key, label, demand, supply, dn, sn in session.execute(statement)}


def balance(session: Session, dimension: Dimension, period: Period, zone: ZoneInfo,
            filters: Filters = Filters()) -> Balance:  # noqa: B008 - frozen, never changed
    """Every major (专业类, skill) demanded or supplied in the period, with the previous
    period's figures beside it."""
    now = sums(session, dimension, period, zone, filters)
    before = sums(session, dimension, period.previous, zone, filters)
    rows = [Row(key, label, figures, before.get(key, ("", Figures()))[1])
            for key, (label, figures) in now.items()]
    return Balance(period, dimension, filters, rows)


def postings_behind(session: Session, dimension: Dimension, key: str, period: Period,
                    zone: ZoneInfo, filters: Filters = Filters()  # noqa: B008
                    ) -> tuple[list[Posting], int]:
    """The postings one row counts (demands first, largest first), at most DRILL_SHOWN of
    them, and how many there are."""
    statement = counted_in(
        select(Posting.id).join(PostingFacet, PostingFacet.posting_id == Posting.id)
        .where(PostingFacet.dimension == dimension, PostingFacet.key == key),
        period, zone, filters)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    demand, supply = people_columns()
    ids = list(session.scalars(statement.order_by(
        case((is_demand_posting(), 0), else_=1), (demand + supply).desc(),
        Posting.id).limit(DRILL_SHOWN)))
    found = postings_by_id(session, ids)
    return [found[posting_id] for posting_id in ids], total


def totals(session: Session, period: Period, zone: ZoneInfo,
           filters: Filters = Filters()) -> Figures:  # noqa: B008
    """Every counted posting's people in the period, each posting once."""
    statement = counted_in(select(*side_sums()), period, zone, filters)
    demand, supply, dn, sn = session.execute(statement).one()
    return Figures(int(demand or 0), int(supply or 0), int(dn or 0), int(sn or 0))


def demand_by_industry(session: Session, period: Period, zone: ZoneInfo,
                       filters: Filters = Filters()) -> list[tuple[str, int, int]]:  # noqa: B008
    """(industry, people wanted, postings) of the demands in the period, most first."""
    demand, _supply = people_columns()
    statement = counted_in(
        select(Posting.industry, func.sum(demand), func.count())
        .where(is_demand_posting()).group_by(Posting.industry), period, zone, filters)
    rows = [(industry, int(people), int(count))
            for industry, people, count in session.execute(statement)]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def label_of(session: Session, dimension: Dimension, key: str) -> str | None:
    """The name of a row's key, or None when no posting counts under it."""
    return session.scalar(select(PostingFacet.label).where(
        PostingFacet.dimension == dimension, PostingFacet.key == key).limit(1))


# Menus of districts and industries are read from every posting: kept a few minutes.
CHOICES_KEPT = 300.0
_choices: dict[tuple[str, str], tuple[float, list[str]]] = {}


def choices(session: Session, column, known: tuple[str, ...] = ()) -> list[str]:  # noqa: ANN001
    """The `known` values (the city's districts) and every distinct non-empty value of a
    counted posting's district or industry. Reading them scans every posting (about
    100 ms each at 100,000), so the list is kept for CHOICES_KEPT seconds per process."""
    cache_key = (str(session.get_bind().url), column.key)
    kept = _choices.get(cache_key)
    if kept is None or time.monotonic() - kept[0] > CHOICES_KEPT:
        found = list(session.scalars(
            select(column).distinct().where(Posting.kind.in_(COUNTED_KINDS), column != "")
            .order_by(column).limit(MAX_CHOICES)))
        kept = _choices[cache_key] = (time.monotonic(), found)
    return sorted(set(known) | set(kept[1]))
