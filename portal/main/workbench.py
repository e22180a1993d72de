"""What awaits each person after sign-in (工作台): a member's to-dos, new matches, drafts
and postings about to expire; a coordinator's queues, oldest first. Each item links to
the page where it is done; the rules of who acts live in the domains' own services."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import Organization, OrgKind, OrgStatus, User
from portal.accounts.services import organizations_by_status
from portal.agreements.models import Agreement, AgreementStatus, MentorCertificate, SignedScan
from portal.agreements.register import awaiting_countersignature
from portal.cooperation.models import CooperationKind, Proposal, ProposalStatus
from portal.cooperation.services import approval_queue
from portal.db import utcnow
from portal.matching.store import Recommendation, recommendations_for
from portal.postings.models import Posting, PostingStatus
from portal.postings.search import postings_by_id

# Postings whose deadline falls within this many days are shown as about to expire.
EXPIRING_WITHIN = timedelta(days=14)
MATCHES_SHOWN = 6
# Matches worth a to-do: stronger than the lists' recommendation threshold.
WORKBENCH_MIN_SCORE = 30
DRAFTS_SHOWN = 10
QUEUE_SHOWN = 20
# Proposals waiting on the organisation's answer, and on what.
AWAITING_ANSWER = (ProposalStatus.PROPOSED, ProposalStatus.RETURNED)
ACTIVE = (ProposalStatus.ACTIVE, ProposalStatus.SUSPENDED)


@dataclass
class NewMatch:
    mine: Posting
    recommendation: Recommendation
    is_new: bool  # the other posting was published since the member's last visit


@dataclass
class MemberWorkbench:
    awaiting_answer: list[Proposal]
    to_sign: list[Agreement]  # in force, without our signed scan
    certificates_to_file: list[Proposal]  # dual-mentor partnerships with none filed
    matches: list[NewMatch]
    drafts: list[Posting]
    expiring: list[Posting]
    published: int
    partnerships: int

    @property
    def to_do(self) -> int:
        return len(self.awaiting_answer) + len(self.to_sign) + len(self.certificates_to_file)


def _ours(org_id: int):  # noqa: ANN202 - a SQL condition
    return or_(Proposal.proposer_org_id == org_id, Proposal.partner_org_id == org_id)


def _to_sign(session: Session, org_id: int) -> list[Agreement]:
    signed_by_us = select(SignedScan.id).join(User, User.id == SignedScan.uploaded_by_id) \
        .where(SignedScan.agreement_id == Agreement.id, User.organization_id == org_id)
    return list(session.scalars(
        select(Agreement).join(Proposal, Proposal.id == Agreement.proposal_id)
        .where(_ours(org_id), Agreement.status == AgreementStatus.ACTIVE,
               Agreement.signed_at.is_(None), ~signed_by_us.exists())
        .options(selectinload(Agreement.proposal)).order_by(Agreement.issued_at)))


def _certificates_to_file(session: Session, org: Organization) -> list[Proposal]:
    if org.kind is not OrgKind.UNIVERSITY:  # the university files the mentors' hours
        return []
    filed = select(MentorCertificate.id).where(MentorCertificate.proposal_id == Proposal.id)
    return list(session.scalars(
        select(Proposal).where(_ours(org.id), Proposal.kind == CooperationKind.DUAL_MENTOR,
                               Proposal.status.in_(ACTIVE), ~filed.exists())
        .order_by(Proposal.approved_at)))


def _matches(session: Session, live: list[Posting], seen_at: datetime | None) -> list[NewMatch]:
    """Our live postings' recommendations not yet proposed on, newest counterparts first."""
    ids = [p.id for p in live]
    proposed = set(session.execute(
        select(Proposal.demand_posting_id, Proposal.supply_posting_id).where(
            or_(Proposal.demand_posting_id.in_(ids), Proposal.supply_posting_id.in_(ids)))))
    found = []
    best = recommendations_for(session, live, top=3)
    by_id = {p.id: p for p in live}
    for posting_id, recs in best.items():
        mine = by_id[posting_id]
        for rec in recs:
            demand, supply = (mine, rec.posting) if mine.kind.is_demand else (rec.posting, mine)
            if (demand.id, supply.id) in proposed or rec.match.score < WORKBENCH_MIN_SCORE:
                continue
            published = rec.posting.published_at
            found.append(NewMatch(mine, rec, seen_at is None or (
                published is not None and published > seen_at)))
    found.sort(key=lambda m: (not m.is_new, -m.recommendation.match.score,
                              m.recommendation.posting.id))
    return found[:MATCHES_SHOWN]


def member_workbench(session: Session, user: User, today: date) -> MemberWorkbench:
    org = user.organization
    postings = list(session.scalars(select(Posting).where(Posting.organization_id == org.id)))
    live = [p for p in postings if p.is_live_on(today)]
    return MemberWorkbench(
        awaiting_answer=list(session.scalars(
            select(Proposal).where(Proposal.awaiting_org_id == org.id,
                                   Proposal.status.in_(AWAITING_ANSWER))
            .order_by(Proposal.updated_at))),
        to_sign=_to_sign(session, org.id),
        certificates_to_file=_certificates_to_file(session, org),
        matches=_matches(session, live, user.workbench_seen_at),
        drafts=sorted((p for p in postings if p.status is PostingStatus.DRAFT),
                      key=lambda p: p.updated_at, reverse=True)[:DRAFTS_SHOWN],
        expiring=sorted((p for p in live if p.deadline is not None
                         and p.deadline <= today + EXPIRING_WITHIN), key=lambda p: p.deadline),
        published=len(live),
        partnerships=session.scalar(select(func.count()).select_from(Proposal).where(
            _ours(org.id), Proposal.status.in_(ACTIVE))) or 0)


def mark_seen(user: User) -> None:
    """Matches published from now on count as new at the next visit."""
    user.workbench_seen_at = utcnow()


@dataclass
class Queue:
    """Items awaiting coordinators, oldest first, each with the time it began waiting."""

    total: int
    shown: list[tuple[object, datetime]]

    @classmethod
    def of(cls, items: list[tuple[object, datetime | None]]) -> Queue:
        ordered = sorted(((item, since or utcnow()) for item, since in items),
                         key=lambda pair: pair[1])
        return cls(len(ordered), ordered[:QUEUE_SHOWN])


@dataclass
class CoordinatorWorkbench:
    organizations: Queue
    approvals: Queue
    certificates: Queue
    flagged: Queue


def _flagged(session: Session, today: date) -> Queue:
    """Live postings the diagnosis flagged: their ids and times read from
    ix_postings_flagged_live alone (with ORDER BY the planner walks every published
    posting instead, taking half of them for flagged), then the oldest few postings."""
    # "= true", not "IS true": an index is searched by equality.
    now = utcnow()
    waiting = sorted(((at or now, posting_id) for at, posting_id in session.execute(
        select(Posting.published_at, Posting.id).where(
            Posting.is_flagged == true(), Posting.is_live_on(today)))))
    found = postings_by_id(session, [posting_id for _at, posting_id in waiting[:QUEUE_SHOWN]])
    return Queue(len(waiting), [(found[posting_id], at)
                                for at, posting_id in waiting[:QUEUE_SHOWN]])


def coordinator_workbench(session: Session, today: date) -> CoordinatorWorkbench:
    return CoordinatorWorkbench(
        organizations=Queue.of([(org, org.submitted_at) for org in
                                organizations_by_status(session, OrgStatus.PENDING)]),
        approvals=Queue.of([(p, p.updated_at) for p in approval_queue(session)]),
        certificates=Queue.of([(c, c.filed_at) for c in awaiting_countersignature(session)]),
        flagged=_flagged(session, today))
