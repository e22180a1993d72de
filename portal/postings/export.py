"""Search results as CSV or Excel, safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook

from portal.postings.models import Posting
from portal.postings.text import neutralise_cell

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
    body = [[neutralise_cell(value(posting)) for _label, value in COLUMNS]
            for posting in postings]
    return [header, *body]


def to_csv(postings: Sequence[Posting]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [["" if cell is None else cell for cell in row] for row in table(postings)])
    # UTF-8 with BOM: Excel on Chinese Windows opens it without garbling.
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(postings: Sequence[Posting]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("postings")
    for row in table(postings):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
