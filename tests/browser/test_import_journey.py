"""A coordinator uploads the city's list and reads what was imported and what was refused."""
import io
import json

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests import factories
from tests.browser.steps import sign_in


def test_coordinator_imports_a_list_and_sees_the_report(live_server, new_page, db, tmp_path):
    factories.coordinator(db, email="coordinator@city.example")
    db.commit()
    upload = tmp_path / "区县清单.json"
    upload.write_text(json.dumps({
        "format": "portal-import/1",
        "organizations": [{"ref": "E1", "kind": "enterprise", "name": "上海澄曜智能装备有限公司"}],
        "postings": [
            {"ref": "D1", "org": "E1", "type": "talent_demand", "title": "PLC电气工程师",
             "description": "负责产线PLC程序调试。", "skills": ["PLC编程"], "headcount": 3},
            {"ref": "D2", "org": "E9", "type": "talent_demand", "title": "无主岗位",
             "description": "……"},
        ]}, ensure_ascii=False), encoding="utf-8")

    page = new_page()
    sign_in(page, live_server, "coordinator@city.example")
    page.get_by_role("link", name="导入").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Excel 模板").click()
    assert download.value.suggested_filename == "portal-import-template.xlsx"
    template = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert "talent_demand" in template.sheetnames
    page.get_by_label("文件").set_input_files(str(upload))
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_text("已导入 1 条信息，1 条记录未通过。")).to_be_visible()
    refused = page.get_by_role("table", name="未通过的记录")
    expect(refused.get_by_role("cell", name="D2")).to_be_visible()
    expect(refused.get_by_text("在文件和平台中都找不到该机构")).to_be_visible()

    page.get_by_role("link", name="查找信息").click()
    page.get_by_label("搜索", exact=True).fill("PLC")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_role("link", name="PLC电气工程师")).to_be_visible()
