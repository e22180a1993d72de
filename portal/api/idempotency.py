"""Idempotency-Key on creates: a retried request gets the first answer again and
creates nothing twice (as in the IETF httpapi draft on the header)."""
from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.api.models import ApiToken, IdempotentRequest
from portal.api.problems import Problem
from portal.db import db_session, utcnow, write_session
from portal.tasks import job, periodic

KEY_MAX = 200
KEPT_FOR = timedelta(hours=24)  # a key older than this may be used again


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def reserve(token: ApiToken) -> IdempotentRequest | tuple[dict[str, Any], int, str] | None:
    """None without a key; the first answer (body, status, location) to replay; or the
    reservation the view fills in with its answer, committed with what it creates."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > KEY_MAX:
        raise Problem(400, _l("An Idempotency-Key has at most %(n)d characters.", n=KEY_MAX))
    found = db_session.scalar(select(IdempotentRequest).where(
        IdempotentRequest.token_id == token.id, IdempotentRequest.key == key))
    if found is not None and found.created_at < utcnow() - KEPT_FOR:
        db_session.delete(found)
        db_session.flush()
        found = None
    if found is not None:
        if found.fingerprint != _fingerprint():
            raise Problem(422, _l("This Idempotency-Key was used for a different request."))
        return found.body, found.status, found.location
    reservation = IdempotentRequest(token_id=token.id, key=key, fingerprint=_fingerprint())
    try:
        with db_session.begin_nested():
            db_session.add(reservation)
    except IntegrityError:
        raise Problem(409, _l("A request with this Idempotency-Key is being processed; "
                              "retry in a moment.")) from None
    return reservation


def remember(reservation: IdempotentRequest | None, body: dict[str, Any], status: int,
             location: str) -> None:
    if reservation is not None:
        reservation.body, reservation.status, reservation.location = body, status, location


@job("api.forget_idempotency_keys")
def forget_old_keys() -> None:
    """Daily: the answers kept for retries, once no retry may use them any more."""
    with write_session() as session:
        session.execute(delete(IdempotentRequest).where(
            IdempotentRequest.created_at < utcnow() - KEPT_FOR))


periodic("api.forget_idempotency_keys", hour="3", minute="17")
