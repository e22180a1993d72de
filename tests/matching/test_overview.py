"""Coordinators see every match with filters, start a recompute and read the feedback."""
import pytest
from sqlalchemy import delete, func, select

from portal.accounts.models import Role
from portal.matching.feedback import dismiss
from portal.matching.models import MatchRun, MatchRunStatus
from portal.postings.models import PostingKind
from tests import factories


@pytest.mark.parametrize("path", ["/matching/all", "/matching/feedback"])
@pytest.mark.parametrize("role, status", [
    (None, 302), (Role.ENTERPRISE_HR, 403), (Role.UNIVERSITY_STAFF, 403), (Role.COORDINATOR, 200),
])
def test_only_coordinators_see_all_matches_and_feedback(client, login_as, path, role, status):
    if role:
        login_as(role)
    assert client.get(path).status_code == status


@pytest.mark.parametrize("role", [Role.ENTERPRISE_HR, Role.UNIVERSITY_STAFF])
def test_members_cannot_start_a_recompute(client, db, login_as, role):
    login_as(role)
    assert client.post("/matching/recompute").status_code == 403
    assert db.scalar(select(func.count()).select_from(MatchRun)) == 0


def test_all_matches_lists_live_pairs_best_first(client, db, login_as):
    order, cnc, data = factories.market(db)
    factories.posting(db, PostingKind.TALENT_DEMAND, org=order.organization, title="草稿需求",
                      skills="CNC编程", publish=False)
    login_as(Role.COORDINATOR)
    page = client.get("/matching/all").get_data(as_text=True)
    assert "数控加工订单班" in page and "数控技术专业" in page
    assert "草稿需求" not in page  # drafts are private to their authors
    assert "数据科学与大数据技术专业" not in page  # below the minimum score


@pytest.mark.parametrize("query, shown", [
    ("?demand_kind=training_order", True),
    ("?demand_kind=talent_demand", False),
    ("?supply_kind=mentor_offer", False),
    ("?q=数控加工", True),
    ("?q=没有这个单位", False),
    ("?min_score=100", False),
    ("?min_score=abc&demand_kind=nonsense&page=-3", True),  # malformed filters are ignored
])
def test_filters(client, db, login_as, query, shown):
    factories.market(db)
    login_as(Role.COORDINATOR)
    page = client.get("/matching/all" + query)
    assert page.status_code == 200
    assert ("数控加工订单班" in page.get_data(as_text=True)) is shown


def test_recompute_button_runs_and_shows_the_result(client, db, login_as):
    factories.market(db)
    login_as(Role.COORDINATOR)
    response = client.post("/matching/recompute", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "已开始重新计算" in text and "已完成" in text
    run = db.scalar(select(MatchRun))
    assert run.status is MatchRunStatus.DONE and run.pairs > 0


def test_a_second_recompute_is_refused_while_one_waits(client, db, login_as):
    db.add(MatchRun(status=MatchRunStatus.QUEUED))
    login_as(Role.COORDINATOR)
    response = client.post("/matching/recompute", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "已有一次重新计算正在进行" in text
    assert 'http-equiv="refresh"' in text  # the page follows the run's progress
    assert db.scalar(select(func.count()).select_from(MatchRun)) == 1


def test_feedback_shows_the_reasons(client, db, login_as):
    order, cnc, data = factories.market(db)
    dismiss(db, order, cnc, order.organization.members[0], "需要五轴方向")
    login_as(Role.COORDINATOR)
    page = client.get("/matching/feedback").get_data(as_text=True)
    assert "需要五轴方向" in page and "数控加工订单班" in page


def test_all_matches_pages_forwards_and_back_through_equal_scores(client, db, login_as):
    """Issue 14: the list is read by keyset (best first, then newest pair), so a page
    costs the same however deep; equal scores neither repeat nor vanish across pages."""
    import html
    import re
    from urllib.parse import parse_qsl, urlsplit

    from portal.db import utcnow
    from portal.matching.models import PostingMatch
    from portal.matching.overview import PAGE_SIZE

    demand = factories.posting(db, PostingKind.TALENT_DEMAND, title="数控操机员")
    count = 2 * PAGE_SIZE + 3
    supplies = [factories.posting(db, PostingKind.CURRICULUM, title=f"专业{n:02d}")
                for n in range(count)]
    db.commit()
    db.execute(delete(PostingMatch))  # what publishing scored; these scores tie on purpose
    db.add_all(PostingMatch(demand_id=demand.id, supply_id=supply.id, score=90 - n % 4,
                            explanation={}, computed_at=utcnow())
               for n, supply in enumerate(supplies))
    db.commit()
    login_as(Role.COORDINATOR)

    def page(params):
        text = client.get("/matching/all", query_string=params).get_data(as_text=True)
        links = {rel: dict(parse_qsl(urlsplit(html.unescape(href)).query)) for href, rel
                 in re.findall(r'<a href="([^"]+)" rel="(prev|next)">', text)}
        return re.findall(r">(专业\d\d)</a>", text), links

    pages, params = [], {"min_score": "50"}
    while True:
        items, links = page(params)
        pages.append((items, links))
        if "next" not in links:
            break
        params = links["next"]
    seen = [title for items, _ in pages for title in items]
    assert len(pages) == 3 and len(seen) == len(set(seen)) == count
    stored = db.scalars(select(PostingMatch).order_by(PostingMatch.score.desc(),
                                                      PostingMatch.id.desc())).all()
    assert seen == [db.get(type(demand), row.supply_id).title for row in stored]
    back, _ = page(pages[2][1]["prev"])
    assert back == pages[1][0]
