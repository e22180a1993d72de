"""The workbench after sign-in (issue 16): each role sees what awaits it, with links to
where it is done; a coordinator's queues, oldest first, and verifying several at once."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.accounts.models import (
    Organization,
    OrganizationReview,
    OrgKind,
    OrgStatus,
    ReviewDecision,
)
from portal.agreements.models import Agreement
from portal.agreements.scans import upload_scan
from portal.cooperation.models import CooperationKind
from portal.cooperation.services import propose
from portal.db import utcnow
from portal.demo_cooperation import TERMS
from portal.postings.models import PostingKind
from portal.storage import read_checked
from tests import factories


def page_of(client, path: str = "/") -> str:  # noqa: ANN001
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def section(page: str, title_id: str) -> str:
    """The HTML of one workbench section, from its heading to the next section."""
    start = page.index(f'id="{title_id}"')
    end = page.find("<section", start)
    return page[start:end if end > 0 else None]


def test_an_empty_workbench_says_what_to_do_first(client, db, login_as):
    login_as(factories.member(db, OrgKind.ENTERPRISE))
    page = page_of(client)
    assert "<h1>工作台</h1>" in page and "暂无待办" in page
    assert 'href="/postings/new/talent_demand">发布第一条人才需求' in page
    login_as(factories.member(db, OrgKind.UNIVERSITY))
    assert 'href="/postings/new/curriculum">发布第一个专业与课程' in page_of(client)


def test_a_proposal_awaits_the_side_that_must_answer(client, db, login_as):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    staff = factories.member(db, OrgKind.UNIVERSITY)
    proposal = propose(db, hr, staff.organization, CooperationKind.ORDER_TRAINING,
                       "数控订单班", TERMS[CooperationKind.ORDER_TRAINING])
    db.commit()
    login_as(staff)
    todo = section(page_of(client), "todo-title")
    assert f'href="/cooperation/{proposal.id}">数控订单班</a>' in todo and "等待您答复" in todo
    login_as(hr)
    assert "数控订单班" not in section(page_of(client), "todo-title")


def test_an_agreement_awaits_each_party_until_it_uploads_its_scan(client, db, login_as):
    proposal = factories.partnership(db)
    db.commit()  # the agreement is issued after the commit
    hr, staff = proposal.proposer.members[0], proposal.partner.members[0]
    agreement = db.scalar(select(Agreement).where(Agreement.proposal_id == proposal.id))
    for member in (hr, staff):
        login_as(member)
        assert agreement.number in section(page_of(client), "todo-title")
    upload_scan(db, agreement, staff, read_checked(agreement.stored_name, agreement.sha256),
                "盖章页.pdf")
    db.commit()
    assert agreement.number not in section(page_of(client), "todo-title")  # staff's side
    login_as(hr)
    assert agreement.number in section(page_of(client), "todo-title")


def test_a_dual_mentor_partnership_asks_the_university_for_its_certificate(client, db,
                                                                          login_as):
    proposal = factories.partnership(db, CooperationKind.DUAL_MENTOR, title="双导师合作")
    db.commit()
    login_as(proposal.partner.members[0])
    todo = section(page_of(client), "todo-title")
    assert f"/cooperation/{proposal.id}/certificates/new" in todo
    login_as(proposal.proposer.members[0])  # the enterprise does not file them
    assert "/certificates/new" not in section(page_of(client), "todo-title")


def test_new_matches_with_propose_and_not_a_fit_until_acted_on(client, db, login_as):
    order, cnc, data = factories.market(db)
    db.commit()
    login_as(order.organization.members[0])
    matches = section(page_of(client), "matches-title")
    assert "数控技术专业" in matches and "badge-new" in matches
    assert f"/cooperation/new?demand={order.id}&amp;supply={cnc.id}" in matches
    # Seen once, the match stays (it is still a to-do) but is no longer new.
    assert 'badge-new' not in section(page_of(client), "matches-title")
    # "Not a fit" from the workbench comes back to it, and the match is gone.
    response = client.post(f"/matching/postings/{order.id}/dismiss/{cnc.id}",
                           data={"reason": "不是我们要的方向", "next": "/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    assert "数控技术专业" not in section(page_of(client), "matches-title")


def test_drafts_and_postings_closing_soon(client, db, login_as):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    factories.posting(db, PostingKind.TALENT_DEMAND, org=hr.organization, title="草稿岗位",
                      publish=False)
    factories.posting(db, PostingKind.TALENT_DEMAND, org=hr.organization, title="即将截止",
                      deadline=date.today() + timedelta(days=3))
    factories.posting(db, PostingKind.TALENT_DEMAND, org=hr.organization, title="远期岗位",
                      deadline=date.today() + timedelta(days=60))
    db.commit()
    login_as(hr)
    page = page_of(client)
    assert "草稿岗位" in section(page, "drafts-title")
    closing = section(page, "expiring-title")
    assert "即将截止" in closing and "远期岗位" not in closing
    assert '<span class="stat-number">2</span>' in page  # two published


def test_the_coordinators_queues_oldest_first_with_their_ages(client, db, login_as):
    older = factories.organization(db, OrgKind.ENTERPRISE)
    newer = factories.organization(db, OrgKind.UNIVERSITY)
    older.submitted_at = utcnow() - timedelta(days=9)
    newer.submitted_at = utcnow() - timedelta(days=1)
    db.commit()
    login_as("coordinator")
    queue = section(page_of(client), "orgs-title")
    assert queue.index(older.name) < queue.index(newer.name)
    assert "已等待 9 天" in queue and "age-old" in queue


def test_several_organisations_verified_at_once_each_audited(client, db, login_as):
    first = factories.organization(db, OrgKind.ENTERPRISE)
    second = factories.organization(db, OrgKind.UNIVERSITY)
    stale = factories.organization(db, OrgKind.ENTERPRISE)
    db.commit()
    login_as("coordinator")
    listing = page_of(client, "/review/organizations?status=pending")
    assert f'value="{first.id}:{first.version}"' in listing
    picks = [f"{first.id}:{first.version}", f"{second.id}:{second.version}",
             f"{stale.id}:{stale.version + 1}", "x:y", "999999:1"]
    response = client.post("/review/organizations/verify", data={"org": picks},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已审核通过 2 家机构" in page and f"{stale.name} 未通过" in page
    db.expire_all()
    assert [db.get(Organization, o.id).status for o in (first, second, stale)] == [
        OrgStatus.VERIFIED, OrgStatus.VERIFIED, OrgStatus.PENDING]
    reviewed = set(db.scalars(select(OrganizationReview.organization_id).where(
        OrganizationReview.decision == ReviewDecision.VERIFIED)))
    assert {first.id, second.id} <= reviewed and stale.id not in reviewed


def test_verifying_none_says_so_and_only_coordinators_may(client, db, login_as):
    login_as("coordinator")
    page = client.post("/review/organizations/verify", data={}, follow_redirects=True)
    assert "请先勾选要通过审核的机构" in page.get_data(as_text=True)
    org = factories.organization(db, OrgKind.ENTERPRISE)
    db.commit()
    login_as(factories.member(db, OrgKind.ENTERPRISE))
    refused = client.post("/review/organizations/verify", data={"org": f"{org.id}:{org.version}"})
    assert refused.status_code == 403
    assert db.get(Organization, org.id).status is OrgStatus.PENDING


def test_the_workbench_speaks_english(client, db, login_as):
    login_as(factories.member(db, OrgKind.ENTERPRISE))
    client.post("/language", data={"language": "en"})
    page = page_of(client)
    assert "Workbench" in page and "Publish your first talent demand" in page
