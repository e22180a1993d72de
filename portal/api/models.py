"""API tokens people create for integrations, and the answers kept for retried creates."""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.db import Base, enum_type, utcnow
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
    # Issued to an OAuth client (client credentials), which it then answers for.
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("oauth_clients.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship()
    client: Mapped[OAuthClient | None] = relationship()

    def allows(self, scope: Scope) -> bool:
        return scope.value in self.scopes

    def is_active(self, now: datetime) -> bool:
        return (self.revoked_at is None and self.expires_at > now and self.user.active
                and (self.client is None or self.client.revoked_at is None))


class OAuthClient(Base):
    """An integrator's system (the city's employment platform …), registered by a
    coordinator: it gets short-lived tokens with its id and secret (OAuth 2.0 client
    credentials) and acts as that coordinator, within its scopes. Only the SHA-256 of
    the secret is kept, as for tokens. Browsers may call the API from its origins."""

    __tablename__ = "oauth_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(40), unique=True)
    secret_digest: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    origins: Mapped[list[str]] = mapped_column(JSON, default=list)  # CORS, exact origins
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    owner: Mapped[User] = relationship()

    # Authlib's client interface (only the client credentials grant is offered).
    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        asked = set((scope or " ".join(self.scopes)).split())
        return " ".join(value for value in self.scopes if value in asked)

    def check_redirect_uri(self, _redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        digest = hashlib.sha256(client_secret.encode()).hexdigest()
        return self.revoked_at is None and hmac.compare_digest(digest, self.secret_digest)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, _response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials" and self.revoked_at is None


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


class WebhookEvent(LabelledEnum):
    POSTING_PUBLISHED = "posting.published", _l("A posting was published")
    POSTING_CLOSED = "posting.closed", _l("A posting was closed")
    MATCH_NEW = "match.new", _l("A new match for a posting of ours, at or above the score set")
    PROPOSAL_CHANGED = "proposal.changed", _l("A proposal of ours changed state")
    AGREEMENT_ISSUED = "agreement.issued", _l("An agreement of ours was issued")
    AGREEMENT_SIGNED = "agreement.signed", _l("An agreement of ours was signed by both sides")
    WARNING_RAISED = "warning.raised", _l("A monitoring warning was raised (coordinators)")


class WebhookEndpoint(Base):
    """An address an integrator's system listens at, for the events its owner chose. The
    signing secret is kept as it is: the portal signs every delivery with it."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(64))
    min_score: Mapped[int] = mapped_column(default=70)  # of the matches it hears of
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Deliveries failed in a row; at FAILURES_TO_DISABLE the endpoint is disabled.
    failures: Mapped[int] = mapped_column(default=0)
    disabled_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.disabled_at is None


class DeliveryStatus(LabelledEnum):
    PENDING = "pending", _l("Waiting to be sent")
    DELIVERED = "delivered", _l("Delivered")
    FAILED = "failed", _l("Failed")


class WebhookDelivery(Base):
    """One event sent (or to be sent) to one endpoint, with how its attempts went."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[DeliveryStatus] = mapped_column(enum_type(DeliveryStatus),
                                                   default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    response_code: Mapped[int | None]
    error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    endpoint: Mapped[WebhookEndpoint] = relationship()
