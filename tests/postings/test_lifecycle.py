"""Draft → published → closed, expiry, history, and who may do what."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import OrgKind
from portal.errors import ConflictError, DomainError, PermissionDenied, WorkflowError
from portal.postings import services
from portal.postings.models import Posting, PostingKind, PostingSkill, PostingStatus
from tests import factories

FIELDS = {
    PostingKind.TALENT_DEMAND: dict(title="CNC操机员", description="负责数控机床操作与首件检验" * 3,
                                    skills="CNC编程、机械制图", headcount=5),
    PostingKind.TRAINING_ORDER: dict(title="运维订单班", description="培养产线运维人员" * 5,
                                     skills="PLC", major="机电一体化技术", headcount=30,
                                     hire_count=20),
    PostingKind.RESEARCH_TOPIC: dict(title="缺陷检测", description="压铸件缺陷依靠人工目检" * 3,
                                     skills="机器视觉", budget=500000,
                                     details={"goals": "漏检率低于0.5%"}),
    PostingKind.CURRICULUM: dict(title="数控技术专业", description="培养数控编程与操作人才" * 3,
                                 major="数控技术", courses="数控机床编程与操作、机械制图",
                                 skills="CNC", capacity=120),
    PostingKind.MENTOR_OFFER: dict(title="机器视觉团队", description="长期从事工业视觉检测研究" * 3,
                                   skills="机器视觉、深度学习", capacity=4,
                                   details={"offers": ["joint_rd"]}),
}


@pytest.mark.parametrize("kind", list(PostingKind))
def test_every_kind_goes_from_draft_to_published_to_closed_and_back(db, kind):
    org = factories.organization(db, kind.side, verified=True)
    author = org.members[0]
    posting = services.create_posting(db, org, author, kind, FIELDS[kind])
    assert posting.status is PostingStatus.DRAFT and posting.published_at is None
    services.publish_posting(db, posting, author)
    assert posting.status is PostingStatus.PUBLISHED and posting.published_at is not None
    services.close_posting(db, posting, author)
    assert posting.status is PostingStatus.CLOSED and posting.closed_at is not None
    services.publish_posting(db, posting, author)
    assert posting.status is PostingStatus.PUBLISHED
    assert [r.action for r in reversed(posting.revisions)] == [
        "created", "published", "closed", "published"]


def test_skills_are_kept_as_written_and_as_normalised_tags(db):
    posting = factories.posting(db, skills="ＰＬＣ编程；电气图纸、 Python ,PLC编程")
    assert posting.skills == ["PLC编程", "电气图纸", "Python"]
    db.flush()
    tags = db.scalars(select(PostingSkill.tag).where(PostingSkill.posting_id == posting.id))
    assert sorted(tags) == ["plc编程", "python", "电气图纸"]


@pytest.mark.parametrize("verified", [False])
def test_pending_organisation_may_draft_but_not_publish(db, verified):
    org = factories.organization(db, verified=verified)
    posting = services.create_posting(db, org, org.members[0], PostingKind.TALENT_DEMAND,
                                      FIELDS[PostingKind.TALENT_DEMAND])
    with pytest.raises(PermissionDenied):
        services.publish_posting(db, posting, org.members[0])
    assert posting.status is PostingStatus.DRAFT


def test_the_other_side_cannot_post_this_kind(db):
    university = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    with pytest.raises(PermissionDenied):
        services.create_posting(db, university, university.members[0],
                                PostingKind.TALENT_DEMAND, FIELDS[PostingKind.TALENT_DEMAND])


def test_members_of_other_organisations_cannot_change_it(db):
    posting = factories.posting(db)
    outsider = factories.member(db)
    for action in (services.close_posting, services.publish_posting, services.delete_draft):
        with pytest.raises(PermissionDenied):
            action(db, posting, outsider)
    with pytest.raises(PermissionDenied):
        services.update_posting(db, posting, outsider, {"title": "改掉"})
    coordinator = factories.coordinator(db)
    with pytest.raises(PermissionDenied):
        services.update_posting(db, posting, coordinator, {"title": "改掉"})


def test_illegal_transitions_are_refused(db):
    posting = factories.posting(db, publish=False)
    author = posting.organization.members[0]
    with pytest.raises(WorkflowError):
        services.close_posting(db, posting, author)
    services.publish_posting(db, posting, author)
    with pytest.raises(WorkflowError):
        services.publish_posting(db, posting, author)
    with pytest.raises(WorkflowError):
        services.delete_draft(db, posting, author)


def test_drafts_can_be_deleted(db):
    posting = factories.posting(db, publish=False)
    posting_id = posting.id
    services.delete_draft(db, posting, posting.organization.members[0])
    assert db.get(Posting, posting_id) is None


def test_published_posting_expires_after_its_deadline(db):
    posting = factories.posting(db, deadline=date.today() + timedelta(days=3))
    today = date.today()
    later = today + timedelta(days=4)
    assert posting.effective_status(today) is PostingStatus.PUBLISHED
    assert posting.effective_status(later) is PostingStatus.EXPIRED
    live = db.scalars(select(Posting.id).where(Posting.is_live_on(later))).all()
    assert posting.id not in live
    assert services.expire_due_postings(db, later) == 1
    db.refresh(posting)
    assert posting.status is PostingStatus.EXPIRED
    assert services.expire_due_postings(db, later) == 0


def test_expired_posting_publishes_again_only_with_a_new_deadline(db):
    posting = factories.posting(db, deadline=date.today() + timedelta(days=1))
    author = posting.organization.members[0]
    later = date.today() + timedelta(days=5)
    with pytest.raises(DomainError) as refused:
        services.publish_posting(db, posting, author, today=later)
    assert refused.value.field == "deadline"
    # Before the nightly job, a later deadline makes it live again at once.
    services.update_posting(db, posting, author, {"deadline": later + timedelta(days=30)})
    assert posting.effective_status(later) is PostingStatus.PUBLISHED
    # Once marked expired, it takes publishing again.
    services.update_posting(db, posting, author, {"deadline": date.today()})
    services.expire_due_postings(db, later)
    db.refresh(posting)
    assert posting.status is PostingStatus.EXPIRED
    services.update_posting(db, posting, author, {"deadline": later + timedelta(days=30)})
    assert posting.effective_status(later) is PostingStatus.EXPIRED
    services.publish_posting(db, posting, author, today=later)
    assert posting.effective_status(later) is PostingStatus.PUBLISHED


def test_edits_of_a_published_posting_keep_their_history(db):
    posting = factories.posting(db, headcount=3)
    author = posting.organization.members[0]
    changes = services.update_posting(db, posting, author,
                                      {"headcount": 5, "title": posting.title, "skills": "PLC"})
    assert changes == {"headcount": [3, 5], "skills": [["PLC编程", "电气图纸"], ["PLC"]]}
    revision = posting.revisions[0]
    assert revision.action == "edited" and revision.actor is author
    assert revision.changes == changes
    assert services.update_posting(db, posting, author, {"headcount": 5}) == {}


def test_status_and_owner_never_come_from_input(db):
    posting = factories.posting(db, publish=False)
    other = factories.organization(db, verified=True)
    services.update_posting(db, posting, posting.organization.members[0], {
        "status": PostingStatus.PUBLISHED, "organization_id": other.id, "is_flagged": True,
        "published_at": None, "title": "新标题"})
    assert posting.status is PostingStatus.DRAFT and posting.organization_id != other.id
    assert posting.title == "新标题"


def test_stale_edit_is_refused(db):
    posting = factories.posting(db)
    author = posting.organization.members[0]
    seen = posting.version
    services.update_posting(db, posting, author, {"headcount": 9}, expected_version=seen)
    with pytest.raises(ConflictError):
        services.update_posting(db, posting, author, {"headcount": 1}, expected_version=seen)


def test_discriminatory_posting_is_flagged_but_publishes(db):
    posting = factories.posting(db, description="招聘质检员，限男性，35岁以下，本地户口优先。" * 2)
    assert posting.status is PostingStatus.PUBLISHED
    assert posting.is_flagged
    assert {"gender", "age_limit", "hukou"} <= set(posting.diagnosis)


def test_database_refuses_impossible_numbers(db):
    from sqlalchemy.exc import IntegrityError

    posting = factories.posting(db)
    posting.salary_min, posting.salary_max = 9000, 5000
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()


def test_detail_pages_name_fields_plainly(client, db, login_as):
    """Not the form's instructions (issue 13, defect 8)."""
    from portal.postings.models import PostingKind

    order = factories.posting(db, PostingKind.TRAINING_ORDER, title="数控订单班", headcount=30)
    order.details = {**(order.details or {}), "start_term": "2027年秋季"}
    demand = factories.posting(db, PostingKind.TALENT_DEMAND, title="电工", salary_min=6000)
    db.commit()
    login_as(order.organization.members[0])
    page = client.get(f"/postings/{order.id}").get_data(as_text=True)
    assert "<dt>开班学期</dt>" in page and "例如" not in page
    page = client.get(f"/postings/{demand.id}").get_data(as_text=True)
    assert "<dt>月薪下限（元）</dt>" in page and "选填" not in page


def test_the_history_names_changed_fields_in_the_readers_language(client, db, login_as):
    """The labels are kept per kind and language (postings.display.field_labels)."""
    from portal.postings.models import PostingRevision

    demand = factories.posting(db, title="电工")
    db.add(PostingRevision(posting_id=demand.id, action="edited",
                           changes={"deadline": ["2027-01-01", "2027-02-01"]}))
    db.commit()
    login_as(demand.organization.members[0])
    assert "(截止日期)" in client.get(f"/postings/{demand.id}").get_data(as_text=True)
    client.post("/language", data={"language": "en"})
    assert "(Open until)" in client.get(f"/postings/{demand.id}").get_data(as_text=True)
    client.post("/language", data={"language": "zh"})
    assert "(截止日期)" in client.get(f"/postings/{demand.id}").get_data(as_text=True)
