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
    from openpyxl import Workbook  # only exports need it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    for row in _safe(rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_bytes(rows: Iterable[Sequence[Any]], fmt: str, sheet_name: str) -> bytes:
    """The rows in one of MIMETYPES' formats."""
    return csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows, sheet_name)
