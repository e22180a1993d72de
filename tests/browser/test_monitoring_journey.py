"""A coordinator reads the supply–demand balance and drills into a shortage."""
from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from portal.postings.models import PostingKind
from tests import factories
from tests.browser.steps import sign_in


def test_coordinator_finds_a_shortage_and_the_postings_behind_it(live_server, new_page, db):
    factories.coordinator(db, email="coordinator@city.example")
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    factories.posting(db, PostingKind.TALENT_DEMAND, org=firm, title="动力电池装配技术员",
                      major="新能源汽车技术", headcount=25, skills="动力电池装配",
                      district="嘉定区")
    factories.posting(db, PostingKind.CURRICULUM, org=college, title="新能源汽车技术专业",
                      major="新能源汽车技术", capacity=10, skills="动力电池装配",
                      district="嘉定区")
    factories.posting(db, PostingKind.CURRICULUM, org=college, title="会计专业",
                      major="会计学", capacity=60, skills="财务会计", district="浦东新区")
    db.commit()

    page = new_page()
    sign_in(page, live_server, "coordinator@city.example")
    page.get_by_role("link", name="供需监测").click()
    shortages = page.locator("table.shortages")
    expect(shortages.get_by_role("link", name="新能源汽车技术")).to_be_visible()
    expect(shortages.get_by_role("cell", name="15", exact=True)).to_be_visible()  # 25 − 10
    expect(page.locator("table.surpluses").get_by_role("link", name="会计学")).to_be_visible()
    expect(page.get_by_role("img", name="缺口最大的项")).to_be_visible()

    # Narrow to one district: the accounting programme is elsewhere.
    page.get_by_label("所在区", exact=True).select_option("嘉定区")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("table.surpluses")).to_have_count(0)

    # Where in the city it is wanted, on the map of the districts.
    page.locator("table.shortages").get_by_role("link", name="各区分布").click()
    expect(page.get_by_role("heading", name="各区分布：新能源汽车技术")).to_be_visible()
    expect(page.get_by_role("img", name="各区需求区位商")).to_be_visible()
    page.go_back()

    page.locator("table.shortages").get_by_role("link", name="新能源汽车技术").click()
    expect(page.get_by_role("heading", name="新能源汽车技术")).to_be_visible()
    expect(page.get_by_role("link", name="动力电池装配技术员")).to_be_visible()
    expect(page.get_by_role("link", name="新能源汽车技术专业")).to_be_visible()
    expect(page.get_by_role("link", name="会计专业")).to_have_count(0)
