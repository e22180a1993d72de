"""Search results as CSV and Excel, with formula injection neutralised."""
import csv
import io

from openpyxl import load_workbook

from portal.accounts.models import Role
from portal.spreadsheets import neutralise_cell
from tests import factories

PAYLOADS = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+1+2", "-2+3", "@SUM(A1)",
            "\t=1+1"]


def test_neutralise_cell():
    for payload in PAYLOADS:
        assert neutralise_cell(payload).startswith("'")
    assert neutralise_cell("CNC操机员") == "CNC操机员" and neutralise_cell(5) == 5


def test_csv_export_of_a_search(client, db, login_as):
    factories.posting(db, title="CNC数控操机员", skills="CNC编程、机械制图", headcount=6)
    factories.posting(db, title="会计")
    factories.posting(db, title="=cmd|' /C calc'!A0")
    login_as(Role.UNIVERSITY_STAFF)
    response = client.get("/postings/export.csv", query_string={"q": "数控"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["编号", "编号", "类型", "标题"] or rows[0][3] == "标题"
    assert [row[3] for row in rows[1:]] == ["CNC数控操机员"]
    assert rows[1][7] == "CNC编程、机械制图" and rows[1][12] == "6"

    everything = list(csv.reader(io.StringIO(
        client.get("/postings/export.csv").data.decode("utf-8-sig"))))
    assert "'=cmd|' /C calc'!A0" in [row[3] for row in everything]


def test_xlsx_export_keeps_formulas_as_text(client, db, login_as):
    for payload in PAYLOADS:
        factories.posting(db, title=payload.strip() or "x", description=payload * 5)
    login_as(Role.COORDINATOR)
    response = client.get("/postings/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row
             if isinstance(cell.value, str)]
    assert cells and not any(cell.startswith(("=", "+", "-", "@", "\t")) for cell in cells)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_export_headers_are_unique_in_both_languages(client, db, login_as):
    factories.posting(db, title="会计")
    login_as(Role.UNIVERSITY_STAFF)
    for language in ("zh", "en"):
        response = client.get("/postings/export.csv", headers={"Accept-Language": language})
        header = next(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
        assert len(header) == len(set(header)), header
    assert header[:2] == ["Portal ID", "Source reference"]
