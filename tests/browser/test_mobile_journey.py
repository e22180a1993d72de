"""On a phone (390 px wide): the menu folds behind a button, tables read as cards of
label: value, nothing scrolls sideways, and the actions stay within reach."""
from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from portal.cooperation.models import CooperationKind
from portal.cooperation.services import propose
from portal.demo_cooperation import TERMS
from portal.postings.models import PostingKind
from tests import factories
from tests.browser.steps import sign_in

PHONE = 390


def fits_the_screen(page):
    # Measured once the style sheets are in: a layout read while one is still loading
    # sees the page unstyled.
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE


def within_reach(locator):
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE


def label_of(cell):
    return cell.evaluate("cell => getComputedStyle(cell, '::before').content")


def open_menu(page, link):
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav).to_be_hidden()
    menu = page.get_by_role("button", name="菜单")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    nav.get_by_role("link", name=link, exact=True).click()


def test_a_member_works_through_a_proposal_on_a_phone(live_server, new_page, db):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    staff = factories.member(db, OrgKind.UNIVERSITY, email="zhao@college.example")
    propose(db, hr, staff.organization, CooperationKind.ORDER_TRAINING, "数控订单班",
            TERMS[CooperationKind.ORDER_TRAINING])
    db.commit()

    page = new_page(width=PHONE)
    sign_in(page, live_server, "zhao@college.example")
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
    fits_the_screen(page)

    open_menu(page, "合作")
    expect(page.get_by_role("heading", name="合作", exact=True)).to_be_visible()
    fits_the_screen(page)
    status = page.get_by_role("table").locator("td").nth(3)
    assert label_of(status) == '"状态"'
    within_reach(status)

    page.get_by_role("link", name="数控订单班").click()
    expect(page.get_by_role("heading", name="数控订单班")).to_be_visible()
    fits_the_screen(page)
    accept = page.get_by_role("button", name="接受此条款")
    within_reach(accept)
    accept.click()
    expect(page.get_by_text("等待协调员审批").first).to_be_visible()
    fits_the_screen(page)


def test_searching_postings_on_a_phone(live_server, new_page, db):
    factories.posting(db, PostingKind.TALENT_DEMAND, title="PLC电气工程师")
    hr = factories.member(db, OrgKind.UNIVERSITY, email="zhao@college.example")
    db.commit()
    assert hr.organization is not None

    page = new_page(width=PHONE)
    sign_in(page, live_server, "zhao@college.example")
    open_menu(page, "查找信息")
    page.get_by_label("搜索", exact=True).fill("PLC")
    search = page.get_by_role("button", name="搜索")
    within_reach(search)
    search.click()
    expect(page.get_by_role("link", name="PLC电气工程师")).to_be_visible()
    fits_the_screen(page)
