"""An issued agreement: one PDF per approved version of a partnership, never changed."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Organization, User
from portal.cooperation.models import Proposal
from portal.db import Base, enum_type, utcnow
from portal.enums import LabelledEnum


class AgreementStatus(LabelledEnum):
    ACTIVE = "active", _l("In force")
    SUPERSEDED = "superseded", _l("Superseded by a later version")
    TERMINATED = "terminated", _l("Terminated")


class Agreement(Base):
    __tablename__ = "agreements"
    __table_args__ = (UniqueConstraint("proposal_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)  # CJ-2026-000123
    version: Mapped[int]  # the proposal's approved terms version it prints
    status: Mapped[AgreementStatus] = mapped_column(enum_type(AgreementStatus),
                                                   default=AgreementStatus.ACTIVE)
    verification_code: Mapped[str] = mapped_column(String(20), unique=True)
    stored_name: Mapped[str] = mapped_column(String(60))  # generated; under instance/
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_at: Mapped[datetime | None]  # when both parties had uploaded a signed scan
    # An English copy, rendered once on request from the same version's terms.
    english_requested_at: Mapped[datetime | None]
    english_stored_name: Mapped[str | None] = mapped_column(String(60))
    english_sha256: Mapped[str | None] = mapped_column(String(64))
    english_size: Mapped[int | None]

    proposal: Mapped[Proposal] = relationship()
    scans: Mapped[list[SignedScan]] = relationship(back_populates="agreement",
                                                   order_by="SignedScan.uploaded_at")

    def can_view(self, user: User) -> bool:
        """The partnership's parties and coordinators."""
        return self.proposal.can_view(user)

    def can_upload_scan(self, user: User) -> bool:
        """A party uploads its signed copy of the agreement in force."""
        return self.status is AgreementStatus.ACTIVE and self.proposal.is_party(user)

    def signed_by(self) -> set[int]:
        """The organisations that have uploaded their signed and sealed copy."""
        return {scan.uploaded_by.organization_id for scan in self.scans
                if scan.uploaded_by is not None and scan.uploaded_by.organization_id}

    def signatures(self) -> list[tuple[Organization, bool]]:
        """Each party, and whether it has uploaded its signed copy."""
        signed = self.signed_by()
        return [(org, org.id in signed)
                for org in (self.proposal.proposer, self.proposal.partner)]

    @property
    def is_signed_by_both(self) -> bool:
        return all(signed for _org, signed in self.signatures())

    @property
    def english_pending(self) -> bool:
        return self.english_requested_at is not None and self.english_stored_name is None

    def __repr__(self) -> str:
        return f"<Agreement {self.number} v{self.version} {self.status.value}>"

    def stored_copy(self, locale: str) -> tuple[str, str] | None:
        """(stored name, SHA-256) of the issued PDF in `locale`: "en" its English copy,
        None until that is rendered."""
        if locale != "en":
            return self.stored_name, self.sha256
        if self.english_stored_name is None or self.english_sha256 is None:
            return None
        return self.english_stored_name, self.english_sha256

    def download_name_in(self, locale: str) -> str:
        return f"{self.number}-v{self.version}{'-en' if locale == 'en' else ''}.pdf"


class SignedScan(Base):
    """A party's scan of the signed and sealed agreement, stored under a generated name;
    the uploader's own file name (often Chinese) is kept for downloading."""

    __tablename__ = "agreement_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    stored_name: Mapped[str] = mapped_column(String(60), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))  # from the bytes, not the name
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="scans")
    uploaded_by: Mapped[User | None] = relationship()

    def can_view(self, user: User) -> bool:
        return self.agreement.can_view(user)

    def __repr__(self) -> str:
        return f"<SignedScan {self.id} of agreement {self.agreement_id}>"


class CertificateStatus(LabelledEnum):
    PENDING = "pending", _l("Awaiting the coordinating office's countersignature")
    COUNTERSIGNED = "countersigned", _l("Countersigned")
    DECLINED = "declined", _l("Declined by the coordinating office")


class MentorCertificate(Base):
    """A dual-mentor partnership's certificate of an enterprise mentor's teaching in one
    term: filed by the university, countersigned by a coordinator, then printed."""

    __tablename__ = "mentor_certificates"
    __table_args__ = (
        CheckConstraint("hours > 0", name="hours_positive"),
        CheckConstraint("status != 'countersigned' OR (countersigned_by_id IS NOT NULL AND "
                        "countersigned_at IS NOT NULL)", name="countersigned_by_someone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    number: Mapped[str | None] = mapped_column(String(30), unique=True)  # MC-2026-000012
    mentor_name: Mapped[str] = mapped_column(String(100))
    mentor_title: Mapped[str] = mapped_column(String(100), default="")
    term: Mapped[str] = mapped_column(String(60))  # e.g. 2026–2027 学年第一学期
    courses: Mapped[list[str]] = mapped_column(JSON)
    hours: Mapped[int]
    status: Mapped[CertificateStatus] = mapped_column(enum_type(CertificateStatus),
                                                     default=CertificateStatus.PENDING)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    countersigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    countersigned_at: Mapped[datetime | None]
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    verification_code: Mapped[str | None] = mapped_column(String(20), unique=True)
    stored_name: Mapped[str | None] = mapped_column(String(60))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]

    proposal: Mapped[Proposal] = relationship()
    filed_by: Mapped[User | None] = relationship(foreign_keys=[filed_by_id])
    countersigned_by: Mapped[User | None] = relationship(foreign_keys=[countersigned_by_id])

    def can_view(self, user: User) -> bool:
        """The partnership's parties and coordinators."""
        return self.proposal.can_view(user)

    def can_decide(self, user: User) -> bool:
        """The coordinating office countersigns or declines a pending certificate."""
        return user.is_coordinator and self.status is CertificateStatus.PENDING

    @property
    def download_name(self) -> str:
        return f"{self.number}.pdf"

    def __repr__(self) -> str:
        return f"<MentorCertificate {self.id} {self.mentor_name} {self.status.value}>"


class RenderAttempt(Base):
    """A document job (an agreement, its English copy) that failed or was asked for
    again: the partnership's page says it failed and offers to try again; the record
    goes when the document is made."""

    __tablename__ = "render_attempts"
    __table_args__ = (UniqueConstraint("document", "object_id"),)

    AGREEMENT = "agreement"  # object_id: the proposal whose approved version it prints
    ENGLISH = "english"  # object_id: the agreement

    id: Mapped[int] = mapped_column(primary_key=True)
    document: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int]
    failed_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")
    retried_at: Mapped[datetime | None]

    @property
    def has_failed(self) -> bool:
        """Failed, and not asked for again since."""
        return self.failed_at is not None and (self.retried_at is None
                                               or self.retried_at <= self.failed_at)

    def __repr__(self) -> str:
        return f"<RenderAttempt {self.document} {self.object_id}>"
