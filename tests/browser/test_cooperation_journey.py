"""The whole cooperation journey in a browser: HR proposes an order-based training from
a match, the university counter-proposes a smaller cohort, HR accepts, a coordinator
approves, and both sides see the active partnership."""
from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from portal.postings.models import PostingKind
from tests import factories
from tests.browser.steps import go_to_cooperations, sign_in, sign_out


def test_order_training_from_match_to_active_partnership(live_server, new_page, db):
    factories.coordinator(db, email="coordinator@city.example")
    hr = factories.member(db, OrgKind.ENTERPRISE, email="hr@chengyao.example")
    staff = factories.member(db, OrgKind.UNIVERSITY, email="staff@lingang.example")
    factories.posting(db, PostingKind.TRAINING_ORDER, org=hr.organization,
                      title="智能产线运维订单班", description="培养PLC调试与工业机器人运维人员。",
                      skills="PLC编程、工业机器人示教", major="机电一体化技术",
                      headcount=40, hire_count=30)
    factories.posting(db, PostingKind.CURRICULUM, org=staff.organization,
                      title="机电一体化技术专业", major="机电一体化技术",
                      description="培养自动化设备安装调试人员。",
                      courses="可编程控制器应用、工业机器人技术", skills="")
    db.commit()

    page = new_page()
    sign_in(page, live_server, "hr@chengyao.example")
    page.get_by_role("link", name="我们的信息").click()
    page.get_by_role("link", name="智能产线运维订单班").click()
    page.locator(".matches").get_by_role("link", name="发起合作").click()
    expect(page.get_by_role("heading", name="发起合作")).to_have_count(1)
    expect(page.get_by_label("班级人数")).to_have_value("40")
    page.get_by_label("培养安排（学期）").fill("2027 年秋季学期起，两学年")
    page.get_by_label("实训地点").fill("企业实训车间")
    page.get_by_label("费用分担").fill("企业承担实训耗材")
    page.get_by_label("留任期（月）").fill("24")
    page.get_by_label("合作起始日期").fill("2027-09-01")
    page.get_by_label("合作终止日期").fill("2029-07-31")
    page.get_by_label("签订地点").fill("上海市闵行区")
    page.get_by_role("button", name="发出合作意向").click()
    expect(page.locator(".status-line").get_by_text("等待对方答复")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "staff@lingang.example")
    go_to_cooperations(page)
    page.get_by_role("link", name="智能产线运维订单班 × 机电一体化技术专业").click()
    page.get_by_role("link", name="提出修改条款").click()
    page.get_by_label("班级人数").fill("30")
    page.get_by_label("给对方的说明").fill("首期先办 30 人")
    page.get_by_role("button", name="发送此条款").click()
    expect(page.get_by_text("您的条款已发送给对方")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "hr@chengyao.example")
    go_to_cooperations(page)
    page.get_by_role("link", name="智能产线运维订单班 × 机电一体化技术专业").click()
    expect(page.locator("ins", has_text="30")).to_be_visible()
    page.get_by_role("button", name="接受此条款").click()
    expect(page.get_by_text("等待协调员审批").first).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "coordinator@city.example")
    go_to_cooperations(page)
    queue = page.locator("section", has=page.get_by_role("heading", name="待您审批"))
    queue.get_by_role("link", name="智能产线运维订单班 × 机电一体化技术专业").click()
    page.get_by_role("button", name="批准", exact=True).click()
    expect(page.get_by_text("合作进行中").first).to_be_visible()
    sign_out(page)

    for email in ("staff@lingang.example", "hr@chengyao.example"):
        sign_in(page, live_server, email)
        go_to_cooperations(page)
        expect(page.locator(".proposals").get_by_text("合作进行中")).to_be_visible()
        sign_out(page)
