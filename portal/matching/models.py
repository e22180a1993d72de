"""Synonyms coordinators add, stored matches, their recompute runs, and dismissals."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.db import Base, enum_type, utcnow
from portal.enums import LabelledEnum


class SkillSynonym(Base):
    """Another word for a taxonomy concept (skill or major), e.g. 走心机 for CNC."""

    __tablename__ = "skill_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[str] = mapped_column(String(50), index=True)
    # Normalised (NFKC, simplified, lower case), unique: a word means one concept.
    alias: Mapped[str] = mapped_column(String(50), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<SkillSynonym {self.alias} -> {self.concept_id}>"


class MatchDismissal(Base):
    """A member's "not a fit" for a recommended posting, with the reason (feedback)."""

    __tablename__ = "match_dismissals"
    __table_args__ = (UniqueConstraint("posting_id", "other_posting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"),
                                            index=True)
    other_posting_id: Mapped[int] = mapped_column(
        ForeignKey("postings.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    dismissed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<MatchDismissal {self.posting_id} x {self.other_posting_id}>"


class PostingMatch(Base):
    """A scored demand–supply pair kept for both postings' match lists, with the reasons.
    Each posting keeps its own best pairs; reads order by score and take the few shown."""

    __tablename__ = "posting_matches"
    __table_args__ = (
        UniqueConstraint("demand_id", "supply_id"),
        Index("ix_posting_matches_demand_score", "demand_id", "score"),
        Index("ix_posting_matches_supply_score", "supply_id", "score"),
        # The coordinators' list of every pair, best first, read in this order.
        Index("ix_posting_matches_score", "score", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"))
    supply_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"))
    score: Mapped[float]
    # {"components": {name: points}, "matched": [[concept, said, offered]],
    #  "missing": [[concept, said]]}
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<PostingMatch {self.demand_id} x {self.supply_id} {self.score}>"


class MatchRunStatus(LabelledEnum):
    QUEUED = "queued", _l("Queued")
    RUNNING = "running", _l("Running")
    DONE = "done", _l("Finished")
    FAILED = "failed", _l("Failed")


class MatchRun(Base):
    """One full recompute of every match (a background job), with its progress."""

    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[MatchRunStatus] = mapped_column(enum_type(MatchRunStatus),
                                                  default=MatchRunStatus.QUEUED)
    stage: Mapped[str] = mapped_column(String(30), default="")
    progress: Mapped[int] = mapped_column(default=0)  # percent
    postings: Mapped[int] = mapped_column(default=0)
    pairs: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # Written every few seconds while a worker runs it: a run whose beat stopped died
    # with its worker (matching.jobs marks it failed, and it can be asked for again).
    heartbeat_at: Mapped[datetime | None]

    requested_by: Mapped[User | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in (MatchRunStatus.QUEUED, MatchRunStatus.RUNNING)

    def __repr__(self) -> str:
        return f"<MatchRun {self.id} {self.status.value} {self.progress}%>"


class MatchRunBlock(Base):
    """One block of a recompute split over several workers: a share of the demands,
    scored against every supply. The run is stored when all its blocks are done."""

    __tablename__ = "match_run_blocks"
    __table_args__ = (UniqueConstraint("run_id", "block"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_runs.id", ondelete="CASCADE"))
    block: Mapped[int]
    done: Mapped[bool] = mapped_column(default=False)
    finished_at: Mapped[datetime | None]


class MatchBlockPair(Base):
    """A pair a block found: in its demand's list (complete: the block scored that demand
    against every supply) and/or among its supply's best demands of this block (merged
    with the other blocks' when the run is stored)."""

    __tablename__ = "match_block_pairs"
    __table_args__ = (Index("ix_match_block_pairs_run_block", "run_id", "block"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_runs.id", ondelete="CASCADE"))
    block: Mapped[int]
    demand_id: Mapped[int]
    supply_id: Mapped[int]
    score: Mapped[float]
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    for_demand: Mapped[bool]
    for_supply: Mapped[bool]


class MatchEvaluation(Base):
    """The engine scored on members' outcomes (dismissals, proposals, partnerships) at one
    moment: kept so coordinators see the precision over time."""

    __tablename__ = "match_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # What asked for it: "recompute", "command" or "refit".
    trigger: Mapped[str] = mapped_column(String(20))
    pairs: Mapped[int]
    positives: Mapped[int]
    negatives: Mapped[int]
    # None where nothing was recommended among the labelled pairs (or no positives).
    precision: Mapped[float | None]
    recall: Mapped[float | None]
    mrr: Mapped[float | None]
    weights: Mapped[dict[str, Any]] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<MatchEvaluation {self.id} {self.trigger} p={self.precision}>"
