"""Demand and supply per district, with location quotients: a district's share of the
city's demand for a major (专业类, skill) against the city's own share. A quotient of 2
means the district asks for it twice as often as the city does.

LQ(d, X) = (X in d ÷ everything in d) ÷ (X in the city ÷ everything in the city),
"everything" being every counted posting's people (a posting counts once there, however
many majors it names).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.monitoring.balance import Figures, Filters, counted_in, side_sums, total_of
from portal.monitoring.models import Dimension, PostingFacet
from portal.monitoring.periods import Period
from portal.postings.models import Posting

LAYOUT = Path(__file__).parent / "data" / "districts.tsv"
# Postings without a district are shown on a row of their own.
NO_DISTRICT = ""


@dataclass
class DistrictRow:
    district: str
    everything: Figures  # every counted posting of the district
    chosen: Figures | None  # those counted under the chosen major (专业类, skill)
    demand_quotient: float | None = None
    supply_quotient: float | None = None


@dataclass
class DistrictView:
    period: Period
    rows: list[DistrictRow]
    city: Figures
    city_chosen: Figures | None

    def row(self, district: str) -> DistrictRow | None:
        return next((row for row in self.rows if row.district == district), None)


def _quotient(part: int, whole: int, city_part: int, city_whole: int) -> float | None:
    if not (whole and city_part and city_whole):
        return None
    return (part / whole) / (city_part / city_whole)


def _per_district(session: Session, statement, period: Period, zone: ZoneInfo,  # noqa: ANN001
                  filters: Filters) -> dict[str, Figures]:
    statement = statement.add_columns(*side_sums()).group_by(Posting.district)
    statement = counted_in(statement, period, zone, replace(filters, district=""))
    return {district: Figures(int(d), int(s), int(dn), int(sn))
            for district, d, s, dn, sn in session.execute(statement)}


def district_view(session: Session, period: Period, zone: ZoneInfo,
                  filters: Filters = Filters(),  # noqa: B008 - frozen, never changed
                  dimension: Dimension | None = None, key: str = "") -> DistrictView:
    """Every district with counted postings in the period; with a chosen row (dimension
    and key) also that row's figures and location quotients per district."""
    everything = _per_district(session, select(Posting.district), period, zone, filters)
    chosen: dict[str, Figures] | None = None
    if dimension is not None and key:
        chosen = _per_district(
            session, select(Posting.district)
            .join(PostingFacet, PostingFacet.posting_id == Posting.id)
            .where(PostingFacet.dimension == dimension, PostingFacet.key == key),
            period, zone, filters)
    city = total_of(everything.values())
    city_chosen = total_of(chosen.values()) if chosen is not None else None
    rows = []
    for district in sorted(everything, key=lambda d: (d == NO_DISTRICT, d)):
        row = DistrictRow(district, everything[district],
                          chosen.get(district, Figures()) if chosen is not None else None)
        if row.chosen is not None and city_chosen is not None:
            row.demand_quotient = _quotient(row.chosen.demand, row.everything.demand,
                                            city_chosen.demand, city.demand)
            row.supply_quotient = _quotient(row.chosen.supply, row.everything.supply,
                                            city_chosen.supply, city.supply)
        rows.append(row)
    return DistrictView(period, rows, city, city_chosen)


@dataclass(frozen=True)
class Tile:
    district: str
    x: int
    y: int


TILE = 64  # pixels per tile, gaps included


@lru_cache(maxsize=1)
def layout() -> tuple[Tile, ...]:
    """The shipped tile map of the city's districts."""
    tiles = []
    for line in LAYOUT.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, column, row = line.split("\t")
            tiles.append(Tile(name, int(column) * TILE, int(row) * TILE))
    return tuple(tiles)


# Colour classes of a quotient on the map: below 0.8 (rarer than in the city), around the
# city's share, and above 1.25 (more concentrated) and 2.
QUOTIENT_CLASSES = ((0.8, "low"), (1.25, "even"), (2.0, "high"))


def quotient_class(value: float | None) -> str:
    if value is None:
        return "none"
    for limit, name in QUOTIENT_CLASSES:
        if value < limit:
            return name
    return "very-high"
