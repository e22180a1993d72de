"""A coordinator teaches the matcher a trade word and sees it take effect."""
from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from portal.postings.models import PostingKind
from tests import factories
from tests.browser.steps import sign_in


def test_coordinator_adds_a_synonym_and_the_match_appears(live_server, new_page, db):
    factories.coordinator(db, email="coordinator@city.example")
    enterprise = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    university = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    demand = factories.posting(db, PostingKind.TALENT_DEMAND, org=enterprise, title="走心机调机员",
                               description="负责走心机的调机与日常生产。" * 3, skills="走心机",
                               major="")
    factories.posting(db, PostingKind.CURRICULUM, org=university, title="数控技术专业",
                      description="培养数控编程与操作人才。" * 2, major="数控技术",
                      courses="数控机床编程与操作", skills="")
    db.commit()

    page = new_page()
    sign_in(page, live_server, "coordinator@city.example")
    page.goto(f"{live_server}/postings/{demand.id}")
    expect(page.get_by_role("link", name="数控技术专业")).to_have_count(0)

    page.get_by_role("link", name="词库").click()
    page.get_by_label("技能或专业").select_option("cnc")
    page.get_by_label("同义词").fill("走心机")
    page.get_by_role("button", name="添加同义词").click()
    expect(page.get_by_text("正在据此重新计算全部匹配")).to_be_visible()
    expect(page.get_by_role("cell", name="走心机")).to_be_visible()

    page.goto(f"{live_server}/postings/{demand.id}")
    matches = page.locator(".matches")
    expect(matches.get_by_role("link", name="数控技术专业")).to_be_visible()
