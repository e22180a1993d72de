"""Confirming that a new account's e-mail address is its holder's: the link sent there
carries a signed, dated token (nothing stored), good for EMAIL_CONFIRMATION_LIFETIME."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from portal.accounts.events import CONFIRM_EMAIL
from portal.accounts.models import User
from portal.db import utcnow
from portal.errors import WorkflowError
from portal.events import tell


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="portal-email-confirmation")


def send_link(session: Session, user: User) -> None:
    """The link, to the address (and the account's inbox, seen once signed in)."""
    token = _serializer().dumps({"user": user.id, "email": user.email})
    org = user.organization.name if user.organization else ""
    tell(session, [user], CONFIRM_EMAIL, {"org": org}, token=token)


def confirm(session: Session, token: str) -> User:
    """The account the link was sent for, now confirmed (again is harmless)."""
    lifetime = current_app.config["EMAIL_CONFIRMATION_LIFETIME"]
    try:
        claim = _serializer().loads(token, max_age=int(lifetime.total_seconds()))
    except SignatureExpired:
        raise WorkflowError(_l("This link has expired. Sign in with your e-mail address "
                               "and password: a new link will be sent.")) from None
    except BadSignature:
        raise WorkflowError(_l("This link is not valid. Please use the latest link we "
                               "sent.")) from None
    user = session.get(User, claim.get("user")) if isinstance(claim, dict) else None
    if user is None or user.email != claim.get("email") or not user.active:
        raise WorkflowError(_l("This link is not valid. Please use the latest link we "
                               "sent."))
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    return user
