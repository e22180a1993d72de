"""Fair hiring shares and partnership health, on fixtures whose figures are known."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.accounts.models import OrgKind
from portal.cooperation.models import CooperationKind
from portal.cooperation.services import act, propose, record_fulfilment
from portal.demo_cooperation import TERMS
from portal.monitoring.fairness import fairness
from portal.monitoring.health import health
from portal.monitoring.periods import Period, PeriodKind
from portal.postings.models import PostingKind
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
Q3 = Period(PeriodKind.QUARTER, 2026, 3)


@pytest.fixture
def postings(db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    for text, industry, month in [
            ("限男性，35岁以下，负责设备维护与保养工作。", "智能制造", 8),
            ("要求本市户籍，负责仓储管理与日常盘点工作。", "现代物流", 8),
            ("负责设备维护与保养工作，能适应倒班安排。", "智能制造", 9),
            ("负责设备维护与保养工作，能适应倒班安排。", "智能制造", 5)]:
        posting = factories.posting(db, PostingKind.TALENT_DEMAND, org=firm, description=text,
                                    industry=industry)
        posting.published_at = datetime(2026, month, 2, tzinfo=SHANGHAI)
    db.commit()


def test_shares_of_discriminatory_postings(db, postings):
    result = fairness(db, Q3, SHANGHAI)
    assert (result.total.postings, result.total.flagged) == (3, 2)
    assert result.codes == {"gender": 1, "age_limit": 1, "hukou": 1}
    assert [(s.name, s.postings, s.flagged) for s in result.by_industry] == [
        ("现代物流", 1, 1), ("智能制造", 2, 1)]
    assert [(p.code, s.postings, s.flagged) for p, s in result.trend] == [
        ("2025-Q4", 0, 0), ("2026-Q1", 0, 0), ("2026-Q2", 1, 0), ("2026-Q3", 3, 2)]


def test_the_fairness_page(client, login_as, postings):
    login_as("coordinator")
    page = client.get("/monitoring/fairness?period=2026-Q3").get_data(as_text=True)
    assert "66.7%" in page and "现代物流" in page


def test_the_order_training_funnel_and_the_time_to_approval(db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    coordinator = factories.coordinator(db)
    proposal = propose(db, firm.members[0], college, CooperationKind.ORDER_TRAINING,
                       "数控订单班", {**TERMS[CooperationKind.ORDER_TRAINING], "cohort_size": 40})
    act(db, proposal, college.members[0], "accept")
    act(db, proposal, coordinator, "approve")
    proposal.created_at = proposal.approved_at - timedelta(days=6)
    record_fulfilment(db, proposal, firm.members[0], {"enrolled": 36, "completed": 30,
                                                       "hired": 24, "retained": 12})
    db.commit()
    result = health(db)
    assert result.funnel.counts == {"ordered": 40, "enrolled": 36, "completed": 30,
                                    "hired": 24, "retained": 12}
    assert result.funnel.rate("hired") == pytest.approx(80.0)
    assert [(f.name, f.partnerships) for f in result.by_district] == [(firm.district, 1)]
    assert result.approval_days[0] == pytest.approx(6.0)
    kinds = {figures.kind: figures for figures in result.by_kind}
    order = kinds[CooperationKind.ORDER_TRAINING]
    assert (order.proposed, order.approved, order.completed) == (1, 1, 0)
    assert order.approval_rate == pytest.approx(100.0) and order.completion_rate == 0


def test_conversion_by_kind_counts_every_proposal(db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    coordinator = factories.coordinator(db)
    research = TERMS[CooperationKind.JOINT_RESEARCH]
    outcomes = ("approve", "decline", None, "approve")
    for n, outcome in enumerate(outcomes):
        proposal = propose(db, firm.members[0], college, CooperationKind.JOINT_RESEARCH,
                           f"课题{n}", research)
        if outcome == "approve":
            act(db, proposal, college.members[0], "accept")
            act(db, proposal, coordinator, "approve")
        elif outcome == "decline":
            act(db, proposal, college.members[0], "decline", comment="名额已满")
    db.commit()
    kinds = {figures.kind: figures for figures in health(db).by_kind}
    research_figures = kinds[CooperationKind.JOINT_RESEARCH]
    assert (research_figures.proposed, research_figures.approved) == (4, 2)
    assert research_figures.approval_rate == pytest.approx(50.0)
    assert kinds[CooperationKind.ORDER_TRAINING].approval_rate is None  # none proposed
