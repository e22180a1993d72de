"""What monitoring counts a posting under: its majors, 专业类 and canonical skills."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Organization, User
from portal.db import Base, UTCDateTime, enum_type, utcnow
from portal.enums import LabelledEnum
from portal.monitoring.periods import PeriodKind


class Dimension(LabelledEnum):
    """What the balance table is aggregated by."""

    MAJOR = "major", _l("Major")
    FIELD = "field", _l("Major class (专业类)")
    SKILL = "skill", _l("Skill")


class PostingFacet(Base):
    """One major, 专业类 or skill a posting counts under (a demand may name several).
    Derived from the posting by `portal.monitoring.facets`, rewritten when it changes."""

    __tablename__ = "posting_facets"
    __table_args__ = (
        Index("ix_posting_facets_dimension_key", "dimension", "key"),
        # The balance of a period reads this range alone: every column it sums is in the
        # index, so neither a posting nor the facet's own row is read per entry.
        Index("ix_posting_facets_period", "dimension", "published_at", "key", "is_demand",
              "people", "label"),
    )

    posting_id: Mapped[int] = mapped_column(
        ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    dimension: Mapped[Dimension] = mapped_column(enum_type(Dimension), primary_key=True)
    # Stable key (the catalogue major's name, the 专业类 field key, the taxonomy concept or
    # the skill tag) and the name people read.
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    # Copies of the posting's own figures, rewritten with the facets whenever it changes:
    # when it was published, which side it is on and how many people it counts.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_demand: Mapped[bool] = mapped_column(default=False, server_default=false())
    people: Mapped[int] = mapped_column(default=0, server_default="0")

    def __repr__(self) -> str:
        return f"<PostingFacet {self.posting_id} {self.dimension.value}:{self.key}>"


class PostingTerm(Base):
    """A word a demand lists beside known skills that the vocabulary does not know
    (`portal.monitoring.vocabulary`): candidate vocabulary, rewritten with the facets."""

    __tablename__ = "posting_terms"
    __table_args__ = (Index("ix_posting_terms_published_term", "published_at", "term"),)

    posting_id: Mapped[int] = mapped_column(
        ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(String(50), primary_key=True)
    # A copy of the posting's publication time, kept in step like the facets' copies.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<PostingTerm {self.posting_id} {self.term}>"


class RuleKind(LabelledEnum):
    RATIO_ABOVE = "ratio_above", _l("Demand ÷ supply above a limit for consecutive periods")
    UNMATCHED_FOR = "unmatched_for", _l("A demand without a fitting supply for some days")
    HIRES_BELOW = "hires_below", _l("An order class hiring below a share of its seats")


class WarningRule(Base):
    """A condition coordinators want to be warned of (预警规则), checked by a daily job."""

    __tablename__ = "warning_rules"
    __table_args__ = (CheckConstraint("span >= 1", name="span_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RuleKind] = mapped_column(enum_type(RuleKind))
    # Ratio rules: what is aggregated, over which periods, above which ratio.
    dimension: Mapped[Dimension | None] = mapped_column(enum_type(Dimension))
    period_kind: Mapped[PeriodKind] = mapped_column(enum_type(PeriodKind),
                                                    default=PeriodKind.MONTH)
    threshold: Mapped[float] = mapped_column(default=2.0)
    # Consecutive periods (ratio rules) or days (unanswered demands).
    span: Mapped[int] = mapped_column(default=2)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    warnings: Mapped[list[MonitoringWarning]] = relationship(
        back_populates="rule", cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<WarningRule {self.id} {self.kind.value}>"


class WarningState(LabelledEnum):
    NEW = "new", _l("New")
    ACKNOWLEDGED = "acknowledged", _l("Acknowledged")
    RESPONDED = "responded", _l("Responded")
    CLOSED = "closed", _l("Closed")


class MonitoringWarning(Base):
    """One firing of a rule for one subject (a 专业类, a posting…). A rule fires once for
    a subject while its condition holds; after the condition has ceased, a new episode
    may fire. The unique episode number lets the database refuse a second firing."""

    __tablename__ = "monitoring_warnings"
    __table_args__ = (UniqueConstraint("rule_id", "subject", "episode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("warning_rules.id", ondelete="CASCADE"),
                                         index=True)
    subject: Mapped[str] = mapped_column(String(140))  # "field:computing", "posting:12"
    episode: Mapped[int] = mapped_column(default=1)
    label: Mapped[str] = mapped_column(String(300))
    # The figures that made it fire: {"periods": [[code, demand, supply]…]} or a posting's.
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[WarningState] = mapped_column(enum_type(WarningState),
                                                default=WarningState.NEW)
    holds: Mapped[bool] = mapped_column(default=True)  # the condition, at the last check
    fired_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    response: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    rule: Mapped[WarningRule] = relationship(back_populates="warnings")
    handled_by: Mapped[User | None] = relationship()
    invitations: Mapped[list[WarningInvitation]] = relationship(
        back_populates="warning", cascade="all, delete-orphan", passive_deletes=True,
        order_by="WarningInvitation.id")

    def can_view(self, user: User | None) -> bool:
        return bool(user and user.is_authenticated and user.is_coordinator)

    def __repr__(self) -> str:
        return f"<MonitoringWarning {self.id} {self.subject} {self.state.value}>"


class WarningInvitation(Base):
    """A university invited to answer a shortage warning (响应)."""

    __tablename__ = "warning_invitations"
    __table_args__ = (UniqueConstraint("warning_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_warnings.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)

    warning: Mapped[MonitoringWarning] = relationship(back_populates="invitations")
    organization: Mapped[Organization] = relationship()

    def __repr__(self) -> str:
        return f"<WarningInvitation {self.warning_id} org={self.organization_id}>"


class MonitoringReport(Base):
    """A published quarterly analysis (产教供需分析报告): its PDF is stored as rendered and
    listed on the public reports page."""

    __tablename__ = "monitoring_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(10))  # 2026-Q3
    district: Mapped[str] = mapped_column(String(50), default="")  # "" for the whole city
    stored_name: Mapped[str] = mapped_column(String(80))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<MonitoringReport {self.id} {self.period} {self.district!r}>"
