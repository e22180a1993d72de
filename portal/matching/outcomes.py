"""Learning from outcomes: every signal members give becomes a labelled pair, the engine
is scored on them, and its weights may be refitted from them.

Positive: a proposal made between a demand and a supply posting (from a match, or
naming both), the stronger when the partnership was approved or completed. Negative: a
recommendation dismissed with a reason, a proposal the other side declined. The newest
signal of a pair decides. Withdrawn, rejected and terminated proposals say nothing about
the fit of the two postings and are left out.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cooperation.models import Proposal, ProposalStatus
from portal.matching import fitting
from portal.matching.models import MatchDismissal, MatchEvaluation
from portal.matching.scoring import SupplyIndex
from portal.matching.services import (
    MIN_RECOMMENDATION_SCORE,
    analysed,
    live_analysed,
    tools,
)
from portal.matching.weights import current_weights
from portal.postings.models import Posting, PostingKind

POSITIVE_STATUSES = {
    ProposalStatus.PROPOSED: "proposed", ProposalStatus.PENDING_APPROVAL: "proposed",
    ProposalStatus.RETURNED: "proposed", ProposalStatus.ACTIVE: "approved",
    ProposalStatus.SUSPENDED: "approved", ProposalStatus.COMPLETED: "completed",
}
NEGATIVE_STATUSES = {ProposalStatus.DECLINED: "declined"}
# The newest outcomes scored at once: bounded work however long the portal runs.
MAX_OUTCOMES = 5000
# A pair counts as recommended when it is among the first this many a page shows.
SHOWN = 5
RANKED = 20
# A refit needs this many positive outcomes, or it would fit noise.
MIN_POSITIVES_TO_REFIT = 20


@dataclass(frozen=True)
class Outcome:
    demand_id: int
    supply_id: int
    positive: bool
    source: str  # "proposed", "approved", "completed", "dismissed" or "declined"
    at: datetime


@dataclass
class Figures:
    pairs: int
    positives: int
    negatives: int
    precision: float | None  # of the labelled pairs recommended, the share that are positive
    recall: float | None  # of the positive pairs, the share recommended
    mrr: float | None  # 1 / rank of each demand's first positive, averaged

    def as_dict(self) -> dict:
        return asdict(self)


def outcomes(session: Session, limit: int = MAX_OUTCOMES) -> list[Outcome]:
    """The newest `limit` labelled pairs, one per (demand, supply), newest signal first."""
    found: list[Outcome] = []
    statuses = {**POSITIVE_STATUSES, **NEGATIVE_STATUSES}
    for proposal in session.scalars(
            select(Proposal).where(Proposal.demand_posting_id.is_not(None),
                                   Proposal.supply_posting_id.is_not(None),
                                   Proposal.status.in_(statuses))
            .order_by(Proposal.updated_at.desc()).limit(limit)):
        found.append(Outcome(proposal.demand_posting_id, proposal.supply_posting_id,
                             proposal.status in POSITIVE_STATUSES, statuses[proposal.status],
                             proposal.updated_at))
    rows = session.execute(
        select(MatchDismissal, Posting.kind).join(Posting,
                                                  Posting.id == MatchDismissal.posting_id)
        .order_by(MatchDismissal.created_at.desc()).limit(limit))
    for dismissal, kind in rows:
        # Either side may dismiss; the pair is always (demand, supply).
        demand, supply = ((dismissal.posting_id, dismissal.other_posting_id) if kind.is_demand
                          else (dismissal.other_posting_id, dismissal.posting_id))
        found.append(Outcome(demand, supply, False, "dismissed", dismissal.created_at))
    newest: dict[tuple[int, int], Outcome] = {}
    for outcome in sorted(found, key=lambda o: o.at, reverse=True):
        newest.setdefault((outcome.demand_id, outcome.supply_id), outcome)
    return list(newest.values())[:limit]


class Scorer:
    """The labelled pairs' postings analysed once, ranked again for any weights: each
    demand against every live compatible supply and the labelled ones."""

    def __init__(self, session: Session, labelled: list[Outcome]) -> None:
        self.labelled = labelled
        current = tools(session)
        self.current = current
        ids = {o.demand_id for o in labelled} | {o.supply_id for o in labelled}
        postings = {p.id: p for p in session.scalars(select(Posting).where(Posting.id.in_(ids)))}
        self.demands = [analysed(p, current) for p in postings.values() if p.kind.is_demand]
        supplies = {a.doc.ref: a for a in live_analysed(
            session, current, {kind for kind in PostingKind if not kind.is_demand})}
        for posting in postings.values():
            if not posting.kind.is_demand:
                supplies.setdefault(str(posting.id), analysed(posting, current))
        self.supplies = list(supplies.values())

    def figures(self, weights: dict[str, float] | None = None) -> Figures:
        positives = [o for o in self.labelled if o.positive]
        negatives = [o for o in self.labelled if not o.positive]
        ranks: dict[tuple[int, int], int] = {}
        if self.demands and self.supplies:
            index = SupplyIndex(self.supplies, self.current.taxonomy, self.current.segmenter,
                                corpus=self.demands, weights=weights)
            for demand, matches in index.rank(self.demands, top=RANKED).items():
                for place, match in enumerate(matches):
                    if match.score >= MIN_RECOMMENDATION_SCORE:
                        ranks[(int(demand), int(match.supply))] = place

        def shown(outcome: Outcome) -> bool:
            return ranks.get((outcome.demand_id, outcome.supply_id), RANKED) < SHOWN

        hits = sum(shown(o) for o in positives)
        false = sum(shown(o) for o in negatives)
        first: dict[int, int] = {}
        for o in positives:
            place = ranks.get((o.demand_id, o.supply_id))
            first[o.demand_id] = min(first.get(o.demand_id, RANKED),
                                     place if place is not None else RANKED)
        return Figures(
            pairs=len(self.labelled), positives=len(positives), negatives=len(negatives),
            precision=hits / (hits + false) if hits + false else None,
            recall=hits / len(positives) if positives else None,
            mrr=(sum(1 / (place + 1) if place < RANKED else 0.0 for place in first.values())
                 / len(first)) if first else None)

    def objective(self, weights: dict[str, float]) -> float:
        """What a refit raises: positives found early, dismissed pairs kept off the page."""
        figures = self.figures(weights)
        negatives_shown = 1 - (figures.precision if figures.precision is not None else 1)
        return (figures.mrr or 0.0) - 0.5 * negatives_shown


def evaluate(session: Session, trigger: str) -> MatchEvaluation:
    """Score the engine as it is on the members' outcomes and keep the figures."""
    figures = Scorer(session, outcomes(session)).figures()
    return record(session, figures, trigger, current_weights())


def record(session: Session, figures: Figures, trigger: str,
           weights: dict[str, float]) -> MatchEvaluation:
    evaluation = MatchEvaluation(trigger=trigger, weights=weights, **figures.as_dict())
    session.add(evaluation)
    session.flush()
    return evaluation


@dataclass
class Refit:
    before: Figures
    after: Figures
    weights_before: dict[str, float]
    weights_after: dict[str, float]


class TooFewOutcomes(ValueError):
    pass


def refit(session: Session) -> Refit:
    """New weights fitted to the members' outcomes by the shared procedure; not saved."""
    labelled = outcomes(session)
    positives = sum(o.positive for o in labelled)
    if positives < MIN_POSITIVES_TO_REFIT:
        raise TooFewOutcomes(f"{positives} positive outcomes; a refit needs at least "
                             f"{MIN_POSITIVES_TO_REFIT}")
    scorer = Scorer(session, labelled)
    start = current_weights()
    fitted = fitting.fit(scorer.objective, start)
    return Refit(scorer.figures(start), scorer.figures(fitted), start, fitted)


def history(session: Session, limit: int = 12) -> list[MatchEvaluation]:
    return list(session.scalars(select(MatchEvaluation)
                                .order_by(MatchEvaluation.id.desc()).limit(limit)))
