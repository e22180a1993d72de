"""Sign-in with throttling, password changes and coordinator accounts."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import format_timedelta
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.accounts import confirmation, signins
from portal.accounts.events import SIGN_IN_FAILURES
from portal.accounts.models import LoginFailure, Role, SignIn, User
from portal.accounts.passwords import (
    burn_time,
    check_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from portal.db import utcnow
from portal.errors import DomainError
from portal.events import tell


class LoginRefused(DomainError):
    """Wrong e-mail or password, or too many attempts: one message, whatever the cause."""


BAD_CREDENTIALS = _l("The e-mail address or password is incorrect.")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


# Throttling follows OWASP's guidance against both guessing and lock-out used as a weapon:
# - one account from one address: after LOGIN_MAX_FAILURES_PER_ACCOUNT failures, each try
#   waits a delay that doubles with every further failure (LOGIN_DELAY_BASE up to
#   LOGIN_DELAY_MAX); nothing is locked for good;
# - one account from many addresses, and one address trying many accounts
#   (LOGIN_MAX_FAILURES_PER_ADDRESS): the same delays, except for a browser the account
#   has signed in from before (a device cookie, accounts.devices), so an attacker cannot
#   keep the holder out; the holder is told when their account is being guessed at.
def _keys(email: str, address: str) -> dict[str, str]:
    account = normalise_email(email)
    return {"pair": f"pair:{account}|{address}", "account": f"account:{account}",
            "address": f"address:{address}"}


def attempts_in_window(session: Session, key: str) -> tuple[int, datetime | None]:
    since = utcnow() - current_app.config["LOGIN_FAILURE_WINDOW"]
    count, last = session.execute(select(func.count(), func.max(LoginFailure.created_at)).where(
        LoginFailure.key == key, LoginFailure.created_at >= since)).one()
    return count or 0, last


def _wait(failures: int, free: int, last: datetime | None) -> timedelta:
    """How long until the next try is allowed, after `failures` of which `free` cost
    nothing."""
    if failures < free or last is None:
        return timedelta(0)
    config = current_app.config
    delay = min(config["LOGIN_DELAY_BASE"] * 2 ** (failures - free), config["LOGIN_DELAY_MAX"])
    return max(timedelta(0), last + delay - utcnow())


def _throttle(session: Session, keys: dict[str, str], known_device: bool) -> timedelta:
    config = current_app.config
    per_account = config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    free = {"pair": per_account}
    if not known_device:  # the holder's own browser is not kept out by others' guesses
        free.update(account=per_account * 2, address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"])
    waits = []
    for name, free_failures in free.items():
        failures, last = attempts_in_window(session, keys[name])
        waits.append(_wait(failures, free_failures, last))
    return max(waits)


def authenticate(session: Session, email: str, password: str, address: str | None,
                 known_device: bool = False) -> User:
    """Return the user for these credentials or raise LoginRefused.

    Unknown e-mail, wrong password and inactive account give the same message and
    take the same time; the failure is recorded so throttling applies to all three.
    `known_device`: the browser holds this account's device cookie.
    """
    keys = _keys(email, address or "unknown")
    wait = _throttle(session, keys, known_device)
    if wait > timedelta(0):
        raise LoginRefused(_l("Too many failed sign-in attempts. Please try again in "
                              "%(wait)s.", wait=format_timedelta(wait, threshold=1.5)))
    user = find_user_by_email(session, email)
    if user is None:
        burn_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.is_active
    if not ok:
        session.add_all([LoginFailure(key=key) for key in keys.values()])
        session.flush()
        if user is not None:
            _tell_when_guessed_at(session, user, keys["account"])
        raise LoginRefused(BAD_CREDENTIALS)
    assert user is not None
    if user.email_confirmed_at is None:  # only the password's holder learns this
        confirmation.send_link(session, user)
        raise LoginRefused(_l("Please confirm your e-mail address first: we have sent the "
                              "link again to %(email)s.", email=user.email))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.execute(delete(LoginFailure).where(LoginFailure.key.in_(
        [keys["pair"], keys["account"]])))
    return user


def _tell_when_guessed_at(session: Session, user: User, account_key: str) -> None:
    """Once per window, when the failures reach the point where delays begin."""
    failures, _last = attempts_in_window(session, account_key)
    if failures == current_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]:
        tell(session, [user], SIGN_IN_FAILURES, {"count": failures})


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
    check_password(new_password, (user.email, user.name))
    user.password_hash = hash_password(new_password)
    signins.end_all(session, user)


def _is_remembered(session: Session, user: User) -> bool:
    return bool(user.sign_in_token and session.scalar(select(SignIn.remembered).where(
        SignIn.token == user.sign_in_token)))


def create_coordinator(session: Session, email: str, name: str, password: str) -> User:
    """A city coordinator account (no organisation); e-mail addresses are unique."""
    if find_user_by_email(session, email) is not None:
        raise DomainError(_l("This e-mail address is already registered."), field="email")
    check_password(password, (email, name))
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=Role.COORDINATOR,
        email_confirmed_at=utcnow(),  # created by the city's administrator
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user
