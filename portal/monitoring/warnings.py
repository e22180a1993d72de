"""Warnings (预警): coordinators' rules, checked by a daily job; a rule fires once for each
subject while its condition holds, into the coordinators' inbox; a warning goes
new → acknowledged → responded → closed, and a shortage is answered by inviting the
universities that could fill it (响应)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.accounts.models import Organization, OrgKind, OrgStatus, Role, User
from portal.cooperation.models import CooperationKind, Proposal, ProposalEvent, ProposalStatus
from portal.db import utcnow, write_session
from portal.errors import DomainError, WorkflowError
from portal.events import tell
from portal.matching.catalogue import shipped_catalogue
from portal.monitoring import events
from portal.monitoring.balance import balance
from portal.monitoring.facets import DEMAND_KINDS, SUPPLY_KINDS
from portal.monitoring.models import (
    Dimension,
    MonitoringWarning,
    PostingFacet,
    RuleKind,
    WarningInvitation,
    WarningRule,
    WarningState,
)
from portal.monitoring.periods import Period, PeriodKind, city_zone
from portal.monitoring.unmatched import unanswered_demands
from portal.postings.models import Posting
from portal.signals import warning_raised
from portal.tasks import job, periodic

# Bounds of a rule, checked before any work: periods looked back over, days waited.
MAX_PERIODS, MAX_DAYS, MAX_MONTHS = 12, 365, 36
DAYS_A_MONTH = 30
RESPONSE_MAX = 2_000
# Universities proposed to answer one shortage, at most.
CANDIDATES_SHOWN = 30
# Partnerships in these states mean a university already works with a firm.
PARTNERED = (ProposalStatus.ACTIVE, ProposalStatus.SUSPENDED, ProposalStatus.COMPLETED,
             ProposalStatus.PENDING_APPROVAL)


@dataclass(frozen=True)
class Condition:
    label: str
    figures: dict


def create_rule(session: Session, actor: User, kind: RuleKind, *, threshold: float,
                span: int, dimension: Dimension | None = None,
                period_kind: PeriodKind = PeriodKind.MONTH) -> WarningRule:
    """A new rule; its limits are checked here, whatever form or command sent it."""
    if kind is RuleKind.RATIO_ABOVE:
        if dimension is None:
            raise DomainError(_l("Choose what the ratio is counted by."), field="dimension")
        if not 0 < threshold <= 1000:
            raise DomainError(_l("The ratio must be above 0 and at most 1000."),
                              field="threshold")
        if not 1 <= span <= MAX_PERIODS:
            raise DomainError(_l("Between 1 and %(most)d periods.", most=MAX_PERIODS),
                              field="span")
    elif kind is RuleKind.HIRES_BELOW:
        if not 0 < threshold <= 100:
            raise DomainError(_l("A share above 0 and at most 100 %."), field="threshold")
        if not 1 <= span <= MAX_MONTHS:
            raise DomainError(_l("Between 1 and %(most)d months.", most=MAX_MONTHS),
                              field="span")
    elif not 1 <= span <= MAX_DAYS:
        raise DomainError(_l("Between 1 and %(most)d days.", most=MAX_DAYS), field="span")
    rule = WarningRule(kind=kind, dimension=dimension if kind is RuleKind.RATIO_ABOVE else None,
                       period_kind=period_kind, threshold=threshold, span=span,
                       created_by_id=actor.id)
    session.add(rule)
    session.flush()
    return rule


def set_rule_active(session: Session, rule: WarningRule, active: bool) -> None:
    rule.is_active = active
    session.flush()


def describe(rule: WarningRule) -> str:
    """The rule in a sentence, in the reader's language."""
    from flask_babel import gettext as _

    if rule.kind is RuleKind.RATIO_ABOVE and rule.dimension is not None:
        return _("Demand ÷ supply above %(limit)s for %(span)d consecutive %(periods)s, "
                 "by %(dimension)s", limit=f"{rule.threshold:g}", span=rule.span,
                 periods=_("quarters") if rule.period_kind is PeriodKind.QUARTER
                 else _("months"), dimension=str(rule.dimension.label))
    if rule.kind is RuleKind.HIRES_BELOW:
        return _("An order class that hired under %(share)s%% of its seats %(months)d months "
                 "after completion", share=f"{rule.threshold:g}", months=rule.span)
    return _("A demand without a supply scoring the recommendation threshold %(days)d days "
             "after publication", days=rule.span)


def _ratio_conditions(session: Session, rule: WarningRule, now: datetime,
                      zone: ZoneInfo) -> dict[str, Condition]:
    """Subjects whose demand ÷ supply exceeded the limit in each of the last `span`
    complete periods (no supply at all counts as exceeding it)."""
    assert rule.dimension is not None
    current = Period.containing(rule.period_kind, now.astimezone(zone).date())
    periods = [current.shifted(-back) for back in range(rule.span, 0, -1)]
    held: dict[str, list] | None = None
    labels: dict[str, str] = {}
    for period in periods:
        above = {}
        for row in balance(session, rule.dimension, period, zone).rows:
            if row.now.demand > 0 and (row.ratio is None or row.ratio > rule.threshold):
                above[row.key] = [period.code, row.now.demand, row.now.supply]
                labels[row.key] = row.label
        held = {key: [above[key]] for key in above} if held is None else {
            key: [*figures, above[key]] for key, figures in held.items() if key in above}
    return {f"{rule.dimension.value}:{key}": Condition(
                labels[key], {"periods": figures, "dimension": rule.dimension.value,
                              "key": key})
            for key, figures in (held or {}).items()}


def _unmatched_conditions(session: Session, rule: WarningRule,
                          now: datetime) -> dict[str, Condition]:
    ids = session.scalars(unanswered_demands(rule.span, now)).all()
    found = {}
    for posting in session.scalars(select(Posting).where(Posting.id.in_(ids))):
        found[f"posting:{posting.id}"] = Condition(
            f"{posting.title} · {posting.organization.name}",
            {"posting_id": posting.id, "days": rule.span})
    return found


def _hiring_conditions(session: Session, rule: WarningRule,
                       now: datetime) -> dict[str, Condition]:
    """Completed order classes, `span` months or more ago, that hired fewer than
    `threshold` % of the seats ordered."""
    completed_before = now - timedelta(days=rule.span * DAYS_A_MONTH)
    completions = select(ProposalEvent.proposal_id).where(
        ProposalEvent.action == "complete", ProposalEvent.created_at <= completed_before)
    found = {}
    for proposal in session.scalars(select(Proposal).where(
            Proposal.kind == CooperationKind.ORDER_TRAINING,
            Proposal.status == ProposalStatus.COMPLETED, Proposal.id.in_(completions))):
        ordered = int(proposal.terms_in_force.get("cohort_size") or 0)
        hired = proposal.fulfilment.hired if proposal.fulfilment else 0
        if ordered and 100 * hired / ordered < rule.threshold:
            found[f"proposal:{proposal.id}"] = Condition(
                f"{proposal.title} · {proposal.proposer.name}",
                {"proposal_id": proposal.id, "ordered": ordered, "hired": hired})
    return found


def conditions(session: Session, rule: WarningRule, now: datetime,
               zone: ZoneInfo) -> dict[str, Condition]:
    """Every subject for which the rule's condition holds now."""
    if rule.kind is RuleKind.RATIO_ABOVE:
        return _ratio_conditions(session, rule, now, zone)
    if rule.kind is RuleKind.HIRES_BELOW:
        return _hiring_conditions(session, rule, now)
    return _unmatched_conditions(session, rule, now)


def evaluate(session: Session, now: datetime, zone: ZoneInfo) -> list[MonitoringWarning]:
    """Check every active rule; returns the warnings that fired. A subject whose
    condition already has a warning (any state) does not fire again until the condition
    has ceased; the database's unique episode refuses a second firing by a parallel check."""
    fired = []
    for rule in session.scalars(select(WarningRule).where(WarningRule.is_active)
                                .order_by(WarningRule.id)):
        found = conditions(session, rule, now, zone)
        holding = {w.subject: w for w in session.scalars(select(MonitoringWarning).where(
            MonitoringWarning.rule_id == rule.id, MonitoringWarning.holds))}
        for subject, warning in holding.items():
            warning.holds, warning.checked_at = subject in found, now
        for subject, condition in found.items():
            if subject in holding:
                continue
            episodes = session.scalar(select(func.max(MonitoringWarning.episode)).where(
                MonitoringWarning.rule_id == rule.id,
                MonitoringWarning.subject == subject)) or 0
            warning = MonitoringWarning(rule_id=rule.id, subject=subject, episode=episodes + 1,
                                        label=condition.label[:300],
                                        figures=condition.figures, fired_at=now,
                                        checked_at=now)
            try:
                with session.begin_nested():
                    session.add(warning)
            except IntegrityError:
                continue  # a parallel check fired it first
            fired.append(warning)
    session.flush()
    coordinators = list(session.scalars(select(User).where(
        User.role == Role.COORDINATOR, User.active)))
    for warning in fired:
        tell(session, coordinators, events.FIRED, {"label": warning.label},
             warning_id=warning.id)
        warning_raised.send(warning, session=session)
    return fired


@job("monitoring.evaluate_warnings")
def run_evaluation() -> None:
    with write_session() as session:
        evaluate(session, utcnow(), city_zone(current_app.config))


# Every morning: Huey's schedule is in UTC, and 23:00 UTC is 07:00 in Asia/Shanghai.
periodic("monitoring.evaluate_warnings", hour="23", minute="0")


_NEXT_STATES = {
    "acknowledge": ({WarningState.NEW}, WarningState.ACKNOWLEDGED),
    "close": ({WarningState.NEW, WarningState.ACKNOWLEDGED, WarningState.RESPONDED},
              WarningState.CLOSED),
}


def act(session: Session, warning: MonitoringWarning, actor: User, action: str) -> None:
    """acknowledge (new → acknowledged) or close (any open state → closed)."""
    allowed, target = _NEXT_STATES[action]
    if warning.state not in allowed:
        raise WorkflowError(_l("This warning is %(state)s: it cannot be changed that way.",
                               state=warning.state.label))
    warning.state, warning.handled_by_id = target, actor.id
    if target is WarningState.ACKNOWLEDGED:
        warning.acknowledged_at = utcnow()
    else:
        warning.closed_at = utcnow()
    session.flush()


def respond(session: Session, warning: MonitoringWarning, actor: User, text: str) -> None:
    """Record what was done about it (响应): the warning is responded."""
    if warning.state is WarningState.CLOSED:
        raise WorkflowError(_l("This warning is closed."))
    text = text.strip()
    if not text:
        raise DomainError(_l("Say what was done."), field="response")
    if len(text) > RESPONSE_MAX:
        raise DomainError(_l("At most %(limit)d characters.", limit=RESPONSE_MAX),
                          field="response")
    warning.response = text if not warning.response else f"{warning.response}\n{text}"
    warning.state, warning.handled_by_id = WarningState.RESPONDED, actor.id
    warning.responded_at = warning.responded_at or utcnow()
    if warning.acknowledged_at is None:
        warning.acknowledged_at = utcnow()
    session.flush()


# --- responses to a shortage: who can answer it


def _shortage(warning: MonitoringWarning) -> tuple[Dimension, str] | None:
    if "dimension" not in warning.figures:
        return None
    return Dimension(warning.figures["dimension"]), warning.figures["key"]


def demanding_firms(session: Session, warning: MonitoringWarning) -> list[int]:
    """The firms whose live demands are counted under the shortage's subject."""
    shortage = _shortage(warning)
    if shortage is None:
        return [session.scalar(select(Posting.organization_id).where(
            Posting.id == warning.figures.get("posting_id")))] if warning.figures.get(
                "posting_id") else []
    dimension, key = shortage
    return list(session.scalars(
        select(Posting.organization_id).distinct()
        .join(PostingFacet, PostingFacet.posting_id == Posting.id)
        .where(PostingFacet.dimension == dimension, PostingFacet.key == key,
               Posting.kind.in_(DEMAND_KINDS), Posting.is_live_on(utcnow().date()))))


def _reach(dimension: Dimension, key: str) -> tuple[Dimension, str]:
    """What a university must teach to answer a shortage: for a major, anything of its
    专业类 (a 高职 programme answers a 本科 major's shortage in the same field)."""
    if dimension is Dimension.MAJOR:
        major = shipped_catalogue().majors.get(key)
        if major is not None:
            return Dimension.FIELD, major.field
    return dimension, key


def candidates(session: Session, warning: MonitoringWarning) -> list[Organization]:
    """Verified universities with a live curriculum in the same 专业类 (or teaching the
    skill) that have no partnership with any of the firms behind the shortage yet."""
    shortage = _shortage(warning)
    if shortage is None:
        return []
    dimension, key = _reach(*shortage)
    teaching = select(Posting.organization_id).join(
        PostingFacet, PostingFacet.posting_id == Posting.id).where(
        PostingFacet.dimension == dimension, PostingFacet.key == key,
        Posting.kind.in_(SUPPLY_KINDS), Posting.is_live_on(utcnow().date()))
    firms = demanding_firms(session, warning)
    partnered = select(Proposal.partner_org_id).where(
        Proposal.proposer_org_id.in_(firms), Proposal.status.in_(PARTNERED)).union(
        select(Proposal.proposer_org_id).where(
            Proposal.partner_org_id.in_(firms), Proposal.status.in_(PARTNERED)))
    invited = select(WarningInvitation.organization_id).where(
        WarningInvitation.warning_id == warning.id)
    return list(session.scalars(
        select(Organization).where(
            Organization.kind == OrgKind.UNIVERSITY, Organization.status == OrgStatus.VERIFIED,
            Organization.id.in_(teaching), Organization.id.not_in(partnered),
            Organization.id.not_in(invited))
        .order_by(Organization.name).limit(CANDIDATES_SHOWN)))


def invite(session: Session, warning: MonitoringWarning, actor: User,
           organization_ids: list[int]) -> list[WarningInvitation]:
    """Invite some of the candidates: an inbox message (and e-mail) to each one's members
    with the shortage and a link to the demands behind it. The warning is responded."""
    if warning.state is WarningState.CLOSED:
        raise WorkflowError(_l("This warning is closed."))
    allowed = {org.id: org for org in candidates(session, warning)}
    chosen = [allowed[i] for i in dict.fromkeys(organization_ids) if i in allowed]
    if not chosen:
        raise DomainError(_l("Choose at least one of the universities listed."),
                          field="organizations")
    shortage = _shortage(warning)
    assert shortage is not None
    demand, supply = (warning.figures["periods"][-1][1:] if warning.figures.get("periods")
                      else (0, 0))
    link = ({"skill": warning.label} if shortage[0] is Dimension.SKILL
            else {"major": warning.label})
    made = []
    for org in chosen:
        invitation = WarningInvitation(warning=warning, organization_id=org.id,
                                       invited_by_id=actor.id)
        session.add(invitation)
        made.append(invitation)
        tell(session, [m for m in org.members if m.active], events.INVITED,
             {"label": warning.label, "demand": demand, "supply": supply}, **link)
    names = "、".join(org.name for org in chosen)
    respond(session, warning, actor, str(_l("Invited %(names)s to answer the shortage.",
                                            names=names)))
    return made


def followed(session: Session, invitation: WarningInvitation) -> int:
    """Proposals the invited university made or received with the firms behind the
    shortage since it was invited."""
    firms = demanding_firms(session, invitation.warning)
    university = invitation.organization_id
    return session.scalar(select(func.count()).select_from(Proposal).where(
        Proposal.created_at >= invitation.invited_at,
        or_((Proposal.proposer_org_id == university) & Proposal.partner_org_id.in_(firms),
            (Proposal.partner_org_id == university) & Proposal.proposer_org_id.in_(firms)))) \
        or 0


def in_state(session: Session, state: WarningState | None) -> list[MonitoringWarning]:
    statement = select(MonitoringWarning).order_by(MonitoringWarning.fired_at.desc(),
                                                   MonitoringWarning.id.desc()).limit(200)
    if state is not None:
        statement = statement.where(MonitoringWarning.state == state)
    return list(session.scalars(statement))


def rules(session: Session) -> list[WarningRule]:
    return list(session.scalars(select(WarningRule).order_by(WarningRule.id)))
