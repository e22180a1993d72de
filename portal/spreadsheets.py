"""Tables written as CSV or Excel, safe to open in a spreadsheet: every export of the
portal goes through here."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any


def neutralise_cell(value: object) -> object:
    """Spreadsheet cells starting with = + - @ (or a tab / carriage return) would run as
    formulas in Excel; prefix them with an apostrophe so they stay text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _safe(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    return [[neutralise_cell("" if cell is None else cell) for cell in row] for row in rows]


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_safe(rows))
    # UTF-8 with BOM: Excel on Chinese Windows opens it without garbling.
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: Iterable[Sequence[Any]], sheet_name: str) -> bytes:
    return _workbook_bytes([(sheet_name, rows)])


# Characters a sheet name may not hold, and its longest length (Excel's rules).
_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
SHEET_NAME_MAX = 31


def _workbook_bytes(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    from openpyxl import Workbook  # only exports need it

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for number, (title, rows) in enumerate(sheets, start=1):
        name = title.translate(_SHEET_NAME_FORBIDDEN).strip()[:SHEET_NAME_MAX] or str(number)
        if name in used:
            name = f"{name[:SHEET_NAME_MAX - 4]} {number}"
        used.add(name)
        sheet = workbook.create_sheet(name)
        for row in _safe(rows):
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sections_bytes(sections: Sequence[tuple[str, Sequence[Sequence[Any]]]], fmt: str) -> bytes:
    """Several titled tables: in Excel one sheet each, named by its title; in CSV one after
    another, each under its title and followed by an empty row."""
    if fmt == "csv":
        rows: list[Sequence[Any]] = []
        for title, table in sections:
            rows += [[title], *table, []]
        return csv_bytes(rows)
    return _workbook_bytes(sections)


MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_bytes(rows: Iterable[Sequence[Any]], fmt: str, sheet_name: str) -> bytes:
    """The rows in one of MIMETYPES' formats."""
    return csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows, sheet_name)
