"""A coordinator sees a shortage, sets a warning rule, and answers the warning by inviting
a university that teaches the field."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from portal.monitoring.periods import Period, PeriodKind
from portal.postings.models import PostingKind
from tests import factories
from tests.browser.steps import sign_in

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_coordinator_answers_a_shortage_warning(live_server, new_page, db):
    factories.coordinator(db, email="coordinator@city.example")
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    college.name = "上海测试软件职业学院"
    last_month = Period.containing(PeriodKind.MONTH, datetime.now(SHANGHAI).date()).previous
    demand = factories.posting(db, PostingKind.TALENT_DEMAND, org=firm, title="Java开发工程师",
                               major="软件工程", headcount=20, skills="Java")
    demand.published_at = datetime.combine(last_month.first_day, datetime.min.time(),
                                           SHANGHAI) + timedelta(days=3)
    # The college teaches the same 专业类 (a 高职 programme for a 本科 major), published now.
    factories.posting(db, PostingKind.CURRICULUM, org=college, title="软件技术专业",
                      major="软件技术", capacity=40, skills="Java")
    db.commit()

    page = new_page()
    sign_in(page, live_server, "coordinator@city.example")
    page.goto(f"{live_server}/monitoring/?period={last_month.code}")
    page.locator("table.shortages").get_by_role("link", name="软件工程").click()
    expect(page.get_by_role("link", name="Java开发工程师")).to_be_visible()

    page.get_by_role("link", name="预警", exact=True).click()
    page.get_by_label("预警条件").select_option("ratio_above")
    page.get_by_label("统计维度").select_option("field")
    page.get_by_label("期间").select_option("month")
    page.get_by_label("求人倍率高于").fill("2")
    page.get_by_label("连续期数（或天数、结业后月数）").fill("1")
    page.get_by_role("button", name="添加规则").click()
    expect(page.get_by_text("规则已保存")).to_be_visible()
    page.get_by_role("button", name="立即检查").click()
    expect(page.get_by_text("新增 1 条预警")).to_be_visible()

    page.get_by_role("link", name="计算机类").click()
    expect(page.get_by_role("heading", name="计算机类")).to_contain_text("新")
    expect(page.get_by_label("上海测试软件职业学院")).to_be_checked()
    page.get_by_role("button", name="邀请所选院校").click()
    expect(page.get_by_text("已邀请 1 所院校")).to_be_visible()
    expect(page.get_by_role("heading", name="计算机类")).to_contain_text("已响应")
    expect(page.get_by_role("table", name="已邀请的院校")).to_contain_text("上海测试软件职业学院")

    # The quarter's analysis, published for anyone to read.
    page.get_by_role("link", name="分析报告").click()
    quarter = Period.containing(PeriodKind.QUARTER, last_month.first_day)
    page.get_by_label("统计期").select_option(quarter.code)
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("报告已发布在公开报告页面")).to_be_visible()
    page.get_by_role("link", name="公开页面").click()
    expect(page.get_by_role("row", name=quarter.code)).to_contain_text("全市")
