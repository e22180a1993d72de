"""Organisations (enterprises and universities), their users, invitations and review history."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.accounts.lookalike import name_core, skeleton
from portal.db import Base, enum_type, utcnow
from portal.enums import LabelledEnum


class OrgKind(LabelledEnum):
    ENTERPRISE = "enterprise", _l("Enterprise")
    UNIVERSITY = "university", _l("University")

    @property
    def licence_label(self) -> str:
        """What its registration scan is: the document that proves it exists."""
        return str(_l("Business licence (营业执照) scan") if self is OrgKind.ENTERPRISE
                   else _l("School licence (办学许可证) or legal-person certificate scan"))


class OrgStatus(LabelledEnum):
    PENDING = "pending", _l("Pending review")
    VERIFIED = "verified", _l("Verified")
    REJECTED = "rejected", _l("Returned for correction")


class EnterpriseSize(LabelledEnum):
    MICRO = "micro", _l("Micro (under 10 staff)")
    SMALL = "small", _l("Small (10-99 staff)")
    MEDIUM = "medium", _l("Medium (100-999 staff)")
    LARGE = "large", _l("Large (1000+ staff)")


class UniversityLevel(LabelledEnum):
    UNDERGRADUATE = "undergraduate", _l("Undergraduate university")
    HIGHER_VOCATIONAL = "higher_vocational", _l("Higher vocational college")
    SECONDARY_VOCATIONAL = "secondary_vocational", _l("Secondary vocational school")
    TECHNICIAN = "technician", _l("Technician college")
    GRADUATE_SCHOOL = "graduate_school", _l("Graduate school")


class Role(LabelledEnum):
    ENTERPRISE_HR = "enterprise_hr", _l("Enterprise HR")
    UNIVERSITY_STAFF = "university_staff", _l("University staff")
    COORDINATOR = "coordinator", _l("City coordinator")

    @classmethod
    def for_org_kind(cls, kind: OrgKind) -> Role:
        return cls.ENTERPRISE_HR if kind is OrgKind.ENTERPRISE else cls.UNIVERSITY_STAFF


class Organization(Base):
    __tablename__ = "organizations"
    __table_args__ = (
        CheckConstraint(
            "(status = 'verified') = (verified_at IS NOT NULL AND verified_by_id IS NOT NULL)",
            name="verified_has_verifier",
        ),
        CheckConstraint(
            "status != 'rejected' OR rejection_reason IS NOT NULL", name="rejected_has_reason"
        ),
        # Registered enterprises give their credit code; imported ones may only carry the
        # source's reference until they register.
        CheckConstraint(
            "kind != 'enterprise' OR credit_code IS NOT NULL OR external_ref IS NOT NULL",
            name="enterprise_identified",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrgKind] = mapped_column(enum_type(OrgKind))
    name: Mapped[str] = mapped_column(String(200))
    # What the name looks like (portal.accounts.lookalike), kept with every change of it.
    name_skeleton: Mapped[str] = mapped_column(String(400), default="", server_default="",
                                               index=True)
    # The name without place and legal form (lookalike.name_core), to find one
    # organisation registered twice under names that differ only there.
    name_core: Mapped[str] = mapped_column(String(400), default="", server_default="",
                                           index=True)
    # 统一社会信用代码: required for enterprises, optional for universities; one registry.
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    # 学校标识码 (10 digits), universities only.
    school_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    district: Mapped[str] = mapped_column(String(50), default="")
    industry: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[EnterpriseSize | None] = mapped_column(enum_type(EnterpriseSize))
    level: Mapped[UniversityLevel | None] = mapped_column(enum_type(UniversityLevel))
    address: Mapped[str] = mapped_column(String(300), default="")
    representative: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    # What the organisation says about itself on its profile page.
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The stored file of its logo (accounts.logos), if it has one.
    logo_name: Mapped[str | None] = mapped_column(String(60))
    # The 营业执照 / 办学许可证 scan attached for review (accounts.licences), if any.
    licence_name: Mapped[str | None] = mapped_column(String(60))
    licence_original_name: Mapped[str | None] = mapped_column(String(200))
    licence_content_type: Mapped[str | None] = mapped_column(String(40))
    # The `ref` of a bulk import source (portal-import/1), unique across the portal.
    external_ref: Mapped[str | None] = mapped_column(String(100), unique=True)

    status: Mapped[OrgStatus] = mapped_column(enum_type(OrgStatus), default=OrgStatus.PENDING)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[datetime | None]
    # use_alter: users and organisations refer to each other. No ON DELETE: a verifier's
    # account is deactivated, never deleted, so the verification record stays whole.
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Any change to the row (profile, review): what the API's mirroring asks after.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    # Optimistic lock: two coordinators deciding at once cannot both win.
    version: Mapped[int] = mapped_column(default=1)

    members: Mapped[list[User]] = relationship(
        back_populates="organization", foreign_keys="User.organization_id", order_by="User.id"
    )
    reviews: Mapped[list[OrganizationReview]] = relationship(
        back_populates="organization", order_by="OrganizationReview.id.desc()"
    )

    __mapper_args__ = {"version_id_col": version}

    @validates("name")
    def _keep_name_skeleton(self, _key: str, name: str) -> str:
        self.name_skeleton = skeleton(name)
        self.name_core = name_core(name)
        return name

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.kind.value} {self.name!r} {self.status.value}>"

    @property
    def is_verified(self) -> bool:
        return self.status is OrgStatus.VERIFIED

    @property
    def can_publish(self) -> bool:
        """Pending and rejected organisations may draft; only verified ones publish."""
        return self.is_verified

    @property
    def identity_locked(self) -> bool:
        """Name and codes are fixed once a coordinator has verified them."""
        return self.is_verified

    def is_member(self, user: User | None) -> bool:
        return bool(user and user.is_authenticated and user.organization_id == self.id)

    def can_view(self, user: User | None) -> bool:
        return self.is_member(user) or bool(user and user.is_authenticated and user.is_coordinator)

    def can_edit(self, user: User | None) -> bool:
        return self.is_member(user)

    def can_review(self, user: User | None) -> bool:
        return bool(user and user.is_authenticated and user.is_coordinator)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role = 'coordinator') = (organization_id IS NULL)", name="coordinator_has_no_org"
        ),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    email_skeleton: Mapped[str] = mapped_column(String(400), default="", server_default="",
                                                index=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(30), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Set when the holder opened the link sent to the address (or an invitation's).
    email_confirmed_at: Mapped[datetime | None]
    # When the holder last opened the workbench: later matches are marked new there.
    workbench_seen_at: Mapped[datetime | None]

    organization: Mapped[Organization | None] = relationship(
        back_populates="members", foreign_keys=[organization_id]
    )

    @validates("email")
    def _keep_email_skeleton(self, _key: str, email: str) -> str:
        self.email_skeleton = skeleton(email)
        return email

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role.value}>"

    # Flask-Login protocol
    is_authenticated = True
    is_anonymous = False
    # The sign-in this request came with (accounts.signins sets it); not stored.
    sign_in_token = None  # str | None (a plain attribute: ORM annotations would map it)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str | None:
        """What the session and the remember-me cookie carry: the sign-in's token, which
        ends on the server when the sign-in does (a copied cookie stops working)."""
        return self.sign_in_token

    @property
    def is_coordinator(self) -> bool:
        return self.role is Role.COORDINATOR

    @property
    def acting_name(self) -> str:
        """Who acted, as a notification names them: their organisation, or the
        coordinator."""
        if self.organization is not None:
            return self.organization.name
        return str(_l("The coordinator"))


class Invitation(Base):
    """A colleague's one-time link to join an organisation; only the token's hash is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship()
    invited_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.email} org={self.organization_id}>"

    def is_open(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at


class ReviewDecision(LabelledEnum):
    SUBMITTED = "submitted", _l("Submitted for review")
    VERIFIED = "verified", _l("Verified")
    REJECTED = "rejected", _l("Returned for correction")


class OrganizationReview(Base):
    """Append-only history of submissions and coordinator decisions on an organisation."""

    __tablename__ = "organization_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision: Mapped[ReviewDecision] = mapped_column(enum_type(ReviewDecision))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="reviews")
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<OrganizationReview {self.id} org={self.organization_id} {self.decision.value}>"


class LoginFailure(Base):
    """A failed sign-in, counted per account key and per client address for throttling."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_created", "key", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LoginFailure {self.key} {self.created_at:%Y-%m-%d %H:%M}>"


class SignIn(Base):
    """One signed-in browser: ended at sign-out, after being idle or too old, and for
    every device of an account whose password changes."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True,
                                       default=lambda: secrets.token_urlsafe(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    remembered: Mapped[bool] = mapped_column(default=False)  # "keep me signed in"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<SignIn {self.id} of user {self.user_id}>"
