"""Sign-in with throttling, password changes and coordinator accounts."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.accounts import signins
from portal.accounts.models import LoginFailure, Role, SignIn, User
from portal.accounts.passwords import burn_time, hash_password, needs_rehash, verify_password
from portal.db import utcnow
from portal.errors import DomainError


class LoginRefused(DomainError):
    """Wrong e-mail or password, or too many attempts: one message, whatever the cause."""


BAD_CREDENTIALS = _l("The e-mail address or password is incorrect.")
THROTTLED = _l("Too many failed sign-in attempts. Please wait 15 minutes and try again.")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def _account_key(email: str) -> str:
    return "account:" + normalise_email(email)


def _address_key(remote_addr: str | None) -> str:
    return "address:" + (remote_addr or "unknown")


def _recent_failures(session: Session, key: str) -> int:
    since = utcnow() - current_app.config["LOGIN_FAILURE_WINDOW"]
    return session.scalar(
        select(func.count()).where(LoginFailure.key == key, LoginFailure.created_at >= since)
    ) or 0


def _is_throttled(session: Session, email: str, remote_addr: str | None) -> bool:
    config = current_app.config
    return (
        _recent_failures(session, _account_key(email)) >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or _recent_failures(session, _address_key(remote_addr))
        >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    )


def authenticate(session: Session, email: str, password: str, remote_addr: str | None) -> User:
    """Return the user for these credentials or raise LoginRefused.

    Unknown e-mail, wrong password and inactive account give the same message and
    take the same time; the failure is recorded so throttling applies to all three.
    """
    if _is_throttled(session, email, remote_addr):
        raise LoginRefused(THROTTLED)
    user = find_user_by_email(session, email)
    if user is None:
        burn_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.is_active
    if not ok:
        session.add_all(
            [LoginFailure(key=_account_key(email)), LoginFailure(key=_address_key(remote_addr))]
        )
        raise LoginRefused(BAD_CREDENTIALS)
    assert user is not None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.execute(delete(LoginFailure).where(LoginFailure.key == _account_key(email)))
    return user


def change_password(session: Session, user: User, current_password: str,
                    new_password: str) -> SignIn:
    """Check the current password, set the new one and end every sign-in of the user
    but a new one for this browser (the user now carries it)."""
    if not verify_password(user.password_hash, current_password):
        raise DomainError(_l("The current password is incorrect."), field="current_password")
    remembered = _is_remembered(session, user)
    set_password(session, user, new_password)
    return signins.start(session, user, remembered)


def set_password(session: Session, user: User, new_password: str) -> None:
    """A new password; every device signed in with the old one is signed out."""
    user.password_hash = hash_password(new_password)
    signins.end_all(session, user)


def _is_remembered(session: Session, user: User) -> bool:
    return bool(user.sign_in_token and session.scalar(select(SignIn.remembered).where(
        SignIn.token == user.sign_in_token)))


def create_coordinator(session: Session, email: str, name: str, password: str) -> User:
    """A city coordinator account (no organisation); e-mail addresses are unique."""
    if find_user_by_email(session, email) is not None:
        raise DomainError(_l("This e-mail address is already registered."), field="email")
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=Role.COORDINATOR,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user
