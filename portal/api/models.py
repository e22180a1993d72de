"""API tokens people create for integrations, and the answers kept for retried creates."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.db import Base, utcnow
from portal.enums import LabelledEnum


class Scope(LabelledEnum):
    READ = "read", _l("Read")
    WRITE = "write", _l("Write (create and change our postings)")
    COORDINATOR = "coordinator", _l("Coordinator functions")


class ApiToken(Base):
    """A secret that acts as its user, within its scopes, until it expires or is revoked.
    Only the SHA-256 of the secret is kept: it is long and random, so a plain hash is as
    good as a slow one and costs nothing per request."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    # An organisation's token: every member of the organisation sees and may revoke it.
    shared: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))  # shown to tell tokens apart
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def allows(self, scope: Scope) -> bool:
        return scope.value in self.scopes

    def is_active(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now and self.user.active


class IdempotentRequest(Base):
    """The answer to a create sent with an Idempotency-Key: a retry gets it again."""

    __tablename__ = "api_idempotent_requests"
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))  # of method, path and body
    status: Mapped[int] = mapped_column(default=0)
    body: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    location: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
