"""Proposals, their term versions, messages and the append-only audit trail."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

if TYPE_CHECKING:
    from portal.agreements.models import Agreement, MentorCertificate

from portal.accounts.models import Organization, OrgKind, Role, User
from portal.db import Base, enum_type, utcnow
from portal.enums import LabelledEnum


class CooperationKind(LabelledEnum):
    ORDER_TRAINING = "order_training", _l("Order-based training")
    TALENT_PIPELINE = "talent_pipeline", _l("Talent pipeline and internships")
    DUAL_MENTOR = "dual_mentor", _l("Dual mentors")
    JOINT_RESEARCH = "joint_research", _l("Joint research")


class ProposalStatus(LabelledEnum):
    PROPOSED = "proposed", _l("Awaiting a response")
    PENDING_APPROVAL = "pending_approval", _l("Awaiting coordinator approval")
    RETURNED = "returned", _l("Returned for changes")
    ACTIVE = "active", _l("Active partnership")
    SUSPENDED = "suspended", _l("Suspended")
    COMPLETED = "completed", _l("Completed")
    TERMINATED = "terminated", _l("Terminated early")
    DECLINED = "declined", _l("Declined")
    WITHDRAWN = "withdrawn", _l("Withdrawn")
    REJECTED = "rejected", _l("Rejected by the coordinator")


class Proposal(Base):
    """A cooperation between two organisations, from first proposal to its end. The
    side whose answer is needed is `awaiting_org`; terms live in numbered versions."""

    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("proposer_org_id != partner_org_id", name="two_parties"),
        # Only a proposal on the table waits for one side's answer.
        CheckConstraint("(status = 'proposed') = (awaiting_org_id IS NOT NULL)",
                        name="awaiting_only_when_proposed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CooperationKind] = mapped_column(enum_type(CooperationKind))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[ProposalStatus] = mapped_column(enum_type(ProposalStatus),
                                                  default=ProposalStatus.PROPOSED)
    proposer_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    partner_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    awaiting_org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    # The match it came from, if any (the postings may be closed later; the proposal stays).
    demand_posting_id: Mapped[int | None] = mapped_column(
        ForeignKey("postings.id", ondelete="SET NULL"))
    supply_posting_id: Mapped[int | None] = mapped_column(
        ForeignKey("postings.id", ondelete="SET NULL"))
    current_version: Mapped[int] = mapped_column(default=1)
    # The version approved by a coordinator and in force (None until the first approval).
    approved_version: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    approved_at: Mapped[datetime | None]
    # Optimistic lock: two coordinators (or a double-submitted form) cannot both decide.
    version: Mapped[int] = mapped_column(default=1)

    proposer: Mapped[Organization] = relationship(foreign_keys=[proposer_org_id])
    partner: Mapped[Organization] = relationship(foreign_keys=[partner_org_id])
    awaiting: Mapped[Organization | None] = relationship(foreign_keys=[awaiting_org_id])
    versions: Mapped[list[ProposalVersion]] = relationship(
        back_populates="proposal", order_by="ProposalVersion.number",
        cascade="all, delete-orphan")
    events: Mapped[list[ProposalEvent]] = relationship(
        back_populates="proposal", order_by="ProposalEvent.id")
    messages: Mapped[list[ProposalMessage]] = relationship(
        back_populates="proposal", order_by="ProposalMessage.id")
    fulfilment: Mapped[Fulfilment | None] = relationship()
    agreements: Mapped[list[Agreement]] = relationship(
        "Agreement", order_by="Agreement.version.desc()", viewonly=True)
    mentor_certificates: Mapped[list[MentorCertificate]] = relationship(
        "MentorCertificate", order_by="MentorCertificate.filed_at", viewonly=True)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.kind.value} {self.status.value}>"

    def terms_of(self, number: int) -> dict[str, Any]:
        """The terms of version `number` (numbered from 1)."""
        return self.versions[number - 1].terms

    @property
    def terms(self) -> dict[str, Any]:
        """The current terms: on the table while negotiating, else in force."""
        return self.terms_of(self.current_version) if self.versions else {}

    @property
    def terms_in_force(self) -> dict[str, Any]:
        if self.approved_version is None:
            return {}
        return self.terms_of(self.approved_version)

    @property
    def is_amending(self) -> bool:
        """An approved partnership with new terms under negotiation or approval."""
        return self.approved_version is not None and \
            self.current_version != self.approved_version

    def members(self) -> list[User]:
        """Every member of both parties."""
        return [member for org in (self.proposer, self.partner) for member in org.members]

    def party_ids(self) -> tuple[int, int]:
        return self.proposer_org_id, self.partner_org_id

    def is_party(self, user: User) -> bool:
        return user.organization_id in self.party_ids() and not user.is_coordinator

    def can_view(self, user: User) -> bool:
        return user.is_coordinator or self.is_party(user)

    def can_file_certificate(self, user: User) -> bool:
        """Mentor certificates are filed by the university of an approved dual-mentor
        partnership."""
        return (self.kind is CooperationKind.DUAL_MENTOR and self.approved_version is not None
                and self.is_party(user) and user.organization is not None
                and user.organization.kind is OrgKind.UNIVERSITY)

    def other_party_id(self, org_id: int) -> int:
        return self.partner_org_id if org_id == self.proposer_org_id else self.proposer_org_id


class ProposalVersion(Base):
    """One set of terms as one side put them; a counter-proposal adds the next number."""

    __tablename__ = "proposal_versions"
    __table_args__ = (UniqueConstraint("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    number: Mapped[int]
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    author_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship()


class ProposalEvent(Base):
    """The audit trail: every state change and decision, never updated or deleted."""

    __tablename__ = "proposal_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[ProposalStatus | None] = mapped_column(
        enum_type(ProposalStatus, "from_status"))
    to_status: Mapped[ProposalStatus] = mapped_column(enum_type(ProposalStatus, "to_status"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[Role | None] = mapped_column(enum_type(Role))
    version_number: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class ProposalMessage(Base):
    """A short message between the parties (and coordinators) on a proposal."""

    __tablename__ = "proposal_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"),
                                             index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()


class Fulfilment(Base):
    """How an order-based training is delivered: seats ordered → enrolled → completed the
    training → hired → still employed after the retention period."""

    __tablename__ = "fulfilments"
    __table_args__ = (
        CheckConstraint("enrolled >= 0 AND completed >= 0 AND hired >= 0 AND retained >= 0",
                        name="not_negative"),
        CheckConstraint("completed <= enrolled AND hired <= completed AND retained <= hired",
                        name="funnel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"),
                                             unique=True)
    enrolled: Mapped[int] = mapped_column(default=0)
    completed: Mapped[int] = mapped_column(default=0)
    hired: Mapped[int] = mapped_column(default=0)
    retained: Mapped[int] = mapped_column(default=0)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    STAGES = ("enrolled", "completed", "hired", "retained")
