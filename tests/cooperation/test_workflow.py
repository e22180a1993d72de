"""The proposal state machine: every allowed and every forbidden transition, per role;
terms checked; each change audited exactly once."""
import itertools

import pytest
from sqlalchemy import func, select

from portal.accounts.models import OrgKind
from portal.cooperation.models import CooperationKind, ProposalEvent
from portal.cooperation.models import ProposalStatus as S
from portal.cooperation.services import act, post_message, propose
from portal.cooperation.workflow import TRANSITIONS, Who
from portal.errors import ConflictError, DomainError, PermissionDenied, WorkflowError
from tests import factories


def may(who: str, rule: Who, proposal) -> bool:
    """Whether `who` may take an action with this rule, given whose answer is awaited."""
    party = who in ("proposer", "partner")
    awaited = {proposal.proposer_org_id: "proposer", proposal.partner_org_id: "partner"}.get(
        proposal.awaiting_org_id)
    return {Who.AWAITED: who == awaited, Who.PARTY: party, Who.COORDINATOR: who == "coordinator",
            Who.PARTY_NOT_AWAITED: party and who != awaited,
            Who.PARTY_OR_COORDINATOR: party or who == "coordinator"}[rule]


CASES = list(itertools.product(S, TRANSITIONS))
ROLES = ["proposer", "partner", "outsider", "coordinator"]


@pytest.mark.parametrize("state, action", CASES, ids=[f"{s.value}-{a}" for s, a in CASES])
def test_every_transition_for_every_role(db, people, state, action):
    transition = TRANSITIONS[action]
    for who in ROLES:
        proposal = factories.in_state(db, people, state)  # a fresh one for each role
        events = len(proposal.events)
        if state in transition.sources and may(who, transition.who, proposal):
            act(db, proposal, people[who], action, **factories.options(action))
            assert proposal.status is transition.target, who
            assert len(proposal.events) == events + 1
            last = proposal.events[-1]
            assert (last.action, last.from_status, last.to_status) == (
                action, state, transition.target)
            assert last.actor_id == people[who].id and last.actor_role is people[who].role
        else:
            with pytest.raises((WorkflowError, PermissionDenied)):
                act(db, proposal, people[who], action, **factories.options(action))
            assert proposal.status is state and len(proposal.events) == events, who
            assert len(proposal.versions) == proposal.current_version  # no version added


def test_a_counter_proposal_keeps_every_version_and_turns_the_table(db, people):
    proposal = factories.new_proposal(db, people)
    act(db, proposal, people["partner"], "counter",
        terms={**factories.ORDER_TERMS, "cohort_size": 30}, comment="先办 30 人")
    assert [v.number for v in proposal.versions] == [1, 2]
    assert proposal.versions[0].terms["cohort_size"] == 40
    assert proposal.terms["cohort_size"] == 30 and proposal.current_version == 2
    assert proposal.awaiting_org_id == people["proposer"].organization_id
    with pytest.raises(WorkflowError):  # the partner waits for the answer now
        act(db, proposal, people["partner"], "accept")
    act(db, proposal, people["proposer"], "accept")
    assert proposal.status is S.PENDING_APPROVAL and proposal.awaiting_org_id is None


def test_returned_terms_are_revised_and_put_to_the_other_side(db, people):
    proposal = factories.in_state(db, people, S.RETURNED)
    act(db, proposal, people["partner"], "revise", terms={**factories.ORDER_TERMS, "hires": 35})
    assert proposal.status is S.PROPOSED
    assert proposal.awaiting_org_id == people["proposer"].organization_id


@pytest.mark.parametrize("action", ["decline", "reject", "return", "suspend"])
def test_some_decisions_need_a_reason(db, people, action):
    state = {"decline": S.PROPOSED, "suspend": S.ACTIVE}.get(action, S.PENDING_APPROVAL)
    proposal = factories.in_state(db, people, state)
    who = {"decline": "partner", "suspend": "proposer"}.get(action, "coordinator")
    with pytest.raises(DomainError, match="请给出理由") as refused:
        act(db, proposal, people[who], action, comment="  ")
    assert refused.value.field == "comment" and proposal.status is state


@pytest.mark.parametrize("change, field", [
    ({"cohort_size": "四十"}, "cohort_size"),
    ({"cohort_size": -5}, "cohort_size"),
    ({"hires": ""}, "hires"),
    ({"major": "  "}, "major"),
    ({"schedule": "字" * 2001}, "schedule"),
    ({"start_date": ""}, "start_date"),
    ({"end_date": "2029-02-30"}, "end_date"),
    ({"end_date": "明年"}, "end_date"),
    ({"end_date": "2027-08-31"}, "end_date"),  # before it starts
    ({"signing_place": ""}, "signing_place"),
])
def test_bad_terms_are_refused_with_their_field(db, people, change, field):
    with pytest.raises(DomainError) as refused:
        propose(db, people["proposer"], people["partner"].organization,
                CooperationKind.ORDER_TRAINING, "数控订单班", {**factories.ORDER_TERMS, **change})
    assert refused.value.field == field


@pytest.mark.parametrize("typed", ["2029-07-31", "2029/7/31", "2029.7.31", "2029年7月31日",
                                   "２０２９－０７－３１"])
def test_dates_are_read_as_people_type_them(db, people, typed):
    proposal = propose(db, people["proposer"], people["partner"].organization,
                       CooperationKind.ORDER_TRAINING, "数控订单班",
                       {**factories.ORDER_TERMS, "end_date": typed})
    assert proposal.terms["end_date"] == "2029-07-31"


def test_unknown_term_fields_are_dropped(db, people):
    proposal = propose(db, people["proposer"], people["partner"].organization,
                       CooperationKind.ORDER_TRAINING, "数控订单班",
                       {**factories.ORDER_TERMS, "status": "active", "partner_org_id": 1})
    assert "status" not in proposal.terms and proposal.status is S.PROPOSED


def test_who_may_propose_to_whom(db, people):
    enterprise = people["proposer"].organization
    with pytest.raises(DomainError):  # the same side
        propose(db, people["proposer"], factories.organization(db, OrgKind.ENTERPRISE,
                                                              verified=True),
                CooperationKind.ORDER_TRAINING, "x", factories.ORDER_TERMS)
    with pytest.raises(DomainError):  # not verified yet
        propose(db, people["proposer"], factories.organization(db, OrgKind.UNIVERSITY),
                CooperationKind.ORDER_TRAINING, "x", factories.ORDER_TERMS)
    with pytest.raises(PermissionDenied):  # coordinators decide, they do not propose
        propose(db, people["coordinator"], enterprise, CooperationKind.ORDER_TRAINING, "x",
                factories.ORDER_TERMS)
    pending = factories.member(db, OrgKind.UNIVERSITY, verified=False)
    with pytest.raises(PermissionDenied):
        propose(db, pending, enterprise, CooperationKind.ORDER_TRAINING, "x", factories.ORDER_TERMS)


def test_a_stale_version_is_refused(db, people):
    proposal = factories.in_state(db, people, S.PENDING_APPROVAL)
    seen = proposal.version
    act(db, proposal, people["coordinator"], "approve", expected_version=seen)
    with pytest.raises(ConflictError):
        act(db, proposal, factories.coordinator(db), "reject", comment="晚了",
            expected_version=seen)
    decisions = db.scalar(select(func.count()).select_from(ProposalEvent).where(
        ProposalEvent.proposal_id == proposal.id, ProposalEvent.action.in_(["approve",
                                                                             "reject"])))
    assert decisions == 1


def test_messages_are_for_the_parties_and_coordinators(db, people):
    proposal = factories.new_proposal(db, people)
    post_message(db, proposal, people["partner"], "能否把实训安排在第三学期？")
    post_message(db, proposal, people["coordinator"], "请补充留任条件。")
    with pytest.raises(PermissionDenied):
        post_message(db, proposal, people["outsider"], "我也想参加")
    with pytest.raises(DomainError):
        post_message(db, proposal, people["proposer"], "   ")
    assert [m.body for m in proposal.messages] == ["能否把实训安排在第三学期？", "请补充留任条件。"]


def test_two_coordinators_deciding_at_once_make_one_decision(app, db, people):
    """Each request loads the proposal in its own transaction; the second to commit finds
    the version changed and is refused by the database (version_id_col)."""
    from sqlalchemy.orm.exc import StaleDataError

    from portal.accounts.models import User
    from portal.cooperation.models import Proposal
    from portal.db import state

    proposal = factories.in_state(db, people, S.PENDING_APPROVAL)
    ids = proposal.id, people["coordinator"].id, factories.coordinator(db).id
    db.commit()
    factory = state().session_factory
    with factory() as first, factory() as second:
        mine, alice = first.get(Proposal, ids[0]), first.get(User, ids[1])
        theirs, bob = second.get(Proposal, ids[0]), second.get(User, ids[2])
        assert len(mine.versions) == len(theirs.versions) == 1
        first.commit()
        second.commit()  # both have read the same version; neither holds a transaction
        act(first, mine, alice, "approve")
        first.commit()
        with pytest.raises(StaleDataError):
            act(second, theirs, bob, "reject", comment="条款不全")
        second.rollback()
    db.expire_all()
    assert db.get(Proposal, proposal.id).status is S.ACTIVE
    assert db.scalar(select(func.count()).select_from(ProposalEvent).where(
        ProposalEvent.proposal_id == proposal.id,
        ProposalEvent.action.in_(["approve", "reject"]))) == 1


def test_an_amendment_goes_through_the_same_cycle(db, people):
    proposal = factories.in_state(db, people, S.ACTIVE)
    assert proposal.approved_version == 1
    act(db, proposal, people["partner"], "amend",
        terms={**factories.ORDER_TERMS, "cohort_size": 45},
        comment="第二期扩招")
    assert proposal.status is S.PROPOSED and proposal.is_amending
    assert proposal.terms_in_force["cohort_size"] == 40 and proposal.terms["cohort_size"] == 45
    act(db, proposal, people["proposer"], "accept")
    act(db, proposal, people["coordinator"], "approve")
    assert proposal.status is S.ACTIVE and proposal.approved_version == 2
    assert proposal.terms_in_force["cohort_size"] == 45 and not proposal.is_amending


@pytest.mark.parametrize("steps", [
    [("proposer", "decline")],
    [("partner", "withdraw")],
    [("proposer", "accept"), ("coordinator", "reject")],
])
def test_an_amendment_that_falls_through_leaves_the_old_terms_in_force(db, people, steps):
    proposal = factories.in_state(db, people, S.ACTIVE)
    act(db, proposal, people["partner"], "amend",
        terms={**factories.ORDER_TERMS, "cohort_size": 45})
    for who, action in steps:
        act(db, proposal, people[who], action, comment="不同意")
    assert proposal.status is S.ACTIVE and proposal.awaiting_org_id is None
    assert proposal.current_version == proposal.approved_version == 1
    assert proposal.terms["cohort_size"] == 40 and len(proposal.versions) == 2


@pytest.mark.parametrize("state, action, who", [(S.ACTIVE, "amend", "partner"),
                                                (S.PROPOSED, "counter", "partner")])
def test_new_terms_that_change_nothing_are_refused(db, people, state, action, who):
    """Issue 13: an amendment repeating the terms in force opened an amendment of nothing."""
    proposal = factories.in_state(db, people, state)
    versions, status = len(proposal.versions), proposal.status
    with pytest.raises(DomainError, match="请修改其中的条款"):
        act(db, proposal, people[who], action, terms=dict(proposal.terms))
    assert (len(proposal.versions), proposal.status) == (versions, status)
