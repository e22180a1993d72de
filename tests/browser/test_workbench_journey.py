"""Signed in, each person lands on the workbench: a university member follows a proposal
awaiting her answer; a coordinator verifies two registrations at once from the queue."""
from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from portal.cooperation.models import CooperationKind
from portal.cooperation.services import propose
from portal.demo_cooperation import TERMS
from tests import factories
from tests.browser.steps import sign_in


def test_the_workbench_leads_to_what_awaits(live_server, new_page, db):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    staff = factories.member(db, OrgKind.UNIVERSITY, email="zhao@college.example")
    propose(db, hr, staff.organization, CooperationKind.ORDER_TRAINING, "数控订单班",
            TERMS[CooperationKind.ORDER_TRAINING])
    first = factories.organization(db, OrgKind.ENTERPRISE)
    second = factories.organization(db, OrgKind.UNIVERSITY)
    factories.coordinator(db, email="coordinator@city.example")
    db.commit()

    page = new_page()
    sign_in(page, live_server, "zhao@college.example")
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
    todo = page.get_by_role("region", name="待办事项")
    expect(todo.get_by_text("等待您答复")).to_be_visible()
    todo.get_by_role("link", name="数控订单班").click()
    expect(page.get_by_role("heading", name="数控订单班")).to_be_visible()

    coordinator = new_page()
    sign_in(coordinator, live_server, "coordinator@city.example")
    queue = coordinator.get_by_role("region", name="待审核机构")
    expect(queue.get_by_role("link", name=first.name)).to_be_visible()
    expect(queue.get_by_role("link", name=second.name)).to_be_visible()
    coordinator.get_by_role("link", name="批量审核").click()
    coordinator.get_by_label(f"选择 {first.name}").check()
    coordinator.get_by_label(f"选择 {second.name}").check()
    coordinator.get_by_role("button", name="审核通过所选机构").click()
    expect(coordinator.get_by_text("已审核通过 2 家机构，现可发布信息。")).to_be_visible()
    coordinator.goto(live_server + "/")
    expect(coordinator.get_by_text("没有待审核的注册。")).to_be_visible()
