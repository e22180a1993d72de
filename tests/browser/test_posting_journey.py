"""An HR manager writes a training order, reads its diagnosis, fixes it, publishes it,
and a university colleague finds it by search."""
from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from tests import factories
from tests.browser.steps import sign_in


def test_create_diagnose_publish_and_find_a_training_order(live_server, new_page, db):
    hr = factories.member(db, OrgKind.ENTERPRISE, email="hr@chengyao.example")
    factories.member(db, OrgKind.UNIVERSITY, email="staff@lingang.example")
    db.commit()

    page = new_page()
    sign_in(page, live_server, "hr@chengyao.example")
    page.get_by_role("link", name="我们的信息").click()
    page.get_by_role("link", name="新建：订单式培养").click()
    page.get_by_label("订单班名称").fill("智能产线运维订单班")
    page.get_by_label("目标专业").fill("机电一体化技术")
    page.get_by_label("培养内容").fill(
        "为新建的智能装配产线培养运维技术员，重点是PLC编程调试与工业机器人示教。限男性。")
    page.get_by_label("技能").fill("PLC编程、工业机器人示教、电气控制")
    page.get_by_label("班级人数").fill("３０")  # typed with a Chinese IME
    page.get_by_label("实训岗位").check()
    page.get_by_label("企业承诺录用人数").fill("40")
    page.get_by_role("button", name="保存草稿").click()

    # The diagnosis speaks before anything is public.
    expect(page.get_by_text("草稿已保存")).to_be_visible()
    diagnosis = page.locator(".diagnosis")
    expect(diagnosis.get_by_text("性别要求")).to_be_visible()
    expect(diagnosis.get_by_text("承诺录用人数超过班级人数")).to_be_visible()

    page.get_by_role("link", name="编辑").click()
    expect(page.get_by_label("班级人数")).to_have_value("30")
    page.get_by_label("培养内容").fill(
        "为新建的智能装配产线培养运维技术员，重点是PLC编程调试与工业机器人示教。")
    page.get_by_label("企业承诺录用人数").fill("25")
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator(".diagnosis").get_by_text("未发现问题。")).to_be_visible()
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("已发布。")).to_be_visible()

    # A university colleague finds it by searching part of what it says.
    staff = new_page()
    sign_in(staff, live_server, "staff@lingang.example")
    staff.get_by_role("link", name="查找信息").click()
    staff.get_by_label("搜索", exact=True).fill("PLC 运维")
    staff.get_by_label("类型").select_option("training_order")
    staff.get_by_role("button", name="搜索").click()
    expect(staff.get_by_text("共找到 1 条信息")).to_be_visible()
    staff.get_by_role("link", name="智能产线运维订单班").click()
    expect(staff.get_by_role("heading", name="智能产线运维订单班")).to_be_visible()
    expect(staff.get_by_text("实训岗位")).to_be_visible()
    expect(staff.locator(".meta").get_by_text(hr.organization.name)).to_be_visible()
