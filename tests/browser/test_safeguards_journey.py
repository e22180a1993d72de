"""Safeguards a person meets in the browser (issue 14): a coordinator is warned of an
organisation named like another before verifying it, and a partner whose agreement could
not be printed prepares it again from the partnership's page."""
import re

from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from portal.agreements import services as documents
from portal.cooperation.models import CooperationKind
from portal.cooperation.services import act, propose
from portal.demo_cooperation import TERMS
from tests import factories
from tests.browser.steps import go_to_cooperations, sign_in


def test_coordinator_is_warned_of_a_look_alike_before_verifying(live_server, new_page, db):
    factories.coordinator(db, email="coordinator@city.example")
    factories.member(db, OrgKind.ENTERPRISE, email="hr@chengyao.example",
                     name="上海土木工程有限公司")
    factories.member(db, OrgKind.ENTERPRISE, verified=False, email="hr@chengyаo.example",
                     name="上海士木工程有限公司")  # 士 for 土, Cyrillic а in the address
    db.commit()

    page = new_page()
    sign_in(page, live_server, "coordinator@city.example")
    page.goto(f"{live_server}/review/organizations")
    row = page.get_by_role("row").filter(has_text="上海士木工程有限公司")
    expect(row.get_by_text("名称或邮箱易混")).to_be_visible()
    row.get_by_role("link", name="上海士木工程有限公司").click()
    warning = page.get_by_role("note")
    expect(warning.get_by_text("请先核实是否有人冒用他人名义")).to_be_visible()
    expect(warning.get_by_role("link", name="上海土木工程有限公司")).to_be_visible()
    expect(warning.get_by_text("hr@chengyao.example")).to_be_visible()
    page.screenshot(path="test-artifacts/look-alike.png", full_page=True)


def test_a_partner_prepares_an_agreement_again_after_it_failed(live_server, new_page, db,
                                                               monkeypatch):
    coordinator = factories.coordinator(db)
    hr = factories.member(db, OrgKind.ENTERPRISE, email="hr@chengyao.example")
    staff = factories.member(db, OrgKind.UNIVERSITY, email="staff@lingang.example")
    kind = CooperationKind.ORDER_TRAINING
    proposal = propose(db, hr, staff.organization, kind, "智能产线运维订单班", TERMS[kind])
    act(db, proposal, staff, "accept")
    db.commit()

    def renderer_down(*args, **kwargs):
        raise OSError("the renderer crashed")

    with monkeypatch.context() as broken:
        broken.setattr(documents, "agreement_pdf", renderer_down)
        act(db, proposal, coordinator, "approve")
        db.commit()  # the issuing job runs after this commit, and fails

    page = new_page()
    sign_in(page, live_server, "hr@chengyao.example")
    go_to_cooperations(page)
    page.get_by_role("link", name="智能产线运维订单班").first.click()
    alert = page.get_by_role("alert")
    expect(alert.get_by_text("已批准条款的协议未能生成")).to_be_visible()
    page.screenshot(path="test-artifacts/render-failed.png", full_page=True)
    alert.get_by_role("button", name="重新生成协议").click()
    expect(page.get_by_text("正在重新生成协议")).to_be_visible()
    expect(page.locator("#agreements").get_by_role("link", name=re.compile(r"CJ-.*PDF"))
           ).to_be_visible(timeout=20_000)


def test_a_long_conversation_is_read_a_page_at_a_time(live_server, new_page, db):
    """A partnership's messages: the latest page, the earlier ones a link away, and a new
    message lands at the end of the latest page."""
    from portal.cooperation.models import ProposalMessage
    from portal.cooperation.services import MESSAGES_SHOWN

    hr = factories.member(db, OrgKind.ENTERPRISE, email="hr@chengyao.example")
    staff = factories.member(db, OrgKind.UNIVERSITY, email="staff@lingang.example")
    kind = CooperationKind.ORDER_TRAINING
    proposal = propose(db, hr, staff.organization, kind, "数控订单班", TERMS[kind])
    db.add_all([ProposalMessage(proposal_id=proposal.id, author_id=hr.id,
                                body=f"第{n}条留言") for n in range(1, MESSAGES_SHOWN + 4)])
    db.commit()

    page = new_page()
    sign_in(page, live_server, "staff@lingang.example")
    go_to_cooperations(page)
    page.get_by_role("link", name="数控订单班").first.click()
    messages = page.locator("#messages")
    expect(messages.get_by_text(f"第{MESSAGES_SHOWN + 3}条留言")).to_be_visible()
    expect(messages.get_by_text("第3条留言")).to_have_count(0)
    messages.get_by_role("link", name="更早的留言").click()
    expect(messages.get_by_text("第3条留言")).to_be_visible()
    expect(messages.get_by_text("第4条留言")).to_have_count(0)
    messages.get_by_role("link", name="最新留言").click()
    messages.get_by_label(re.compile("留言")).fill("第三学期安排实训可以。")
    messages.get_by_role("button", name="发送留言").click()
    expect(page.locator("#messages .message").last).to_contain_text("第三学期安排实训可以。")
    page.screenshot(path="test-artifacts/message-thread.png", full_page=True)
