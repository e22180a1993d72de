"""The Excel import template: what it holds, and that the importer takes it back as is."""
import io

from flask_babel import force_locale
from openpyxl import load_workbook

from portal.postings.import_template import ORGANIZATIONS_SHEET, template_bytes
from portal.postings.importer import import_records, read_file
from portal.postings.models import PostingKind
from tests import factories


def _workbook(app, language="zh"):
    with app.test_request_context(), force_locale(language):
        return template_bytes()


def test_the_filled_in_template_imports_without_a_refusal(app, db):
    data = _workbook(app)
    report = import_records(db, read_file(data, "template.xlsx"), factories.coordinator(db))
    assert report.errors == []
    assert (report.organizations_created, report.postings_created) == (2, len(PostingKind))


def test_one_sheet_per_posting_type_with_notes_in_the_language_asked(app):
    workbook = load_workbook(io.BytesIO(_workbook(app, "zh")))
    assert workbook.sheetnames == [ORGANIZATIONS_SHEET, *(kind.value for kind in PostingKind)]
    demands = workbook[PostingKind.TALENT_DEMAND.value]
    headers = [cell.value for cell in demands[1]]
    assert headers[:4] == ["ref", "org", "title", "description"] and "headcount" in headers
    assert "courses" in [cell.value for cell in workbook[PostingKind.CURRICULUM.value][1]]
    assert "必填" in demands["A1"].comment.text
    english = load_workbook(io.BytesIO(_workbook(app, "en")))
    assert "Required" in english[PostingKind.TALENT_DEMAND.value]["A1"].comment.text


def test_fixed_values_are_drop_down_lists_and_numbers_are_bounded(app):
    sheet = load_workbook(io.BytesIO(_workbook(app)))[ORGANIZATIONS_SHEET]
    rules = {str(rule.sqref).split(":")[0]: rule for rule in sheet.data_validations.dataValidation}
    assert rules["B2"].type == "list" and rules["B2"].formula1 == '"enterprise,university"'
    assert rules["B2"].errorStyle == "stop"
    assert "浦东新区" in rules["E2"].formula1 and rules["E2"].errorStyle == "information"
    demands = load_workbook(io.BytesIO(_workbook(app)))[PostingKind.TALENT_DEMAND.value]
    number = next(rule for rule in demands.data_validations.dataValidation
                  if rule.type == "whole")
    assert (number.formula1, number.formula2) == ("0", "1000000000")


def test_coordinators_download_it_from_the_import_page(client, login_as):
    login_as("coordinator")
    page = client.get("/postings/import")
    assert b'href="/postings/import/template.xlsx"' in page.data
    response = client.get("/postings/import/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "portal-import-template.xlsx" in response.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.data)).sheetnames[0] == ORGANIZATIONS_SHEET
