"""Postings: the three enterprise demands and two university supplies, with their history."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    and_,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Organization, OrgKind, User
from portal.db import Base, enum_type, utcnow
from portal.enums import LabelledEnum


class PostingKind(LabelledEnum):
    TALENT_DEMAND = "talent_demand", _l("Talent demand")
    TRAINING_ORDER = "training_order", _l("Order-based training")
    RESEARCH_TOPIC = "research_topic", _l("Research topic")
    CURRICULUM = "curriculum", _l("Programme and courses")
    MENTOR_OFFER = "mentor_offer", _l("Dual-mentor offer")

    @property
    def is_demand(self) -> bool:
        return self in (PostingKind.TALENT_DEMAND, PostingKind.TRAINING_ORDER,
                        PostingKind.RESEARCH_TOPIC)

    @property
    def side(self) -> OrgKind:
        """Which kind of organisation publishes this."""
        return OrgKind.ENTERPRISE if self.is_demand else OrgKind.UNIVERSITY

    @classmethod
    def for_side(cls, side: OrgKind) -> list[PostingKind]:
        return [kind for kind in cls if kind.side is side]


class PostingStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")
    CLOSED = "closed", _l("Closed")
    EXPIRED = "expired", _l("Expired")


class EducationLevel(LabelledEnum):
    """Education level asked for (demands) or taught (curricula)."""

    SECONDARY_VOCATIONAL = "secondary_vocational", _l("Secondary vocational (中职)")
    HIGHER_VOCATIONAL = "higher_vocational", _l("Higher vocational (高职/大专)")
    BACHELOR = "bachelor", _l("Bachelor (本科)")
    MASTER = "master", _l("Master (硕士)")
    DOCTORATE = "doctorate", _l("Doctorate (博士)")

    @property
    def rank(self) -> int:
        return list(EducationLevel).index(self)


class Posting(Base):
    __tablename__ = "postings"
    __table_args__ = (
        # Everything but a draft has been published at some time.
        CheckConstraint(
            "(status = 'draft') = (published_at IS NULL)", name="published_has_time"
        ),
        CheckConstraint("headcount IS NULL OR headcount >= 0", name="headcount_not_negative"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),
        CheckConstraint("hire_count IS NULL OR hire_count >= 0", name="hires_not_negative"),
        CheckConstraint(
            "salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max",
            name="salary_range",
        ),
        CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR start_date <= end_date", name="date_range"
        ),
        Index("ix_postings_kind_status", "kind", "status"),
        # Browsing lists live postings newest first: read in this index's order (scanned
        # backwards), not sorted afresh over every live posting for each page.
        Index("ix_postings_status_published", "status", "published_at", "id"),
        # Live postings of some kinds published before a day (monitoring's unanswered
        # demand and supply; curricula with graduates): read from the index alone, not
        # from rows of ~1.5 KB each.
        Index("ix_postings_kind_live", "kind", "status", "published_at", "deadline", "id",
              "capacity"),
        # Flagged live postings, counted and the oldest read, for coordinators' workbench.
        Index("ix_postings_flagged_live", "is_flagged", "status", "published_at", "deadline",
              "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PostingKind] = mapped_column(enum_type(PostingKind))
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[PostingStatus] = mapped_column(
        enum_type(PostingStatus), default=PostingStatus.DRAFT
    )
    # The `ref` of a bulk import source; re-importing the same ref updates this posting.
    external_ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    # How long each text may be, wherever it comes from (a form, an import); the columns
    # above and below are sized to match. A details text may be DETAIL_TEXT_MAX long.
    TEXT_LIMITS = {"title": 200, "description": 10_000, "major": 200, "district": 50,
                   "industry": 100, "skills": 2_000, "courses": 5_000, "ref": 100}
    DETAIL_TEXT_MAX = 5_000

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Skills as the author wrote them, and their normalised tags (PostingSkill) for search.
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    courses: Mapped[list[str]] = mapped_column(JSON, default=list)
    major: Mapped[str] = mapped_column(String(200), default="")
    district: Mapped[str] = mapped_column(String(50), default="")
    industry: Mapped[str] = mapped_column(String(100), default="")
    education: Mapped[EducationLevel | None] = mapped_column(enum_type(EducationLevel))

    headcount: Mapped[int | None]  # people wanted, or the cohort size of a training order
    capacity: Mapped[int | None]  # graduates a year, or mentors available
    budget: Mapped[int | None]  # yuan
    hire_count: Mapped[int | None]  # hiring commitment of a training order
    salary_min: Mapped[int | None]  # yuan a month
    salary_max: Mapped[int | None]
    duration_months: Mapped[int | None]
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    # Publication ends after this day (automatic expiry).
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    # Kind-specific prose and choices (duties, contributions, IP terms, facilities…).
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    # Derived for the database to search in, written by services and never read back
    # into Python: deferred, so lists do not carry three copies of every text.
    # Lowercased, normalised text of every searchable field, for text search.
    search_text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    # The search text and the skill tags as a full-text index keeps them
    # (see portal.postings.fulltext).
    search_tokens: Mapped[str] = mapped_column(Text, default="", server_default="",
                                               deferred=True)
    skill_tokens: Mapped[str] = mapped_column(Text, default="", server_default="",
                                              deferred=True)
    # Diagnosis finding codes (招聘诊断); non-empty means "flagged for review".
    diagnosis: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_flagged: Mapped[bool] = mapped_column(default=False, index=True)

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    organization: Mapped[Organization] = relationship()
    created_by: Mapped[User | None] = relationship()
    skill_tags: Mapped[list[PostingSkill]] = relationship(
        back_populates="posting", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[PostingRevision]] = relationship(
        back_populates="posting", cascade="all, delete-orphan",
        order_by="PostingRevision.id.desc()",
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Posting {self.id} {self.kind.value} {self.title!r} {self.status.value}>"

    @hybrid_method
    def is_live_on(self, day: date) -> bool:
        return self.status is PostingStatus.PUBLISHED and (
            self.deadline is None or self.deadline >= day)

    @is_live_on.expression
    def is_live_on(cls, day: date):  # noqa: N805 - SQL side of the hybrid
        return and_(cls.status == PostingStatus.PUBLISHED,
                    or_(cls.deadline.is_(None), cls.deadline >= day))

    def effective_status(self, day: date) -> PostingStatus:
        """Published postings past their deadline count as expired before the nightly job."""
        if self.status is PostingStatus.PUBLISHED and self.deadline and self.deadline < day:
            return PostingStatus.EXPIRED
        return self.status

    # Object permissions (views and templates both ask these).
    def is_owned_by(self, user: User | None) -> bool:
        return bool(user and user.is_authenticated and user.organization_id == self.organization_id)

    def can_view(self, user: User | None) -> bool:
        if not (user and user.is_authenticated):
            return False
        if self.is_owned_by(user) or user.is_coordinator:
            return True
        return self.status is not PostingStatus.DRAFT

    def can_edit(self, user: User | None) -> bool:
        return self.is_owned_by(user)

    def shows_matches_to(self, user: User | None, day: date) -> bool:
        """Live postings show their matches to everyone; a draft only to its authors."""
        status = self.effective_status(day)
        return status is PostingStatus.PUBLISHED or (
            status is PostingStatus.DRAFT and self.can_edit(user))

    def offers_proposals(self, user: User | None, day: date) -> bool:
        """Whether its owners may propose a cooperation from its matches: while it is live
        (a posting past its deadline is expired, whatever its stored status)."""
        return self.can_edit(user) and self.effective_status(day) is PostingStatus.PUBLISHED


class PostingSkill(Base):
    """One normalised skill tag of a posting (for skill filters and candidate generation)."""

    __tablename__ = "posting_skills"
    __table_args__ = (Index("ix_posting_skills_tag", "tag"),)

    posting_id: Mapped[int] = mapped_column(
        ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)

    posting: Mapped[Posting] = relationship(back_populates="skill_tags")

    def __repr__(self) -> str:
        return f"<PostingSkill {self.posting_id} {self.tag}>"


class PostingRevision(Base):
    """Append-only history: who changed which fields of a posting, and when."""

    __tablename__ = "posting_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("postings.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))  # created, edited, published, closed…
    # {field: [old, new]} for edits; empty for pure state changes.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    posting: Mapped[Posting] = relationship(back_populates="revisions")
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PostingRevision {self.id} posting={self.posting_id} {self.action}>"


class ImportStatus(LabelledEnum):
    QUEUED = "queued", _l("Queued")
    RUNNING = "running", _l("Importing")
    DONE = "done", _l("Finished")
    FAILED = "failed", _l("Failed")


class ImportRun(Base):
    """One uploaded list, imported by a background job in batches, with its progress and
    the report (counts, and the refused records in both languages)."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80))  # the upload, until it is read
    status: Mapped[ImportStatus] = mapped_column(enum_type(ImportStatus),
                                                 default=ImportStatus.QUEUED)
    records: Mapped[int] = mapped_column(default=0)  # postings in the file
    done: Mapped[int] = mapped_column(default=0)  # of them, written so far
    # {"organizations_created": n, …, "errors": [{"ref", "field", "reason": {zh, en}}],
    #  "more_errors": n, "failure": {zh, en} | None}
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]

    requested_by: Mapped[User | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.records) if self.records else 0

    def can_view(self, user: User) -> bool:
        return user.is_coordinator

    def __repr__(self) -> str:
        return f"<ImportRun {self.id} {self.status.value} {self.done}/{self.records}>"
