"""Our matches, and dismissing a recommendation with a reason."""
import pytest
from sqlalchemy import func, select

from portal.accounts.models import OrgKind, Role
from portal.errors import DomainError, PermissionDenied
from portal.matching.feedback import dismiss
from portal.matching.models import MatchDismissal
from portal.matching.store import recommendations
from tests import factories


def count(db):
    return db.scalar(select(func.count()).select_from(MatchDismissal))


def test_our_matches_lists_each_posting_with_its_best_fits(client, db, login_as):
    order, cnc, data = factories.market(db)
    login_as(order.organization.members[0])
    page = client.get("/matching/mine").get_data(as_text=True)
    assert "数控加工订单班" in page and "数控技术专业" in page and "不合适？" in page


def test_dismissed_match_is_not_recommended_again_and_the_reason_is_kept(client, db, login_as):
    order, cnc, data = factories.market(db)
    author = login_as(order.organization.members[0])
    response = client.post(f"/matching/postings/{order.id}/dismiss/{cnc.id}",
                           data={"reason": "需要五轴方向，该专业没有"})
    assert response.status_code == 302
    saved = db.scalar(select(MatchDismissal))
    assert (saved.reason, saved.dismissed_by_id) == ("需要五轴方向，该专业没有", author.id)
    assert cnc.id not in [r.posting.id for r in recommendations(db, order)]
    client.post(f"/matching/postings/{order.id}/dismiss/{cnc.id}", data={"reason": "再点一次"})
    assert count(db) == 1  # a double click dismisses once


def test_a_reason_is_required(client, db, login_as):
    order, cnc, data = factories.market(db)
    login_as(order.organization.members[0])
    response = client.post(f"/matching/postings/{order.id}/dismiss/{cnc.id}",
                           data={"reason": "  "}, follow_redirects=True)
    assert "此项为必填项" in response.get_data(as_text=True)
    assert count(db) == 0


def test_only_the_owners_dismiss(client, db, login_as):
    order, cnc, data = factories.market(db)
    with pytest.raises(PermissionDenied):
        dismiss(db, order, cnc, factories.member(db), "不合适")
    login_as(Role.ENTERPRISE_HR)  # another enterprise
    assert client.post(f"/matching/postings/{order.id}/dismiss/{cnc.id}",
                       data={"reason": "x"}).status_code == 403
    login_as(Role.COORDINATOR)
    assert client.post(f"/matching/postings/{order.id}/dismiss/{cnc.id}",
                       data={"reason": "x"}).status_code == 403
    assert count(db) == 0


def test_drafts_of_others_cannot_be_named(client, db, login_as):
    order, cnc, data = factories.market(db)
    hidden = factories.posting(db, factories.PostingKind.CURRICULUM, org=cnc.organization,
                               title="未发布专业", publish=False)
    db.commit()
    login_as(order.organization.members[0])
    assert client.post(f"/matching/postings/{order.id}/dismiss/{hidden.id}",
                       data={"reason": "x"}).status_code == 404
    with pytest.raises(DomainError):
        dismiss(db, order, hidden, order.organization.members[0], "x")


@pytest.mark.parametrize("role, status", [
    (None, 302), (Role.ENTERPRISE_HR, 200), (Role.UNIVERSITY_STAFF, 200), (Role.COORDINATOR, 403),
])
def test_our_matches_permissions(client, login_as, role, status):
    if role:
        login_as(role)
    assert client.get("/matching/mine").status_code == status


def test_university_side_sees_enterprise_needs(client, db, login_as):
    order, cnc, data = factories.market(db)
    login_as(cnc.organization.members[0])
    page = client.get("/matching/mine").get_data(as_text=True)
    assert "数控加工订单班" in page
    assert db.scalar(select(func.count()).select_from(MatchDismissal)) == 0
    assert cnc.organization.kind is OrgKind.UNIVERSITY
