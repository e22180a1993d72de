"""Coordinators verify or return organisations; applicants correct and resubmit."""
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal.accounts import services
from portal.accounts.models import Organization, OrgStatus, ReviewDecision, Role
from portal.db import state as db_state
from portal.errors import ConflictError, PermissionDenied, WorkflowError
from tests import factories


@pytest.fixture
def pending(db):
    user = factories.member(db, verified=False)
    db.commit()
    return user.organization


def decide(client, org, decision, reason="", version=None):
    return client.post(f"/review/organizations/{org.id}", data={
        "decision": decision, "reason": reason,
        "version": org.version if version is None else version})


def test_queue_lists_pending_organisations_oldest_first(client, db, login_as):
    first = factories.organization(db)
    second = factories.organization(db)
    factories.organization(db, verified=True)
    db.commit()
    login_as(Role.COORDINATOR)
    page = client.get("/review/organizations").get_data(as_text=True)
    assert page.index(first.name) < page.index(second.name)
    verified_page = client.get("/review/organizations?status=verified").get_data(as_text=True)
    assert first.name not in verified_page
    assert client.get("/review/organizations?status=bogus").status_code == 404


def test_coordinator_verifies(client, db, login_as, pending):
    coordinator = login_as(Role.COORDINATOR)
    response = decide(client, pending, "verify")
    assert response.status_code == 302
    org = db.get(Organization, pending.id)
    assert org.status is OrgStatus.VERIFIED and org.verified_by_id == coordinator.id
    assert org.verified_at is not None and org.can_publish
    assert [r.decision for r in org.reviews][0] is ReviewDecision.VERIFIED


def test_return_needs_a_reason_and_saves_nothing_without_one(client, db, login_as, pending):
    login_as(Role.COORDINATOR)
    response = decide(client, pending, "reject", reason="   ")
    assert "请填写退回原因" in response.get_data(as_text=True)
    assert db.get(Organization, pending.id).status is OrgStatus.PENDING


def test_returned_applicant_sees_reason_corrects_and_resubmits(app, client, db, login_as, pending):
    login_as(Role.COORDINATOR)
    decide(client, pending, "reject", reason="信用代码与营业执照不一致，请核对。")
    applicant = app.test_client()
    login_as_member = pending.members[0]
    with applicant.session_transaction() as session:
        session["_user_id"] = factories.sign_in_token(db, login_as_member)
    page = applicant.get("/organization/").get_data(as_text=True)
    assert "已退回修改" in page and "信用代码与营业执照不一致，请核对。" in page

    new_code = factories.valid_credit_code(999_001)
    response = applicant.post("/organization/", data={
        "name": "上海更正后的企业有限公司", "credit_code": new_code, "size": "medium",
        "district": "嘉定区"})
    assert response.status_code == 302
    org = db.get(Organization, pending.id)
    assert org.status is OrgStatus.PENDING and org.name == "上海更正后的企业有限公司"
    assert org.credit_code == new_code
    assert [r.decision for r in org.reviews][:2] == [ReviewDecision.SUBMITTED,
                                                     ReviewDecision.REJECTED]


def test_verified_organisation_cannot_change_its_identity(client, db, login_as):
    user = factories.member(db, verified=True)
    db.commit()
    name, code = user.organization.name, user.organization.credit_code
    login_as(user)
    response = client.post("/organization/", data={
        "name": "改名有限公司", "credit_code": factories.valid_credit_code(999_002),
        "size": "large", "district": "宝山区", "address": "新地址"})
    assert response.status_code == 302
    org = db.get(Organization, user.organization_id)
    assert (org.name, org.credit_code) == (name, code)
    assert (org.size.value, org.district, org.address) == ("large", "宝山区", "新地址")
    assert org.status is OrgStatus.VERIFIED


def test_a_second_decision_on_the_same_organisation_is_refused(client, db, login_as, pending):
    login_as(Role.COORDINATOR)
    version = pending.version
    decide(client, pending, "verify", version=version)
    # The same form submitted again (double click, back button): no second decision.
    response = decide(client, pending, "reject", reason="重复提交", version=version)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "已被他人修改" in page or "不在待审核状态" in page
    org = db.get(Organization, pending.id)
    assert org.status is OrgStatus.VERIFIED
    assert [r.decision for r in org.reviews].count(ReviewDecision.VERIFIED) == 1
    assert ReviewDecision.REJECTED not in [r.decision for r in org.reviews]


def test_service_refuses_outdated_version_and_wrong_state(db, pending):
    coordinator = factories.coordinator(db)
    with pytest.raises(ConflictError):
        services.verify_organization(db, pending, coordinator, expected_version=pending.version - 1)
    services.verify_organization(db, pending, coordinator)
    with pytest.raises(WorkflowError):
        services.reject_organization(db, pending, coordinator, "太晚了")


def test_only_coordinators_review(db, pending):
    outsider = factories.member(db)
    with pytest.raises(PermissionDenied):
        services.verify_organization(db, pending, outsider)


def test_two_coordinators_deciding_at_once_produce_one_decision(app, db, pending):
    """Both saw version v on their page and submit at the same moment: exactly one wins.

    Each decision runs as a request does (a write session). On SQLite the second waits for
    the first's lock and then finds a newer version; on PostgreSQL both run at once and
    the version-checked UPDATE lets only one through.
    """
    first, second = factories.coordinator(db), factories.coordinator(db)
    db.commit()
    version_seen = pending.version
    app_state = db_state(app)
    outcomes: list[str] = []
    start = threading.Barrier(2, timeout=10)

    def decide_in_own_session(coordinator_id: int, verify: bool) -> None:
        start.wait()
        with app.app_context(), app_state.session_factory(bind=app_state.write_engine) as session:
            org = session.get(Organization, pending.id)
            coordinator = session.get(type(first), coordinator_id)
            try:
                if verify:
                    services.verify_organization(session, org, coordinator, version_seen)
                else:
                    services.reject_organization(session, org, coordinator, "资料不全",
                                                 version_seen)
                session.commit()
                outcomes.append("decided")
            except (StaleDataError, WorkflowError, ConflictError) as error:
                session.rollback()
                outcomes.append(f"refused: {type(error).__name__}")

    threads = [threading.Thread(target=decide_in_own_session, args=(first.id, True)),
               threading.Thread(target=decide_in_own_session, args=(second.id, False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(o.split(":")[0] for o in outcomes) == ["decided", "refused"], outcomes
    db.rollback()  # leave the snapshot taken before the threads ran
    db.expire_all()
    org = db.get(Organization, pending.id)
    decisions = [r.decision for r in org.reviews if r.decision is not ReviewDecision.SUBMITTED]
    assert len(decisions) == 1
    assert org.status is (OrgStatus.VERIFIED if decisions[0] is ReviewDecision.VERIFIED
                          else OrgStatus.REJECTED)


def test_review_history_is_listed(client, db, login_as, pending):
    login_as(Role.COORDINATOR)
    page = client.get(f"/review/organizations/{pending.id}").get_data(as_text=True)
    assert "已提交审核" in page and pending.members[0].email in page


def test_unknown_organisation_is_not_found(client, login_as):
    login_as(Role.COORDINATOR)
    assert client.get("/review/organizations/999999").status_code == 404


def test_pending_organisation_in_the_coordinators_queue(client, db, login_as, pending):
    login_as(Role.COORDINATOR)
    page = client.get("/").get_data(as_text=True)
    queue = page[page.index('id="orgs-title"'):]
    assert "待审核机构" in queue and pending.name in queue
    assert db.scalar(select(Organization.status)) is OrgStatus.PENDING


@pytest.mark.parametrize("decision, reason, wording", [
    ("verify", "", "已通过城市协调员审核"),
    ("reject", "信用代码与营业执照不一致，请核对。", "信用代码与营业执照不一致，请核对。"),
])
def test_the_organisation_is_told_of_the_decision(client, db, login_as, pending, caplog,
                                                  decision, reason, wording):
    """Inbox and e-mail for every member (issue 13, defect 5)."""
    applicant = pending.members[0]
    login_as(Role.COORDINATOR)
    with caplog.at_level("INFO", logger="portal.notifications.services"):
        decide(client, pending, decision, reason=reason)
    login_as(applicant)
    inbox = client.get("/inbox/").get_data(as_text=True)
    assert wording in inbox and pending.name in inbox
    assert any(applicant.email in r.message and wording in r.message for r in caplog.records)
