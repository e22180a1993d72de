"""Synonyms coordinators add to the taxonomy, and matches members dismissed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.db import Base, utcnow


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
