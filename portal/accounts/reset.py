"""Resetting a forgotten password by e-mail.

The link carries a signed, dated token naming the account and a fingerprint of its
password hash (nothing stored): it is good for PASSWORD_RESET_LIFETIME and only once,
since setting a password changes the hash. Asking gives the same answer whether or not
the address has an account; requests are counted per address asked for and per client
address, and past the limits no more mail is sent (the answer stays the same).
"""
from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from portal.accounts.auth import (
    attempts_in_window,
    find_user_by_email,
    normalise_email,
    set_password,
)
from portal.accounts.events import PASSWORD_RESET
from portal.accounts.models import LoginFailure, User
from portal.db import utcnow
from portal.errors import WorkflowError
from portal.events import tell

INVALID = _l("This link is not valid or has been used. Please ask for a new one.")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="portal-password-reset")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _keys(email: str, address: str) -> tuple[str, str]:
    return f"reset:{normalise_email(email)}", f"reset-address:{address}"


def request_reset(session: Session, email: str, address: str | None) -> None:
    """Mail a reset link to the address if an active account has it and the limits
    allow; the caller answers the same in every case."""
    config = current_app.config
    account_key, address_key = _keys(email, address or "unknown")
    # Requests are counted like failed sign-ins (rows of login_failures, by key).
    asked, _last = attempts_in_window(session, account_key)
    from_here, _last = attempts_in_window(session, address_key)
    session.add_all([LoginFailure(key=account_key), LoginFailure(key=address_key)])
    session.flush()
    if (asked >= config["PASSWORD_RESETS_PER_ACCOUNT"]
            or from_here >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        return
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        return
    token = _serializer().dumps({"user": user.id, "stamp": _fingerprint(user)})
    minutes = int(config["PASSWORD_RESET_LIFETIME"].total_seconds() // 60)
    tell(session, [user], PASSWORD_RESET, {"minutes": minutes}, token=token)


def holder_of(session: Session, token: str) -> User:
    """The account a reset link was sent for, while the link is still good."""
    lifetime = current_app.config["PASSWORD_RESET_LIFETIME"]
    try:
        claim = _serializer().loads(token, max_age=int(lifetime.total_seconds()))
    except SignatureExpired:
        raise WorkflowError(_l("This link has expired. Please ask for a new one.")) from None
    except BadSignature:
        raise WorkflowError(INVALID) from None
    user = session.get(User, claim.get("user")) if isinstance(claim, dict) else None
    if user is None or not user.is_active or claim.get("stamp") != _fingerprint(user):
        raise WorkflowError(INVALID)
    return user


def reset_password(session: Session, token: str, new_password: str) -> User:
    """Set the new password (every sign-in of the account ends). The link reached the
    address, so the address is confirmed as well."""
    user = holder_of(session, token)
    set_password(session, user, new_password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    session.execute(LoginFailure.__table__.delete().where(
        LoginFailure.key == f"account:{normalise_email(user.email)}"))
    return user
