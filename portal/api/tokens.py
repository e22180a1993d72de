"""Creating, finding and revoking API tokens. A token acts as the person who made it,
never beyond what that person may do, and only within its scopes."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.api.models import ApiToken, Scope
from portal.db import utcnow
from portal.errors import DomainError, PermissionDenied

PREFIX = "cjp_"  # 产教平台: lets secret scanners and people recognise the portal's tokens
LIFETIMES_DAYS = (30, 90, 180, 365)
TOKENS_PER_PERSON = 20
NAME_MAX = 100
# How stale "last used" may be: recording every request would make each one a write.
LAST_USE_PRECISION = timedelta(minutes=1)


class TokenRefused(DomainError):
    pass


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def scopes_for(user: User) -> list[Scope]:
    """The scopes `user` may give a token: coordinators' functions to coordinators."""
    return [scope for scope in Scope if scope is not Scope.COORDINATOR or user.is_coordinator]


def create_token(session: Session, user: User, name: str, scopes: list[Scope],
                 lifetime_days: int, *, shared: bool = False) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown once and never stored."""
    name = name.strip()[:NAME_MAX]
    if not name:
        raise TokenRefused(_l("Please give the token a name."), field="name")
    if not scopes:
        raise TokenRefused(_l("Choose at least one scope."), field="scopes")
    if any(scope not in scopes_for(user) for scope in scopes):
        raise PermissionDenied(_l("A token cannot do more than you may."))
    if lifetime_days not in LIFETIMES_DAYS:
        raise TokenRefused(_l("Choose one of the offered lifetimes."), field="lifetime")
    if shared and user.organization_id is None:
        raise TokenRefused(_l("Only members of an organisation can share a token with it."),
                           field="shared")
    live = session.scalar(select(func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > utcnow())) or 0
    if live >= TOKENS_PER_PERSON:
        raise TokenRefused(_l("You have %(n)d live tokens, the most one person can keep; "
                              "revoke one first.", n=TOKENS_PER_PERSON))
    random_part = secrets.token_urlsafe(32)
    secret = f"{PREFIX}{random_part}"
    token = ApiToken(user_id=user.id, shared=shared, name=name,
                     prefix=secret[:len(PREFIX) + 6], digest=_digest(secret),
                     scopes=[scope.value for scope in scopes],
                     expires_at=utcnow() + timedelta(days=lifetime_days))
    session.add(token)
    session.flush()
    return token, secret


def visible_tokens(session: Session, user: User) -> list[ApiToken]:
    """The person's own tokens and those shared with their organisation, newest first."""
    shared = ApiToken.shared.is_(True) & ApiToken.user_id.in_(
        select(User.id).where(User.organization_id == user.organization_id)) \
        if user.organization_id is not None else ApiToken.id.is_(None)
    return list(session.scalars(select(ApiToken).where(
        or_(ApiToken.user_id == user.id, shared)).order_by(ApiToken.id.desc())))


def can_manage(token: ApiToken, user: User) -> bool:
    return token.user_id == user.id or (
        token.shared and user.organization_id is not None
        and token.user.organization_id == user.organization_id)


def revoke(session: Session, token: ApiToken, user: User) -> None:
    if not can_manage(token, user):
        raise PermissionDenied(_l("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()


def authenticate(session: Session, secret: str, now: datetime | None = None) -> ApiToken | None:
    """The live token of `secret`, its last use recorded; None for anything else."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    now = now or utcnow()
    token = session.scalar(select(ApiToken).where(ApiToken.digest == _digest(secret)))
    if token is None or not token.is_active(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USE_PRECISION:
        token.last_used_at = now
    return token
