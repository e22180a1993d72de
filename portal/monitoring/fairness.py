"""Fair hiring: the share of recruiting postings the diagnosis finds discriminatory
conditions in (age, gender, 户籍 …), by industry and district, and its trend."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.monitoring.balance import Filters, counted_in, is_demand_posting
from portal.monitoring.periods import Period
from portal.postings.labels import DISCRIMINATION_CODES
from portal.postings.models import Posting

TREND_PERIODS = 4


@dataclass
class Share:
    name: str
    postings: int = 0
    flagged: int = 0

    @property
    def percent(self) -> float | None:
        return 100 * self.flagged / self.postings if self.postings else None


@dataclass
class Fairness:
    total: Share
    codes: Counter[str] = field(default_factory=Counter)
    by_industry: list[Share] = field(default_factory=list)
    by_district: list[Share] = field(default_factory=list)
    trend: list[tuple[Period, Share]] = field(default_factory=list)


def _rows(session: Session, period: Period, zone: ZoneInfo, filters: Filters):  # noqa: ANN202
    """(industry, district, discriminatory codes) of each recruiting posting of the period."""
    statement = counted_in(select(Posting.industry, Posting.district, Posting.diagnosis)
                           .where(is_demand_posting()), period, zone, filters)
    for industry, district, diagnosis in session.execute(statement):
        yield industry, district, DISCRIMINATION_CODES.intersection(diagnosis or ())


def _grouped(groups: dict[str, Share]) -> list[Share]:
    return sorted(groups.values(), key=lambda s: (-(s.percent or 0), -s.postings, s.name))


def fairness(session: Session, period: Period, zone: ZoneInfo,
             filters: Filters = Filters()) -> Fairness:  # noqa: B008
    result = Fairness(Share(""))
    industries: dict[str, Share] = {}
    districts: dict[str, Share] = {}
    for industry, district, codes in _rows(session, period, zone, filters):
        for share in (result.total, industries.setdefault(industry, Share(industry)),
                      districts.setdefault(district, Share(district))):
            share.postings += 1
            share.flagged += bool(codes)
        result.codes.update(codes)
    result.by_industry, result.by_district = _grouped(industries), _grouped(districts)
    for back in range(TREND_PERIODS - 1, 0, -1):
        earlier = period.shifted(-back)
        share = Share(earlier.code)
        for _industry, _district, codes in _rows(session, earlier, zone, filters):
            share.postings += 1
            share.flagged += bool(codes)
        result.trend.append((earlier, share))
    # The period itself was counted above.
    result.trend.append((period, Share(period.code, result.total.postings,
                                       result.total.flagged)))
    return result
