"""Partnership health: the order-based training funnel (ordered → enrolled → completed →
hired → retained) by district, partnerships by kind, dual-mentor hours delivered, and the
time from proposal to approval."""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import OrgKind
from portal.agreements.models import CertificateStatus, MentorCertificate
from portal.cooperation.models import CooperationKind, Proposal, ProposalStatus

STAGES = ("ordered", "enrolled", "completed", "hired", "retained")
# Partnerships that were approved, whatever became of them since.
APPROVED = (ProposalStatus.ACTIVE, ProposalStatus.SUSPENDED, ProposalStatus.COMPLETED,
            ProposalStatus.TERMINATED)


@dataclass
class Funnel:
    name: str
    partnerships: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))

    def rate(self, stage: str) -> float | None:
        """This stage as a share of the one before it, in %."""
        before = self.counts[STAGES[STAGES.index(stage) - 1]]
        return 100 * self.counts[stage] / before if before else None


@dataclass
class Health:
    funnel: Funnel
    by_district: list[Funnel]
    by_kind: list[tuple[CooperationKind, int, int]]  # kind, approved, completed
    mentor_hours: int
    pending_hours: int
    approval_days: tuple[float, float, int] | None  # median, 90th percentile, how many


def _enterprise_district(proposal: Proposal) -> str:
    firm = proposal.proposer if proposal.proposer.kind is OrgKind.ENTERPRISE else \
        proposal.partner
    return firm.district


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def health(session: Session) -> Health:
    orders = session.scalars(select(Proposal).where(
        Proposal.kind == CooperationKind.ORDER_TRAINING, Proposal.status.in_(APPROVED))
        .options(selectinload(Proposal.versions), selectinload(Proposal.fulfilment),
                 selectinload(Proposal.proposer), selectinload(Proposal.partner)))
    total, districts = Funnel(""), {}
    for proposal in orders:
        ordered = int(proposal.terms_in_force.get("cohort_size") or 0)
        done = proposal.fulfilment
        values = {"ordered": ordered, "enrolled": done.enrolled if done else 0,
                  "completed": done.completed if done else 0,
                  "hired": done.hired if done else 0, "retained": done.retained if done else 0}
        district = _enterprise_district(proposal)
        for funnel in (total, districts.setdefault(district, Funnel(district))):
            funnel.partnerships += 1
            for stage, value in values.items():
                funnel.counts[stage] += value
    by_kind = []
    for kind in CooperationKind:
        approved = session.scalar(select(func.count()).select_from(Proposal).where(
            Proposal.kind == kind, Proposal.status.in_(APPROVED))) or 0
        completed = session.scalar(select(func.count()).select_from(Proposal).where(
            Proposal.kind == kind, Proposal.status == ProposalStatus.COMPLETED)) or 0
        by_kind.append((kind, approved, completed))
    hours = dict(session.execute(select(MentorCertificate.status,
                                        func.coalesce(func.sum(MentorCertificate.hours), 0))
                                 .group_by(MentorCertificate.status)).all())
    waits = [(approved - created).total_seconds() / 86400 for created, approved in
             session.execute(select(Proposal.created_at, Proposal.approved_at).where(
                 Proposal.approved_at.is_not(None)))]
    return Health(
        total, sorted(districts.values(), key=lambda f: (-f.partnerships, f.name)), by_kind,
        int(hours.get(CertificateStatus.COUNTERSIGNED, 0)),
        int(hours.get(CertificateStatus.PENDING, 0)),
        (statistics.median(waits), _percentile(waits, 0.9), len(waits)) if waits else None)
