"""Cooperation pages: proposing from a match, answering, approving; who sees what."""
import re

import pytest
from sqlalchemy import select

from portal.accounts.models import OrgKind, Role
from portal.cooperation.models import Proposal
from portal.cooperation.models import ProposalStatus as S
from portal.cooperation.services import act
from tests import factories


def form(**extra):
    return {"title": "数控订单班合作", **factories.ORDER_TERMS, **extra}


def proposed(client, db, login_as, order, cnc, **extra) -> Proposal:
    """The order's enterprise proposes to the programme's university from their match."""
    login_as(order.organization.members[0])
    client.post(f"/cooperation/new?demand={order.id}&supply={cnc.id}", data=form(**extra))
    return db.scalar(select(Proposal))


@pytest.fixture
def match(db):
    order, cnc, data = factories.market(db)
    db.commit()
    return order, cnc


def test_a_match_prefills_the_proposal(client, db, login_as, match):
    order, cnc = match
    login_as(order.organization.members[0])
    page = client.get(f"/cooperation/new?demand={order.id}&supply={cnc.id}").get_data(
        as_text=True)
    assert "订单式培养" in page and cnc.organization.name in page
    assert 'value="30"' in page  # cohort size from the order's headcount
    assert "数控加工订单班 × 数控技术专业" in page
    assert 'value="CNC编程、机械制图"' in page  # lists as people write them, not as Python


def test_propose_and_mass_assigned_fields_are_ignored(client, db, login_as, match):
    order, cnc = match
    hr = login_as(order.organization.members[0])
    response = client.post(f"/cooperation/new?demand={order.id}&supply={cnc.id}",
                           data=form(status="active", proposer_org_id=999, awaiting_org_id=1))
    assert response.status_code == 302
    proposal = db.scalar(select(Proposal))
    assert proposal.status is S.PROPOSED and proposal.proposer_org_id == hr.organization_id
    assert proposal.awaiting_org_id == cnc.organization_id
    assert (proposal.demand_posting_id, proposal.supply_posting_id) == (order.id, cnc.id)


def test_bad_terms_are_shown_on_their_field(client, db, login_as, match):
    order, cnc = match
    login_as(order.organization.members[0])
    page = client.post(f"/cooperation/new?demand={order.id}&supply={cnc.id}",
                       data=form(cohort_size="四十")).get_data(as_text=True)
    assert "请输入整数" in page
    assert db.scalar(select(Proposal)) is None


def test_a_third_organisation_cannot_see_or_act(client, db, login_as, match):
    order, cnc = match
    proposal = proposed(client, db, login_as, order, cnc)
    login_as(Role.UNIVERSITY_STAFF)  # another university
    assert client.get(f"/cooperation/{proposal.id}").status_code == 404
    assert client.post(f"/cooperation/{proposal.id}/act/accept").status_code == 404
    assert "数控订单班合作" not in client.get("/cooperation/").get_data(as_text=True)


def test_a_university_cannot_approve_as_coordinator(client, db, login_as, match):
    order, cnc = match
    proposal = proposed(client, db, login_as, order, cnc)
    act(db, proposal, cnc.organization.members[0], "accept")
    login_as(cnc.organization.members[0])
    page = client.post(f"/cooperation/{proposal.id}/act/approve",
                       follow_redirects=True).get_data(as_text=True)
    assert "只有市协调员可以审批合作" in page
    db.expire_all()
    assert db.get(Proposal, proposal.id).status is S.PENDING_APPROVAL


def test_the_whole_negotiation_through_the_pages(client, db, login_as, match):
    order, cnc = match
    hr, staff = order.organization.members[0], cnc.organization.members[0]
    login_as(hr)
    client.post(f"/cooperation/new?demand={order.id}&supply={cnc.id}", data=form())
    proposal = db.scalar(select(Proposal))
    login_as(staff)
    page = client.get(f"/cooperation/{proposal.id}").get_data(as_text=True)
    assert "接受此条款" in page and "提出修改条款" in page
    counter_form = client.get(f"/cooperation/{proposal.id}/counter").get_data(as_text=True)
    assert 'value="CNC编程、机械制图"' in counter_form
    client.post(f"/cooperation/{proposal.id}/counter",
                data={**factories.ORDER_TERMS, "cohort_size": "30", "note": "先办 30 人"})
    login_as(hr)
    page = client.get(f"/cooperation/{proposal.id}").get_data(as_text=True)
    assert "第 2 版" in page and "<del>40</del>" in page and "<ins>30</ins>" in page
    client.post(f"/cooperation/{proposal.id}/act/accept", data={"version": proposal.version})
    login_as(Role.COORDINATOR)
    assert "数控订单班合作" in client.get("/cooperation/").get_data(as_text=True)
    db.expire_all()
    client.post(f"/cooperation/{proposal.id}/act/approve",
                data={"version": db.get(Proposal, proposal.id).version})
    db.expire_all()
    approved = db.get(Proposal, proposal.id)
    assert approved.status is S.ACTIVE and approved.terms["cohort_size"] == 30
    assert [e.action for e in approved.events] == ["propose", "counter", "accept", "approve"]


def test_a_stale_form_is_refused_with_a_message(client, db, login_as, match):
    order, cnc = match
    proposal = proposed(client, db, login_as, order, cnc)
    act(db, proposal, cnc.organization.members[0], "accept")
    seen = proposal.version
    login_as(Role.COORDINATOR)
    client.post(f"/cooperation/{proposal.id}/act/approve", data={"version": seen})
    page = client.post(f"/cooperation/{proposal.id}/act/reject",
                       data={"version": seen, "comment": "重复提交"},
                       follow_redirects=True).get_data(as_text=True)
    assert "已有他人处理了该合作" in page


def test_a_tampered_version_is_refused_and_nothing_changes(client, db, login_as, match):
    order, cnc = match
    proposal = proposed(client, db, login_as, order, cnc)
    login_as(cnc.organization.members[0])
    page = client.post(f"/cooperation/{proposal.id}/act/accept", data={"version": "2x"},
                       follow_redirects=True).get_data(as_text=True)
    assert "不是有效的整数" in page  # WTForms' own message, in the user's language
    assert db.get(Proposal, proposal.id).status is S.PROPOSED


@pytest.mark.parametrize("role, status", [(None, 302), (Role.ENTERPRISE_HR, 403),
                                          (Role.UNIVERSITY_STAFF, 403), (Role.COORDINATOR, 200)])
def test_only_coordinators_export_the_audit_trail(client, login_as, role, status):
    if role:
        login_as(role)
    assert client.get("/cooperation/audit.csv").status_code == status


def test_the_audit_export_lists_every_change(client, db, login_as, match):
    order, cnc = match
    proposal = proposed(client, db, login_as, order, cnc, title='=HYPERLINK("x")')
    act(db, proposal, cnc.organization.members[0], "decline", comment="名额已满")
    login_as(Role.COORDINATOR)
    response = client.get("/cooperation/audit.csv")
    text = response.data.decode("utf-8-sig")
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert "propose" in text and "decline" in text and "名额已满" in text
    assert "'=HYPERLINK" in text  # a formula stays text in Excel


def test_a_member_of_the_other_side_proposes_directly_from_a_posting(client, db, login_as,
                                                                     match):
    order, cnc = match
    staff = login_as(cnc.organization.members[0])
    page = client.get(f"/postings/{order.id}").get_data(as_text=True)
    assert f"/cooperation/new?partner={order.organization_id}" in page
    response = client.post(
        f"/cooperation/new?partner={order.organization_id}&kind=talent_pipeline",
        data={"title": "人才输送", "positions": "CNC操机员", "headcount": "8",
              "period": "2027 年暑期", "supervision": "企业师傅带教",
              "start_date": "2027-07-01", "end_date": "2027-08-31", "signing_place": "上海市"})
    assert response.status_code == 302
    proposal = db.scalar(select(Proposal))
    assert proposal.proposer_org_id == staff.organization_id
    assert proposal.partner_org_id == order.organization_id
    assert proposal.demand_posting_id is None  # not from a match


def test_no_direct_proposal_link_for_the_same_side_or_unverified(client, db, login_as, match):
    order, cnc = match
    login_as(Role.ENTERPRISE_HR)  # another enterprise
    assert "/cooperation/new?partner=" not in client.get(f"/postings/{order.id}").get_data(
        as_text=True)
    login_as(Role.UNIVERSITY_STAFF, verified=False)
    assert "/cooperation/new?partner=" not in client.get(f"/postings/{order.id}").get_data(
        as_text=True)
    assert client.get("/cooperation/new?partner=999999").status_code == 404


def test_the_receiving_side_sees_the_proposers_note_on_the_first_version(client, db,
                                                                         login_as, match):
    order, cnc = match
    proposal = proposed(client, db, login_as, order, cnc, note="请于下周前答复，我们可来校面谈。")
    assert len(proposal.versions) == 1
    login_as(cnc.organization.members[0])
    page = client.get(f"/cooperation/{proposal.id}").get_data(as_text=True)
    assert "给对方的说明" in page and "请于下周前答复，我们可来校面谈。" in page


def test_one_clock_on_a_page_and_in_the_export(client, db, login_as, match):
    """Versions, messages and the audit trail all in the city's time zone, named
    (issue 13, defect 6)."""
    from datetime import UTC, datetime

    order, cnc = match
    proposal = proposed(client, db, login_as, order, cnc)
    moment = datetime(2026, 5, 1, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai
    for row in (*proposal.versions, *proposal.events):
        row.created_at = moment
    act(db, proposal, cnc.organization.members[0], "counter",
        terms={**proposal.terms, "cohort_size": 25})
    for row in (*proposal.versions, *proposal.events):
        row.created_at = moment
    db.commit()
    page = client.get(f"/cooperation/{proposal.id}").get_data(as_text=True)
    assert page.count("10:30") >= 4 and "02:30" not in page  # 2 versions, 2 events
    assert "时间均为中国时间" in page
    login_as(Role.COORDINATOR)
    export = client.get("/cooperation/audit.csv").data.decode("utf-8-sig")
    assert "2026-05-01 10:30:00" in export and "02:30" not in export
    assert "时间（中国时间）" in export


def test_the_awaited_side_declines_it_does_not_withdraw(client, db, login_as, match):
    order, cnc = match
    proposal = proposed(client, db, login_as, order, cnc)
    page = client.get(f"/cooperation/{proposal.id}").get_data(as_text=True)
    assert "action-withdraw" in page and "action-decline" not in page  # the offering side
    login_as(cnc.organization.members[0])
    page = client.get(f"/cooperation/{proposal.id}").get_data(as_text=True)
    assert "action-decline" in page and "action-withdraw" not in page  # the awaited side
    act(db, proposal, cnc.organization.members[0], "counter",
        terms={**proposal.terms, "cohort_size": 25})
    db.commit()
    page = client.get(f"/cooperation/{proposal.id}").get_data(as_text=True)
    assert "等待对方答复 → 等待对方答复" not in page  # a counter changes no state


def test_a_coordinator_cannot_open_the_counter_form(client, db, login_as, match):
    order, cnc = match
    proposal = proposed(client, db, login_as, order, cnc)
    assert client.get(f"/cooperation/{proposal.id}/counter").status_code == 403  # not awaited
    login_as(Role.COORDINATOR)
    assert client.get(f"/cooperation/{proposal.id}/counter").status_code == 403
    login_as(cnc.organization.members[0])
    assert client.get(f"/cooperation/{proposal.id}/counter").status_code == 200


def test_terminating_needs_a_confirmation(client, db, login_as, match):
    order, cnc = match
    hr = login_as(order.organization.members[0])
    client.post(f"/cooperation/new?demand={order.id}&supply={cnc.id}", data=form())
    proposal = db.scalar(select(Proposal))
    act(db, proposal, cnc.organization.members[0], "accept")
    from tests import factories
    act(db, proposal, factories.coordinator(db), "approve")
    db.commit()
    login_as(hr)
    page = client.get(f"/cooperation/{proposal.id}").get_data(as_text=True)
    assert 'class="danger-zone"' in page and 'name="confirm"' in page
    client.post(f"/cooperation/{proposal.id}/act/terminate",
                data={"comment": "企业搬迁", "version": proposal.version})
    db.refresh(proposal)
    assert proposal.status is S.ACTIVE  # not without the confirmation
    client.post(f"/cooperation/{proposal.id}/act/terminate",
                data={"comment": "企业搬迁", "version": proposal.version, "confirm": "yes"})
    db.refresh(proposal)
    assert proposal.status is S.TERMINATED


def test_a_proposal_form_never_names_an_organisation_awaiting_review(client, db, login_as):
    """Issue 14: /cooperation/new?partner=<id> showed a pending organisation's name."""
    pending = factories.organization(db, OrgKind.UNIVERSITY, verified=False)
    same_side = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    db.commit()
    login_as(Role.ENTERPRISE_HR)
    for org in (pending, same_side):
        response = client.get(f"/cooperation/new?partner={org.id}")
        assert response.status_code == 404
        assert org.name not in response.get_data(as_text=True)


def test_a_long_thread_shows_its_latest_messages_and_links_to_the_earlier(
        client, db, login_as, match, app):
    """A page of the thread at a time (MESSAGES_SHOWN), and sending a message does not
    read the thread: both stay the same cost however long the conversation grows."""
    from sqlalchemy import event

    from portal.cooperation.models import ProposalMessage
    from portal.cooperation.services import MESSAGES_SHOWN
    from portal.db import state

    proposal = proposed(client, db, login_as, *match)
    author = proposal.proposer.members[0]
    db.add_all([ProposalMessage(proposal_id=proposal.id, author_id=author.id,
                                body=f"第{n}条留言") for n in range(1, MESSAGES_SHOWN + 6)])
    db.commit()

    page = client.get(f"/cooperation/{proposal.id}").get_data(as_text=True)
    assert f"第{MESSAGES_SHOWN + 5}条留言" in page and "第6条留言" in page
    assert "第5条留言" not in page and "最新留言" not in page
    earlier = re.search(r'href="([^"]+before=\d+[^"]*)">更早的留言', page).group(1)
    older = client.get(earlier.replace("&amp;", "&")).get_data(as_text=True)
    assert "第1条留言" in older and "第5条留言" in older and "第6条留言" not in older
    assert "更早的留言" not in older and "最新留言" in older

    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(state(app).engine, "before_cursor_execute", listener)
    try:
        response = client.post(f"/cooperation/{proposal.id}/messages", data={"body": "收到"})
    finally:
        event.remove(state(app).engine, "before_cursor_execute", listener)
    assert response.status_code == 302
    assert not [s for s in statements if s.lstrip().upper().startswith("SELECT")
                and "FROM proposal_messages" in s]
