"""Periods in the city's time zone: parsing, boundaries, neighbours."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from portal.monitoring.periods import Period, PeriodKind, recent

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("code, expected", [
    ("2026-Q3", Period(PeriodKind.QUARTER, 2026, 3)),
    ("2026-q1", Period(PeriodKind.QUARTER, 2026, 1)),
    (" 2026-07 ", Period(PeriodKind.MONTH, 2026, 7)),
    ("2026", Period(PeriodKind.YEAR, 2026)),
    ("２０２６－Ｑ３", Period(PeriodKind.QUARTER, 2026, 3)),
])
def test_codes_name_periods(code, expected):
    assert Period.parse(code) == expected
    assert Period.parse(expected.code) == expected


@pytest.mark.parametrize("code", ["", None, "2026-Q5", "2026-Q0", "2026-13", "2026-7", "26",
                                  "1999", "2026-Q3x", "2026-Q3\x00", "9" * 10_000])
def test_anything_else_is_no_period(code):
    assert Period.parse(code) is None


def test_a_quarter_starts_at_midnight_in_shanghai():
    start, end = Period(PeriodKind.QUARTER, 2026, 3).bounds(SHANGHAI)
    # Midnight of 1 July in Shanghai is 16:00 on 30 June in UTC.
    assert start == datetime(2026, 6, 30, 16, tzinfo=UTC)
    assert end == datetime(2026, 9, 30, 16, tzinfo=UTC)


def test_neighbours_cross_years():
    assert Period(PeriodKind.QUARTER, 2026, 1).previous == Period(PeriodKind.QUARTER, 2025, 4)
    assert Period(PeriodKind.MONTH, 2026, 1).previous == Period(PeriodKind.MONTH, 2025, 12)
    assert Period(PeriodKind.MONTH, 2025, 12).shifted(1) == Period(PeriodKind.MONTH, 2026, 1)
    assert Period(PeriodKind.YEAR, 2026).previous == Period(PeriodKind.YEAR, 2025)
    assert Period(PeriodKind.QUARTER, 2026, 4).next_first_day == date(2027, 1, 1)


def test_the_period_containing_a_day_and_those_before_it():
    assert Period.containing(PeriodKind.QUARTER, date(2026, 5, 31)).code == "2026-Q2"
    assert [p.code for p in recent(PeriodKind.QUARTER, date(2026, 2, 1), 3)] == [
        "2026-Q1", "2025-Q4", "2025-Q3"]
