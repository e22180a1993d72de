"""Months, quarters and years in the city's time zone: a posting counts in the period it
was published, so a quarter starts at midnight on 1 January, April, July or October there.

Pure: the time zone is passed in.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.enums import LabelledEnum


class PeriodKind(LabelledEnum):
    MONTH = "month", _l("Month")
    QUARTER = "quarter", _l("Quarter")
    YEAR = "year", _l("Year")

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.value]


# 2026, 2026-Q3, 2026-07: nothing else is a period.
_CODE = re.compile(r"([0-9]{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?")
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True, order=True)
class Period:
    kind: PeriodKind
    year: int
    # Month or quarter number within the year (1 for a year).
    number: int = 1

    @classmethod
    def parse(cls, code: str | None) -> Period | None:
        """The period a code names, or None for anything else (never an exception)."""
        # Full-width digits (２０２６) read as digits; at most a code's length is looked at.
        found = _CODE.fullmatch(unicodedata.normalize("NFKC", (code or "")[:20]).strip().upper())
        if not found or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
            return None
        year = int(found[1])
        if found[2]:
            return cls(PeriodKind.QUARTER, year, int(found[2]))
        if found[3]:
            return cls(PeriodKind.MONTH, year, int(found[3]))
        return cls(PeriodKind.YEAR, year)

    @classmethod
    def containing(cls, kind: PeriodKind, day: date) -> Period:
        if kind is PeriodKind.YEAR:
            return cls(kind, day.year)
        if kind is PeriodKind.QUARTER:
            return cls(kind, day.year, (day.month - 1) // 3 + 1)
        return cls(kind, day.year, day.month)

    @property
    def code(self) -> str:
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind is PeriodKind.QUARTER:
            return _("Q%(quarter)d %(year)d", quarter=self.number, year=self.year)
        if self.kind is PeriodKind.MONTH:
            return _("%(year)d-%(month)02d", month=self.number, year=self.year)
        return _("Year %(year)d", year=self.year)

    @property
    def _first_month(self) -> int:
        """Months since year 0 of the period's first month."""
        return self.year * 12 + (self.number - 1) * self.kind.months

    def shifted(self, periods: int) -> Period:
        """The period `periods` before (negative) or after this one."""
        month = self._first_month + periods * self.kind.months
        return Period(self.kind, month // 12,
                      (month % 12) // self.kind.months + 1)

    @property
    def previous(self) -> Period:
        return self.shifted(-1)

    @property
    def first_day(self) -> date:
        return date(self.year, self._first_month % 12 + 1, 1)

    @property
    def next_first_day(self) -> date:
        return self.shifted(1).first_day

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight of the first day and of the next period's."""
        def utc(day: date) -> datetime:
            return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)
        return utc(self.first_day), utc(self.next_first_day)

    def __str__(self) -> str:
        return self.code


def city_zone(config: dict) -> ZoneInfo:
    """The city's time zone: the one the portal shows times in."""
    return ZoneInfo(config["BABEL_DEFAULT_TIMEZONE"])


def recent(kind: PeriodKind, today: date, count: int) -> list[Period]:
    """The period containing `today` and the `count - 1` before it, newest first."""
    current = Period.containing(kind, today)
    return [current.shifted(-back) for back in range(count)]
