"""An HR manager dismisses a recommendation that does not fit, saying why."""
from playwright.sync_api import expect

from tests import factories
from tests.browser.steps import sign_in


def test_hr_dismisses_a_match_with_a_reason(live_server, new_page, db):
    order, cnc, data = factories.market(db)
    hr = order.organization.members[0]
    db.commit()
    page = new_page()
    sign_in(page, live_server, hr.email)
    page.get_by_role("link", name="我们的匹配").click()
    group = page.locator(".match-group", has_text="数控加工订单班")
    expect(group.get_by_role("link", name="数控技术专业")).to_be_visible()
    group.get_by_text("不合适？", exact=True).click()
    group.get_by_label("为什么不合适？").fill("需要五轴方向，该专业没有")
    group.get_by_role("button", name="忽略").click()
    expect(page.get_by_text("将不再为该信息推荐")).to_be_visible()
    expect(page.locator(".match-group", has_text="数控加工订单班")
           .get_by_role("link", name="数控技术专业")).to_have_count(0)
