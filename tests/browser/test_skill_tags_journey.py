"""Skills as tags: typing "plc" offers PLC编程, a free tag is kept too, a tag can be
removed; without JavaScript the same field is a plain text box."""
from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from tests import factories
from tests.browser.steps import sign_in


def fill_the_rest(page):
    page.get_by_label("岗位名称").fill("PLC电气工程师")
    page.get_by_label("岗位职责与要求").fill("负责产线PLC程序调试与设备维护，参与自动化改造项目。")
    page.get_by_label("招聘人数").fill("3")


def test_skills_are_typed_as_tags_with_suggestions(live_server, new_page, db):
    factories.member(db, OrgKind.ENTERPRISE, email="hr@chengyao.example")
    db.commit()
    page = new_page()
    sign_in(page, live_server, "hr@chengyao.example")
    page.get_by_role("link", name="我们的信息").click()
    page.get_by_role("link", name="新建：人才需求").click()
    fill_the_rest(page)

    skills = page.get_by_role("combobox", name="技能")
    skills.type("plc")
    page.get_by_role("option", name="PLC编程").click()
    skills.type("焊接机器人")
    skills.press("Enter")  # a tag the portal does not know is kept as typed
    skills.type("电气")
    expect(page.get_by_role("option").first).to_be_visible()
    skills.press("Escape")
    skills.fill("")
    page.get_by_role("button", name="删除 焊接机器人").click()
    skills.type("工业机器人示教、")  # a separator ends a tag too
    page.get_by_role("button", name="保存草稿").click()

    expect(page.get_by_text("草稿已保存")).to_be_visible()
    expect(page.locator(".chips").get_by_text("PLC编程", exact=True)).to_be_visible()
    expect(page.locator(".chips").get_by_text("工业机器人示教", exact=True)).to_be_visible()
    expect(page.locator(".chips").get_by_text("焊接机器人")).to_have_count(0)

    page.get_by_role("link", name="编辑").click()  # the tags come back as tags
    expect(page.get_by_role("button", name="删除 PLC编程")).to_be_visible()


def test_without_javascript_skills_are_one_text_box(live_server, browser, db):
    factories.member(db, OrgKind.ENTERPRISE, email="hr@chengyao.example")
    db.commit()
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server, "hr@chengyao.example")
        page.goto(f"{live_server}/postings/new/talent_demand")
        fill_the_rest(page)
        expect(page.locator(".tag-input")).to_have_count(0)
        page.get_by_label("技能").fill("PLC编程、电气制图")
        page.get_by_role("button", name="保存草稿").click()
        expect(page.locator(".chips").get_by_text("电气制图", exact=True)).to_be_visible()
    finally:
        context.close()
