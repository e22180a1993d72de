"""Proposing, negotiating, approving and running cooperations. Every status change goes
through `_apply`, which checks the state machine and the actor, and writes the audit
event in the same transaction."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import Organization, OrgKind, Role, User
from portal.checks import LINE_MAX, checked_text
from portal.cooperation.events import FULFILMENT, MESSAGE, PROPOSE, TRANSITION_EVENTS
from portal.cooperation.models import (
    CooperationKind,
    Fulfilment,
    Proposal,
    ProposalEvent,
    ProposalMessage,
    ProposalStatus,
    ProposalVersion,
)
from portal.cooperation.terms import changed_terms, clean_terms
from portal.cooperation.workflow import TRANSITIONS, WITH_TERMS, Who, target
from portal.db import utcnow
from portal.errors import ConflictError, DomainError, PermissionDenied, WorkflowError
from portal.events import Event, tell
from portal.postings.models import Posting, PostingKind
from portal.signals import partnership_terminated, proposal_changed
from portal.tasks import enqueue_after_commit

# Told whoever acted on an older state of the proposal (a form, an API call).
STALE = _l("Someone else has acted on this proposal meanwhile. Please check its current "
           "state.")


def _check_version(proposal: Proposal, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != proposal.version:
        raise ConflictError(STALE)


def _comment(text: str | None, required: bool) -> str:
    return checked_text(text, "comment", required=_l(
        "Please give a reason; the others will read it.") if required else None)


def may_act(proposal: Proposal, actor: User, who: Who) -> bool:
    """Whether `actor` is who the transition's rule names, for this proposal now."""
    party = proposal.is_party(actor)
    return {
        Who.AWAITED: party and actor.organization_id == proposal.awaiting_org_id,
        Who.PARTY: party,
        Who.PARTY_NOT_AWAITED: party and actor.organization_id != proposal.awaiting_org_id,
        Who.COORDINATOR: actor.is_coordinator,
        Who.PARTY_OR_COORDINATOR: party or actor.is_coordinator,
    }[who]


def open_actions(proposal: Proposal, actor: User) -> list[str]:
    """The actions `actor` may take on the proposal in its present state."""
    return [action for action, transition in TRANSITIONS.items()
            if proposal.status in transition.sources and may_act(proposal, actor, transition.who)]


def _check_actor(proposal: Proposal, actor: User, who: Who) -> None:
    if may_act(proposal, actor, who):
        return
    if who is Who.AWAITED and proposal.is_party(actor):
        raise WorkflowError(_l("The other side has to answer first."))
    if who is Who.COORDINATOR:
        raise PermissionDenied(_l("Only city coordinators approve cooperations."))
    raise PermissionDenied(_l("Only the two organisations in this proposal can do this."))


def record_event(session: Session, proposal: Proposal, actor: User, event: Event,
                 before: ProposalStatus | None, comment: str = "") -> None:
    """The audit event, and the notifications it causes, in the caller's transaction."""
    proposal.events.append(ProposalEvent(
        action=event.name, from_status=before, to_status=proposal.status,
        actor_id=actor.id, actor_role=actor.role,
        version_number=proposal.current_version, comment=comment))
    session.flush()
    _notify(session, proposal, actor, event)
    if event is PROPOSE or event in TRANSITION_EVENTS.values():  # a step, not a scan
        proposal_changed.send(proposal, session=session, action=event.name)


def _notify(session: Session, proposal: Proposal, actor: User, event: Event) -> None:
    """The other side's members (both sides' when a coordinator acted); coordinators too
    when the parties' agreement awaits their approval."""
    acting_org = None if actor.is_coordinator else actor.organization_id
    recipients = [member for member in proposal.members()
                  if member.organization_id != acting_org]
    if event is TRANSITION_EVENTS["accept"]:
        recipients += session.scalars(select(User).where(User.role == Role.COORDINATOR))
    tell(session, [r for r in recipients if r.id != actor.id], event,
           {"title": proposal.title, "org": actor.acting_name}, proposal_id=proposal.id)


# New terms that must differ from the current ones: the same terms again would only put
# the other side to answering again (a counter-proposal) or open an amendment of nothing.
MUST_CHANGE = {"counter": _l("These are the terms already on the table: change a term to "
                             "counter-propose, or accept them."),
               "amend": _l("These are the terms in force: change a term to propose an "
                           "amendment.")}


def _add_version(proposal: Proposal, actor: User, action: str, terms: dict[str, Any],
                 note: str) -> None:
    cleaned = clean_terms(proposal.kind, terms)
    if action in MUST_CHANGE and not changed_terms(proposal.terms, cleaned):
        raise DomainError(MUST_CHANGE[action])
    number = len(proposal.versions) + 1
    proposal.versions.append(ProposalVersion(
        number=number, terms=cleaned, note=note,
        author_org_id=actor.organization_id, author_id=actor.id))
    proposal.current_version = number


def _apply(session: Session, proposal: Proposal, actor: User, action: str, *,
           comment: str | None = None, terms: dict[str, Any] | None = None,
           expected_version: int | None = None) -> Proposal:
    transition = TRANSITIONS[action]
    if not proposal.can_view(actor):
        raise PermissionDenied(_l("Only the two organisations in this proposal can do this."))
    _check_version(proposal, expected_version)
    if proposal.status not in transition.sources:
        raise WorkflowError(_l("This cannot be done now: the proposal is %(status)s.",
                               status=proposal.status.label))
    _check_actor(proposal, actor, transition.who)
    text = _comment(comment, transition.needs_comment)
    before = proposal.status
    amending = proposal.is_amending
    if action in WITH_TERMS:
        if terms is None:
            raise DomainError(_l("Please set out the terms you propose."))
        _add_version(proposal, actor, action, terms, text)
    proposal.status = target(action, amending)
    # Whose answer is awaited: after new terms, the other side's; otherwise nobody's.
    proposal.awaiting_org_id = (proposal.other_party_id(actor.organization_id)
                                if proposal.status is ProposalStatus.PROPOSED else None)
    if action == "approve":
        proposal.approved_version = proposal.current_version
        proposal.approved_at = proposal.approved_at or utcnow()
        enqueue_after_commit(session, "agreements.issue", proposal.id)  # the PDF
    elif action == "terminate":
        partnership_terminated.send(proposal, session=session)
    elif amending and proposal.status is ProposalStatus.ACTIVE:
        # The amendment fell through: the approved terms stay in force.
        proposal.current_version = proposal.approved_version
    session.flush()
    record_event(session, proposal, actor, TRANSITION_EVENTS[action], before, text)
    return proposal


def can_be_proposed_to(partner: Organization, actor: User) -> bool:
    """A verified organisation of the other side: the only ones a proposal form names
    (a pending one's name is nobody else's business yet)."""
    org = actor.organization
    return (org is not None and partner.is_verified and partner.id != org.id
            and partner.kind is not org.kind)


def propose(session: Session, actor: User, partner: Organization, kind: CooperationKind,
            title: str, terms: dict[str, Any], note: str = "",
            demand: Posting | None = None, supply: Posting | None = None) -> Proposal:
    """A new proposal from the actor's organisation to a verified organisation of the
    other side, optionally from a match (the two postings)."""
    org = actor.organization
    if actor.is_coordinator or org is None:
        raise PermissionDenied(_l("Only members of an enterprise or a university propose "
                                  "cooperations."))
    if not org.is_verified:
        raise PermissionDenied(_l("Your organisation can propose cooperations once a city "
                                  "coordinator has verified it."))
    if partner.id == org.id or partner.kind is org.kind:
        raise DomainError(_l("A cooperation is between an enterprise and a university."),
                          field="partner")
    if not partner.is_verified:
        raise DomainError(_l("This organisation has not been verified yet."), field="partner")
    title = checked_text(title, "title", limit=LINE_MAX, one_line=True,
                         required=_l("Please give the cooperation a title."))
    for posting in (demand, supply):
        if posting is not None and posting.organization_id not in (org.id, partner.id):
            raise DomainError(_l("The postings must belong to the two organisations."))
    proposal = Proposal(kind=kind, title=title, proposer_org_id=org.id,
                        partner_org_id=partner.id, awaiting_org_id=partner.id,
                        status=ProposalStatus.PROPOSED, created_by_id=actor.id,
                        demand_posting_id=demand.id if demand else None,
                        supply_posting_id=supply.id if supply else None)
    _add_version(proposal, actor, "propose", terms, _comment(note, required=False))
    session.add(proposal)
    session.flush()
    record_event(session, proposal, actor, PROPOSE, None)
    return proposal


def act(session: Session, proposal: Proposal, actor: User, action: str,
        **options: Any) -> Proposal:
    """Any transition but proposing: accept, counter, decline, withdraw, approve, reject,
    return, revise, suspend, resume, complete."""
    if action not in TRANSITIONS:
        raise WorkflowError(_l("Unknown action."))
    return _apply(session, proposal, actor, action, **options)


def post_message(session: Session, proposal: Proposal, actor: User, body: str) -> ProposalMessage:
    if not proposal.can_view(actor):
        raise PermissionDenied(_l("Only the two organisations in this proposal can do this."))
    body = checked_text(body, "body", required=_l("Please write a message."))
    # Added on its own: appending to proposal.messages would first read the whole thread.
    message = ProposalMessage(proposal_id=proposal.id, author_id=actor.id, body=body)
    session.add(message)
    session.flush()
    _notify(session, proposal, actor, MESSAGE)
    return message


MESSAGES_SHOWN = 50  # a page of a thread; the earlier ones are a link away


@dataclass(frozen=True)
class Thread:
    """A page of a proposal's messages, oldest first."""

    messages: list[ProposalMessage]
    earlier: int | None  # the `before` that shows the page before this one, if any
    latest: bool  # whether this page ends with the newest message


def thread(session: Session, proposal: Proposal, before: int | None = None) -> Thread:
    """The MESSAGES_SHOWN messages before message `before` (default: the newest ones)."""
    statement = (select(ProposalMessage).where(ProposalMessage.proposal_id == proposal.id)
                 .options(selectinload(ProposalMessage.author)))
    if before is not None:
        statement = statement.where(ProposalMessage.id < before)
    found = session.scalars(statement.order_by(ProposalMessage.id.desc())
                            .limit(MESSAGES_SHOWN + 1)).all()
    shown = list(found[:MESSAGES_SHOWN])
    earlier = shown[-1].id if len(found) > MESSAGES_SHOWN else None
    return Thread(shown[::-1], earlier, before is None)


def proposals_for(session: Session, user: User) -> list[Proposal]:
    """The proposals a user may see: their organisation's, or all for coordinators."""
    statement = select(Proposal).order_by(Proposal.updated_at.desc(), Proposal.id.desc())
    if not user.is_coordinator:
        statement = statement.where(or_(Proposal.proposer_org_id == user.organization_id,
                                        Proposal.partner_org_id == user.organization_id))
    return list(session.scalars(statement))


def approval_queue(session: Session) -> list[Proposal]:
    return list(session.scalars(select(Proposal).where(
        Proposal.status == ProposalStatus.PENDING_APPROVAL).order_by(Proposal.updated_at)))


def enterprise_and_university(proposal: Proposal) -> tuple[Organization, Organization]:
    first, second = proposal.proposer, proposal.partner
    return (first, second) if first.kind is OrgKind.ENTERPRISE else (second, first)


KIND_FOR_DEMAND = {
    PostingKind.TRAINING_ORDER: CooperationKind.ORDER_TRAINING,
    PostingKind.TALENT_DEMAND: CooperationKind.TALENT_PIPELINE,
    PostingKind.RESEARCH_TOPIC: CooperationKind.JOINT_RESEARCH,
}


def kind_for(demand: Posting | None, supply: Posting | None) -> CooperationKind:
    """The cooperation a match suggests: a mentor offer means dual mentors; otherwise the
    demand's kind decides."""
    if supply is not None and supply.kind is PostingKind.MENTOR_OFFER:
        return CooperationKind.DUAL_MENTOR
    if demand is not None:
        return KIND_FOR_DEMAND.get(demand.kind, CooperationKind.ORDER_TRAINING)
    return CooperationKind.ORDER_TRAINING


def terms_from_match(kind: CooperationKind, demand: Posting | None,
                     supply: Posting | None) -> dict[str, Any]:
    """Terms pre-filled from the two postings; people complete and correct them."""
    major = (demand.major if demand else "") or (supply.major if supply else "")
    skills = list(demand.skills or []) if demand else []
    courses = list(supply.courses or []) if supply else []
    values: dict[CooperationKind, dict[str, Any]] = {
        CooperationKind.ORDER_TRAINING: {
            "cohort_size": demand.headcount if demand else None, "major": major,
            "skills": skills, "co_taught_courses": courses,
            "hires": demand.hire_count if demand else None},
        CooperationKind.TALENT_PIPELINE: {
            "positions": [demand.title] if demand else [],
            "headcount": demand.headcount if demand else None},
        CooperationKind.DUAL_MENTOR: {"courses_or_projects": courses or skills},
        CooperationKind.JOINT_RESEARCH: {
            "topic": demand.title if demand else "", "budget": demand.budget if demand else None},
    }
    return {name: value for name, value in values[kind].items() if value not in (None, "", [])}


def title_for(demand: Posting | None, supply: Posting | None) -> str:
    return " × ".join(p.title for p in (demand, supply) if p is not None)[:LINE_MAX]


def match_parties(user: User, demand: Posting | None,
                  supply: Posting | None) -> Organization | None:
    """The partner organisation when `user` belongs to one side of the match."""
    if demand is None or supply is None or user.organization_id is None:
        return None
    if demand.organization_id == user.organization_id:
        return supply.organization
    if supply.organization_id == user.organization_id:
        return demand.organization
    return None


FULFILMENT_STATES = {ProposalStatus.ACTIVE, ProposalStatus.SUSPENDED, ProposalStatus.COMPLETED}
STAGE_LABELS = {"enrolled": _l("Enrolled"), "completed": _l("Completed the training"),
                "hired": _l("Hired"), "retained": _l("Still employed after the retention period")}


def record_fulfilment(session: Session, proposal: Proposal, actor: User,
                      counts: dict[str, Any], expected_version: int | None = None) -> Fulfilment:
    """The order's progress, as either party reports it; each stage at most the one before
    (nobody is hired who did not complete the training). Audited like a decision."""
    if not proposal.is_party(actor):
        raise PermissionDenied(_l("Only the two organisations in this proposal can do this."))
    if proposal.kind is not CooperationKind.ORDER_TRAINING or \
            proposal.status not in FULFILMENT_STATES:
        raise WorkflowError(_l("Progress is recorded for approved order-based training."))
    values: dict[str, int] = {}
    for stage in Fulfilment.STAGES:
        raw = str(counts.get(stage, "") or "0").strip()
        if not raw.isdigit() or len(raw) > 6:
            raise DomainError(_l("%(field)s: please enter a whole number.",
                                 field=STAGE_LABELS[stage]), field=stage)
        values[stage] = int(raw)
    for earlier, later in zip(Fulfilment.STAGES, Fulfilment.STAGES[1:], strict=False):
        if values[later] > values[earlier]:
            raise DomainError(_l("%(later)s cannot be more than %(earlier)s.",
                                 later=STAGE_LABELS[later], earlier=STAGE_LABELS[earlier]),
                              field=later)
    fulfilment = proposal.fulfilment
    if fulfilment is None:
        fulfilment = Fulfilment(proposal_id=proposal.id)
        session.add(fulfilment)
        proposal.fulfilment = fulfilment
    elif expected_version is not None and expected_version != fulfilment.version:
        raise ConflictError(_l("Someone else has updated these figures meanwhile. Please "
                               "check them and enter yours again."))
    for stage, value in values.items():
        setattr(fulfilment, stage, value)
    fulfilment.updated_by_id = actor.id
    session.flush()
    summary = " / ".join(f"{STAGE_LABELS[s]} {values[s]}" for s in Fulfilment.STAGES)
    record_event(session, proposal, actor, FULFILMENT, proposal.status, summary)
    return fulfilment
