"""Each posting's page recommends the other side, in both directions, explained."""
import re

from portal.accounts.models import Role
from portal.matching.store import recommendations
from portal.postings.models import PostingKind
from portal.postings.services import close_posting
from tests import factories


def test_a_demand_is_recommended_the_right_programme(db):
    order, cnc, data = factories.market(db)
    recs = recommendations(db, order)
    assert [r.posting.id for r in recs][0] == cnc.id
    matched = {concept: (said, offered) for concept, said, offered in recs[0].match.matched}
    said, offered = matched["cnc"]
    assert said and offered  # the words on each side that made the match


def test_a_programme_is_recommended_the_demands_it_fits(db):
    order, cnc, data = factories.market(db)
    assert [r.posting.id for r in recommendations(db, cnc)] == [order.id]


def test_closed_drafts_and_incompatible_kinds_are_never_recommended(db):
    order, cnc, data = factories.market(db)
    close_posting(db, data, data.organization.members[0])
    factories.posting(db, PostingKind.CURRICULUM, org=cnc.organization, title="数控草稿专业",
                      major="数控技术", publish=False)
    factories.posting(db, PostingKind.MENTOR_OFFER, org=cnc.organization, title="数控导师团队",
                      skills="CNC")
    assert [r.posting.id for r in recommendations(db, order)] == [cnc.id]


def test_page_shows_why_a_match_is_recommended(client, db, login_as):
    order, cnc, data = factories.market(db)
    login_as(Role.UNIVERSITY_STAFF)
    page = client.get(f"/postings/{cnc.id}").get_data(as_text=True)
    assert "推荐的企业需求" in page and "为什么推荐" in page
    assert "数控加工订单班" in page
    assert re.search(r'<meter class="score-bar"[^>]*value="\d', page)


def test_a_draft_shows_its_matches_to_its_authors_only(client, db, login_as):
    order, cnc, data = factories.market(db)
    draft = factories.posting(db, PostingKind.TALENT_DEMAND, org=order.organization,
                              title="CNC技术员", skills="CNC编程", publish=False)
    db.commit()
    login_as(order.organization.members[0])
    assert "推荐的专业与导师" in client.get(f"/postings/{draft.id}").get_data(as_text=True)
    login_as(Role.COORDINATOR)
    assert "推荐的专业与导师" not in client.get(f"/postings/{draft.id}").get_data(as_text=True)


def test_weak_matches_are_not_recommended(db):
    order, cnc, data = factories.market(db)
    recs = recommendations(db, order)
    assert data.id not in [r.posting.id for r in recs]  # data science scores near zero
    assert all(r.match.score >= 15 for r in recs)


def test_proposals_are_offered_from_live_postings_only(db):
    """The rule the proposal links use: the effective status, so a posting past its
    deadline offers none before the nightly job marks it expired (issue 13)."""
    from datetime import date, timedelta

    order, cnc, data = factories.market(db)
    owner, other = order.organization.members[0], cnc.organization.members[0]
    today = date.today()
    assert order.offers_proposals(owner, today)
    assert not order.offers_proposals(other, today)  # not theirs
    order.deadline = today - timedelta(days=1)
    assert order.status.value == "published"  # as stored, until the nightly job
    assert not order.offers_proposals(owner, today)
    draft = factories.posting(db, PostingKind.TALENT_DEMAND, org=order.organization,
                              publish=False)
    assert not draft.offers_proposals(owner, today)
