"""Stored matches follow each posting: publishing, editing and closing refresh them at
once; a draft sees its matches without appearing in anyone else's."""
from sqlalchemy import func, select

from portal.matching.models import PostingMatch
from portal.matching.store import recommendations, recompute_all
from portal.postings.models import PostingKind
from portal.postings.services import close_posting, publish_posting, update_posting
from tests import factories


def pairs_of(db, posting):
    return db.scalar(select(func.count()).select_from(PostingMatch).where(
        (PostingMatch.demand_id == posting.id) | (PostingMatch.supply_id == posting.id)))


def ids(recs):
    return [r.posting.id for r in recs]


def test_a_published_demand_appears_at_once_in_the_programmes_list(db):
    order, cnc, data = factories.market(db)
    later = factories.posting(db, PostingKind.TALENT_DEMAND, org=order.organization,
                              title="数控操机工", skills="CNC编程、数控机床操作",
                              description="负责数控机床的编程与操作。" * 2, major="数控技术")
    assert set(ids(recommendations(db, cnc))) == {order.id, later.id}
    assert ids(recommendations(db, later))[0] == cnc.id


def test_editing_a_posting_refreshes_its_matches(db):
    order, cnc, data = factories.market(db)
    assert ids(recommendations(db, order))[0] == cnc.id
    update_posting(db, order, order.organization.members[0], {
        "title": "大数据分析订单班", "skills": ["机器学习", "数据挖掘", "Python"],
        "description": "培养数据分析与机器学习人才，要求掌握Python与数据挖掘。", "major": ""})
    assert ids(recommendations(db, order))[0] == data.id
    assert order.id in ids(recommendations(db, data))


def test_closing_a_posting_removes_it_from_every_list(db):
    order, cnc, data = factories.market(db)
    close_posting(db, cnc, cnc.organization.members[0])
    assert pairs_of(db, cnc) == 0
    assert cnc.id not in ids(recommendations(db, order))
    publish_posting(db, cnc, cnc.organization.members[0])  # published again: back at once
    assert ids(recommendations(db, order))[0] == cnc.id


def test_a_draft_has_matches_but_stays_out_of_other_lists(db):
    order, cnc, data = factories.market(db)
    draft = factories.posting(db, PostingKind.TALENT_DEMAND, org=order.organization,
                              title="CNC技术员", skills="CNC编程", publish=False)
    assert ids(recommendations(db, draft)) == [cnc.id]
    assert draft.id not in ids(recommendations(db, cnc))
    recompute_all(db, db)  # the full recompute keeps the draft's own list, too
    assert ids(recommendations(db, draft)) == [cnc.id]
    assert draft.id not in ids(recommendations(db, cnc))


def test_the_full_recompute_gives_the_same_lists(db):
    order, cnc, data = factories.market(db)
    before = {p.id: ids(recommendations(db, p)) for p in (order, cnc, data)}
    ranking = recompute_all(db, db)
    assert set(ranking.by_demand) == {str(order.id)}
    assert {p.id: ids(recommendations(db, p)) for p in (order, cnc, data)} == before
    assert recommendations(db, order)[0].match.matched  # the reasons are stored, too


def test_deleting_a_draft_deletes_its_pairs(db):
    from portal.postings.services import delete_draft

    order, cnc, data = factories.market(db)
    draft = factories.posting(db, PostingKind.TALENT_DEMAND, org=order.organization,
                              title="CNC技术员", skills="CNC编程", publish=False)
    assert pairs_of(db, draft) > 0
    draft_id = draft.id
    delete_draft(db, draft, order.organization.members[0])
    assert db.scalar(select(func.count()).select_from(PostingMatch).where(
        PostingMatch.demand_id == draft_id)) == 0
