"""Alerts: a university's staff member saves a search from the results, an enterprise
publishes a posting it finds, the alert is in her inbox; she turns the alert off."""
from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from portal.postings.models import PostingKind
from tests import factories
from tests.browser.steps import sign_in


def test_save_a_search_hear_of_a_new_posting_and_turn_the_alert_off(
        live_server, new_page, db):
    factories.member(db, OrgKind.UNIVERSITY, email="staff@lingang.example")
    db.commit()
    page = new_page()
    sign_in(page, live_server, "staff@lingang.example")
    page.get_by_role("link", name="查找信息").click()
    page.get_by_label("搜索", exact=True).fill("PLC")
    page.get_by_role("button", name="搜索", exact=True).click()
    page.get_by_text("保存此搜索，有新信息时提醒我").click()
    page.get_by_label("搜索名称").fill("PLC 岗位")
    page.get_by_label("有新信息时提醒我").select_option("immediate")
    page.get_by_role("button", name="保存搜索").click()
    expect(page.get_by_text("搜索已保存")).to_be_visible()

    factories.posting(db, PostingKind.TALENT_DEMAND, title="PLC电气工程师")
    db.commit()
    page.get_by_role("link", name="消息").click()
    expect(page.get_by_text("您保存的搜索“PLC 岗位”有新信息：PLC电气工程师")).to_be_visible()

    page.get_by_role("link", name="订阅提醒").click()
    page.get_by_label("“PLC 岗位”的提醒方式").select_option("none")
    page.get_by_role("button", name="变更").click()
    expect(page.get_by_text("提醒方式已修改。")).to_be_visible()
    expect(page.get_by_label("“PLC 岗位”的提醒方式")).to_have_value("none")
