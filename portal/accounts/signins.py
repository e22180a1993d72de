"""Sign-ins kept on the server: the session and the remember-me cookie carry only a
sign-in's token, so signing out, a password change, idleness or age end it for good.

Timeouts (config): SIGN_IN_IDLE_TIMEOUT and SIGN_IN_MAX_AGE for a browser session;
REMEMBER_COOKIE_DURATION (idle) and REMEMBER_MAX_AGE for "keep me signed in", whose token
is replaced each time the cookie signs the browser in again.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, session
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, joinedload

from portal.accounts.models import SignIn, User
from portal.db import utcnow, write_session

# last_seen_at is written at most this often: a read of a page is not a write each time.
TOUCH_EVERY = timedelta(minutes=5)


def start(db: Session, user: User, remembered: bool = False) -> SignIn:
    """A new sign-in of `user` in the caller's transaction; the user now carries it."""
    sign_in = SignIn(user_id=user.id, remembered=remembered)
    db.add(sign_in)
    db.flush()
    user.sign_in_token = sign_in.token
    return sign_in


def _expired(sign_in: SignIn, now: datetime) -> bool:
    config = current_app.config
    idle, max_age = ((config["REMEMBER_COOKIE_DURATION"], config["REMEMBER_MAX_AGE"])
                     if sign_in.remembered
                     else (config["SIGN_IN_IDLE_TIMEOUT"], config["SIGN_IN_MAX_AGE"]))
    return now - sign_in.last_seen_at > idle or now - sign_in.created_at > max_age


def load(db: Session, token: str) -> User | None:
    """The user a live sign-in belongs to; None (and the sign-in gone) once it ended."""
    sign_in = db.scalar(select(SignIn).where(SignIn.token == token)
                        .options(joinedload(SignIn.user)))  # every page: one query
    if sign_in is None or not sign_in.user.is_active:
        return None
    now = utcnow()
    if _expired(sign_in, now):
        _write(delete(SignIn).where(SignIn.id == sign_in.id))
        return None
    if now - sign_in.last_seen_at > TOUCH_EVERY:
        _write(update(SignIn).where(SignIn.id == sign_in.id).values(last_seen_at=now))
    user = sign_in.user
    user.sign_in_token = token
    return user


def _write(statement) -> None:  # noqa: ANN001 - a delete or an update
    """Its own short transaction: a page view must not hold the request's session open
    for writing."""
    with write_session() as writer:
        writer.execute(statement)


def renew_remembered(user: User) -> None:
    """The remember-me cookie signed the browser in: its token is used up and replaced,
    so a stolen copy of the old cookie is worth nothing."""
    old = user.sign_in_token
    with write_session() as writer:
        fresh = SignIn(user_id=user.id, remembered=True)
        writer.add(fresh)
        writer.execute(delete(SignIn).where(SignIn.token == old))
        writer.flush()
        user.sign_in_token = fresh.token
    session["_user_id"] = user.sign_in_token
    session["_remember"] = "set"  # Flask-Login writes the new cookie with the response


def end(db: Session, user: User) -> None:
    """Signing out: this sign-in ends on the server."""
    if user.sign_in_token:
        db.execute(delete(SignIn).where(SignIn.token == user.sign_in_token))
        user.sign_in_token = None


def end_all(db: Session, user: User) -> None:
    """Every device of `user` is signed out (a password change, a deactivation)."""
    db.execute(delete(SignIn).where(SignIn.user_id == user.id))
    user.sign_in_token = None
