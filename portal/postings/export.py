"""Search results as CSV or Excel, safe to open in a spreadsheet."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.postings.models import Posting
from portal.spreadsheets import csv_bytes, xlsx_bytes

COLUMNS: list[tuple[Any, Callable[[Posting], Any]]] = [
    (_l("Portal ID"), lambda p: p.id),
    (_l("Source reference"), lambda p: p.external_ref or ""),
    (_l("Kind"), lambda p: str(p.kind.label)),
    (_l("Title"), lambda p: p.title),
    (_l("Organisation"), lambda p: p.organization.name),
    (_l("Status"), lambda p: str(p.status.label)),
    (_l("Major"), lambda p: p.major),
    (_l("Skills"), lambda p: "、".join(p.skills or [])),
    (_l("Courses"), lambda p: "、".join(p.courses or [])),
    (_l("District"), lambda p: p.district),
    (_l("Industry or field"), lambda p: p.industry),
    (_l("Education level"), lambda p: str(p.education.label) if p.education else ""),
    (_l("Headcount"), lambda p: p.headcount),
    (_l("Capacity"), lambda p: p.capacity),
    (_l("Budget (yuan)"), lambda p: p.budget),
    (_l("Hiring commitment"), lambda p: p.hire_count),
    (_l("Salary from"), lambda p: p.salary_min),
    (_l("Salary to"), lambda p: p.salary_max),
    (_l("Open until"), lambda p: p.deadline.isoformat() if p.deadline else ""),
    (_l("Description"), lambda p: p.description),
]


def table(postings: Sequence[Posting]) -> list[list[Any]]:
    header = [str(label) for label, _value in COLUMNS]
    return [header, *([value(posting) for _label, value in COLUMNS] for posting in postings)]


def to_csv(postings: Sequence[Posting]) -> bytes:
    return csv_bytes(table(postings))


def to_xlsx(postings: Sequence[Posting]) -> bytes:
    return xlsx_bytes(table(postings), "postings")
