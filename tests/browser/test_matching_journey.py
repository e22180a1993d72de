"""A university colleague opens a curriculum and sees the training order that fits it,
with the reasons."""
from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from portal.postings.models import PostingKind
from tests import factories
from tests.browser.steps import sign_in


def test_university_user_sees_the_matching_training_order(live_server, new_page, db):
    enterprise = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    staff = factories.member(db, OrgKind.UNIVERSITY, email="staff@lingang.example")
    factories.posting(db, PostingKind.TRAINING_ORDER, org=enterprise, title="智能产线运维订单班",
                      description="培养PLC调试与工业机器人运维人员，第二学年进厂轮岗。",
                      skills="PLC编程、工业机器人示教、液压与气动", major="机电一体化技术",
                      headcount=30, hire_count=25)
    factories.posting(db, PostingKind.CURRICULUM, org=staff.organization,
                      title="机电一体化技术专业", major="机电一体化技术",
                      description="面向智能产线，培养自动化设备安装调试人员。",
                      courses="可编程控制器应用、电机与拖动、液压与气动技术", skills="")
    db.commit()

    page = new_page()
    sign_in(page, live_server, "staff@lingang.example")
    page.get_by_role("link", name="我们的信息").click()
    page.get_by_role("link", name="机电一体化技术专业").click()
    matches = page.locator(".matches")
    expect(matches.get_by_role("heading", name="推荐的企业需求")).to_be_visible()
    expect(matches.get_by_role("link", name="智能产线运维订单班")).to_be_visible()
    matches.get_by_text("为什么推荐").first.click()
    expect(matches.locator(".chip").first).to_be_visible()
    expect(matches.get_by_text("液压与气动").first).to_be_visible()
    matches.get_by_role("link", name="智能产线运维订单班").click()
    expect(page.get_by_role("heading", name="智能产线运维订单班")).to_be_visible()


def test_coordinator_recomputes_and_filters_all_matches(live_server, new_page, db):
    factories.coordinator(db, email="coordinator@city.example")
    enterprise = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    university = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    factories.posting(db, PostingKind.TRAINING_ORDER, org=enterprise, title="智能产线运维订单班",
                      description="培养PLC调试与工业机器人运维人员。",
                      skills="PLC编程、工业机器人示教",
                      major="机电一体化技术", headcount=30, hire_count=25)
    factories.posting(db, PostingKind.CURRICULUM, org=university, title="机电一体化技术专业",
                      major="机电一体化技术", description="培养自动化设备安装调试人员。",
                      courses="可编程控制器应用、工业机器人技术", skills="")
    db.commit()

    page = new_page()
    sign_in(page, live_server, "coordinator@city.example")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="匹配").click()
    expect(page.get_by_role("heading", name="全部匹配")).to_be_visible()
    page.get_by_role("button", name="重新计算全部匹配").click()
    expect(page.get_by_text("已开始重新计算")).to_be_visible()
    expect(page.locator(".runs").get_by_text("已完成")).to_be_visible()
    quality = page.locator(".quality")
    expect(quality.get_by_role("heading", name="成员反馈下的匹配质量")).to_be_visible()
    expect(quality.locator(".evaluations tbody tr")).to_have_count(1)  # measured after it
    table = page.locator(".match-table")
    expect(table.get_by_role("link", name="智能产线运维订单班")).to_be_visible()

    page.get_by_label("需求", exact=True).select_option("talent_demand")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_text("没有符合筛选条件的匹配")).to_be_visible()


def test_a_programme_sees_what_a_post_asks_for_and_why(live_server, new_page, db):
    enterprise = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    staff = factories.member(db, OrgKind.UNIVERSITY, email="data@college.example")
    factories.posting(db, PostingKind.TALENT_DEMAND, org=enterprise, title="数据分析师",
                      description="负责数据清洗与报表开发。任职要求：计算机、统计学等相关专业，"
                                  "本科及以上学历，3年以上数据分析经验。",
                      skills="SQL、Python", major="")
    factories.posting(db, PostingKind.CURRICULUM, org=staff.organization, title="大数据技术专业",
                      major="大数据技术", skills="",
                      description="培养数据采集、数据清洗、数据分析与可视化人才。",
                      courses="Python程序设计、数据库技术、数据分析与可视化")
    db.commit()

    page = new_page()
    sign_in(page, live_server, "data@college.example")
    page.get_by_role("link", name="我们的信息").click()
    page.get_by_role("link", name="大数据技术专业").click()
    matches = page.locator(".matches")
    matches.get_by_text("为什么推荐").first.click()
    expect(matches.get_by_text("专业：岗位要求计算机、统计学；本项目为大数据技术，符合。")).to_be_visible()
    expect(matches.get_by_text("排序靠后")).to_be_visible()
    matches.get_by_role("link", name="数据分析师").click()
    asks = page.locator(".asks")
    expect(asks.get_by_role("heading", name="岗位要求")).to_be_visible()
    expect(asks.get_by_text("本科及以上")).to_be_visible()
    expect(asks.get_by_text("3年及以上")).to_be_visible()
    expect(asks.locator(".chip", has_text="统计学")).to_be_visible()
    page.screenshot(path="test-artifacts/asks.png", full_page=True)
