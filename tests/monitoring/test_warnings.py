"""Warning rules: firing once per condition, states, and the response to a shortage."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from portal.accounts.models import OrgKind
from portal.cooperation.models import CooperationKind
from portal.cooperation.services import act, propose
from portal.demo_cooperation import TERMS
from portal.errors import DomainError, WorkflowError
from portal.monitoring import warnings
from portal.monitoring.models import (
    Dimension,
    MonitoringWarning,
    RuleKind,
    WarningInvitation,
    WarningState,
)
from portal.monitoring.periods import PeriodKind
from portal.notifications.models import Notification
from portal.postings.models import PostingKind
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Checked early in October: August and September are the last two complete months.
OCTOBER = datetime(2026, 10, 5, 1, tzinfo=UTC)


def dated(db, kind, org, month, **fields):
    fields = {"description": "负责相关工作。", "skills": "", **fields}
    posting = factories.posting(db, kind, org=org, **fields)
    posting.published_at = datetime(2026, month, 10, 10, tzinfo=SHANGHAI)
    return posting


@pytest.fixture
def market(db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    teaching = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    partnered = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    elsewhere = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    demand, supply = PostingKind.TALENT_DEMAND, PostingKind.CURRICULUM
    # 计算机类: 30 wanted against 10 taught in August, against none in September.
    dated(db, demand, firm, 8, major="软件技术", headcount=30)
    dated(db, demand, firm, 9, major="软件技术", headcount=30)
    dated(db, supply, teaching, 8, major="软件工程", capacity=10)
    dated(db, supply, partnered, 8, major="计算机科学与技术", capacity=0)
    # 自动化类: balanced in August, so no warning.
    dated(db, demand, firm, 8, major="电气自动化技术", headcount=10)
    dated(db, supply, elsewhere, 8, major="电气自动化技术", capacity=10)
    dated(db, demand, firm, 9, major="电气自动化技术", headcount=10)
    coordinator = factories.coordinator(db)
    proposal = propose(db, firm.members[0], partnered, CooperationKind.ORDER_TRAINING,
                       "软件订单班", TERMS[CooperationKind.ORDER_TRAINING])
    act(db, proposal, partnered.members[0], "accept")
    act(db, proposal, coordinator, "approve")
    rule = warnings.create_rule(db, coordinator, RuleKind.RATIO_ABOVE, threshold=2, span=2,
                                dimension=Dimension.FIELD, period_kind=PeriodKind.MONTH)
    db.commit()
    return {"firm": firm, "teaching": teaching, "partnered": partnered,
            "elsewhere": elsewhere, "coordinator": coordinator, "rule": rule}


def check(db, now=OCTOBER):
    fired = warnings.evaluate(db, now, SHANGHAI)
    db.commit()
    return fired


def test_a_shortage_in_every_period_fires_once(db, market):
    fired = check(db)
    assert [(w.label, w.subject) for w in fired] == [("计算机类", "field:computing")]
    assert fired[0].figures["periods"] == [["2026-08", 30, 10], ["2026-09", 30, 0]]
    assert check(db) == []  # the same condition does not fire again
    assert db.scalar(select(func.count()).select_from(MonitoringWarning)) == 1
    to_coordinator = db.scalars(select(Notification).where(
        Notification.user_id == market["coordinator"].id,
        Notification.event == "warning-fired")).all()
    assert len(to_coordinator) == 1
    assert to_coordinator[0].link == f"/monitoring/warnings/{fired[0].id}"


def test_it_fires_again_only_after_the_condition_ceased(db, market):
    first = check(db)[0]
    # In December, October and November had no such shortage.
    assert check(db, datetime(2026, 12, 5, tzinfo=UTC)) == []
    db.refresh(first)
    assert first.holds is False
    again = check(db)
    assert [(w.subject, w.episode) for w in again] == [("field:computing", 2)]


def test_a_closed_warning_whose_condition_holds_stays_closed(db, market):
    first = check(db)[0]
    warnings.act(db, first, market["coordinator"], "close")
    db.commit()
    assert check(db) == []


def test_states_go_forward_only(db, market):
    warning = check(db)[0]
    coordinator = market["coordinator"]
    warnings.act(db, warning, coordinator, "acknowledge")
    assert warning.state is WarningState.ACKNOWLEDGED
    with pytest.raises(WorkflowError):
        warnings.act(db, warning, coordinator, "acknowledge")
    with pytest.raises(DomainError):
        warnings.respond(db, warning, coordinator, "   ")
    warnings.respond(db, warning, coordinator, "已约谈两所院校")
    assert warning.state is WarningState.RESPONDED and warning.responded_at is not None
    warnings.act(db, warning, coordinator, "close")
    with pytest.raises(WorkflowError):
        warnings.respond(db, warning, coordinator, "再次")


def test_the_universities_who_could_answer(db, market):
    warning = check(db)[0]
    # Teaching 计算机类, not yet working with the firm; not the partner, not 自动化类.
    assert [org.id for org in warnings.candidates(db, warning)] == [market["teaching"].id]


def test_an_invitation_reaches_exactly_the_invited_members(db, market):
    warning = check(db)[0]
    teaching = market["teaching"]
    colleague = factories.member(db, OrgKind.UNIVERSITY)
    colleague.organization_id = teaching.id
    db.flush()
    db.expire(teaching, ["members"])
    with pytest.raises(DomainError):  # not one of the candidates
        warnings.invite(db, warning, market["coordinator"], [market["elsewhere"].id])
    warnings.invite(db, warning, market["coordinator"], [teaching.id])
    db.commit()
    invited = set(db.scalars(select(Notification.user_id).where(
        Notification.event == "warning-invitation")))
    assert invited == {m.id for m in teaching.members} and len(invited) == 2
    assert warning.state is WarningState.RESPONDED and teaching.name in warning.response
    assert warnings.candidates(db, warning) == []  # invited once


def test_proposals_that_followed_an_invitation(db, market):
    warning = check(db)[0]
    warnings.invite(db, warning, market["coordinator"], [market["teaching"].id])
    db.commit()
    invitation = db.scalar(select(WarningInvitation))
    assert warnings.followed(db, invitation) == 0
    propose(db, market["firm"].members[0], market["teaching"], CooperationKind.ORDER_TRAINING,
            "新的订单班", TERMS[CooperationKind.ORDER_TRAINING])
    db.commit()
    assert warnings.followed(db, invitation) == 1


def test_a_demand_waiting_too_long(db, market):
    late = factories.posting(db, PostingKind.TALENT_DEMAND, org=market["firm"],
                             title="养老护理员", description="负责老人照护。", skills="老年照护",
                             major="护理学")
    late.published_at = datetime.now(UTC) - timedelta(days=40)
    warnings.create_rule(db, market["coordinator"], RuleKind.UNMATCHED_FOR, threshold=0,
                         span=30)
    db.commit()
    fired = check(db, datetime.now(UTC))
    assert f"posting:{late.id}" in {w.subject for w in fired}


@pytest.mark.parametrize("kind, values", [
    (RuleKind.RATIO_ABOVE, {"threshold": 0, "span": 2, "dimension": Dimension.FIELD}),
    (RuleKind.RATIO_ABOVE, {"threshold": 2, "span": 13, "dimension": Dimension.FIELD}),
    (RuleKind.RATIO_ABOVE, {"threshold": 2, "span": 2, "dimension": None}),
    (RuleKind.UNMATCHED_FOR, {"threshold": 0, "span": 366}),
    (RuleKind.HIRES_BELOW, {"threshold": 150, "span": 6}),
    (RuleKind.HIRES_BELOW, {"threshold": 50, "span": 37}),
])
def test_rules_out_of_bounds_are_refused(db, kind, values):
    with pytest.raises(DomainError):
        warnings.create_rule(db, factories.coordinator(db), kind, **values)


def test_an_order_class_that_hired_too_few(db):
    from portal.cooperation.models import ProposalEvent
    from portal.cooperation.services import record_fulfilment

    coordinator = factories.coordinator(db)
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    classes = {}
    for title, hired in (("数控订单班", 10), ("机电订单班", 30)):
        proposal = propose(db, firm.members[0], college, CooperationKind.ORDER_TRAINING, title,
                           {**TERMS[CooperationKind.ORDER_TRAINING], "cohort_size": 40})
        act(db, proposal, college.members[0], "accept")
        act(db, proposal, coordinator, "approve")
        record_fulfilment(db, proposal, firm.members[0], {"enrolled": 40, "completed": 36,
                                                           "hired": hired, "retained": 0})
        act(db, proposal, firm.members[0], "complete")
        classes[title] = proposal
    for event in db.scalars(select(ProposalEvent).where(ProposalEvent.action == "complete")):
        event.created_at = datetime.now(UTC) - timedelta(days=7 * 30)
    warnings.create_rule(db, coordinator, RuleKind.HIRES_BELOW, threshold=50, span=6)
    db.commit()
    fired = check(db, datetime.now(UTC))
    assert [(w.subject, w.figures["hired"], w.figures["ordered"]) for w in fired] == [
        (f"proposal:{classes['数控订单班'].id}", 10, 40)]
    # Completed too recently for a longer wait.
    warnings.create_rule(db, coordinator, RuleKind.HIRES_BELOW, threshold=50, span=8)
    db.commit()
    assert check(db, datetime.now(UTC)) == []
