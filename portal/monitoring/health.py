"""Partnership health: the order-based training funnel (ordered → enrolled → completed →
hired → retained) by district, partnerships by kind, dual-mentor hours delivered, and the
time from proposal to approval."""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import OrgKind
from portal.agreements.models import CertificateStatus, MentorCertificate
from portal.cooperation.models import CooperationKind, Proposal, ProposalStatus

STAGES = ("ordered", "enrolled", "completed", "hired", "retained")
STAGE_NAMES = {"ordered": _l("Ordered"), "enrolled": _l("Enrolled"),
               "completed": _l("Completed"), "hired": _l("Hired"), "retained": _l("Retained")}
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
        return _percent(self.counts[stage], self.counts[STAGES[STAGES.index(stage) - 1]])


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


@dataclass
class KindFigures:
    """How the proposals of one kind fared: proposed → approved → completed."""

    kind: CooperationKind
    proposed: int = 0  # every proposal, whatever its state
    approved: int = 0
    completed: int = 0

    @property
    def approval_rate(self) -> float | None:
        return _percent(self.approved, self.proposed)

    @property
    def completion_rate(self) -> float | None:
        return _percent(self.completed, self.approved)


@dataclass
class Health:
    funnel: Funnel
    by_district: list[Funnel]
    by_kind: list[KindFigures]
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
    by_kind = {kind: KindFigures(kind) for kind in CooperationKind}
    for kind, status, count in session.execute(
            select(Proposal.kind, Proposal.status, func.count())
            .group_by(Proposal.kind, Proposal.status)):
        figures = by_kind[kind]
        figures.proposed += count
        figures.approved += count if status in APPROVED else 0
        figures.completed += count if status is ProposalStatus.COMPLETED else 0
    hours = dict(session.execute(select(MentorCertificate.status,
                                        func.coalesce(func.sum(MentorCertificate.hours), 0))
                                 .group_by(MentorCertificate.status)).all())
    waits = [(approved - created).total_seconds() / 86400 for created, approved in
             session.execute(select(Proposal.created_at, Proposal.approved_at).where(
                 Proposal.approved_at.is_not(None)))]
    return Health(
        total, sorted(districts.values(), key=lambda f: (-f.partnerships, f.name)),
        list(by_kind.values()),
        int(hours.get(CertificateStatus.COUNTERSIGNED, 0)),
        int(hours.get(CertificateStatus.PENDING, 0)),
        (statistics.median(waits), _percentile(waits, 0.9), len(waits)) if waits else None)
