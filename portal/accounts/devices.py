"""Device cookies (OWASP): a browser an account has signed in from before carries a
signed note of it, so throttling aimed at the account or the address does not keep the
holder out of their own account."""
from __future__ import annotations

from flask import Request, Response, current_app
from itsdangerous import BadSignature, URLSafeSerializer

from portal.accounts.models import User

MAX_ACCOUNTS = 5  # per browser: a shared office computer, not a collection


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="portal-device")


def _known(request: Request) -> list[int]:
    cookie = request.cookies.get(current_app.config["DEVICE_COOKIE_NAME"])
    if not cookie:
        return []
    try:
        ids = _serializer().loads(cookie)
    except BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def is_known(request: Request, user: User | None) -> bool:
    return user is not None and user.id in _known(request)


def remember(request: Request, response: Response, user: User) -> None:
    """After a correct sign-in: this browser is one of the account's."""
    ids = [user.id, *(i for i in _known(request) if i != user.id)][:MAX_ACCOUNTS]
    config = current_app.config
    response.set_cookie(config["DEVICE_COOKIE_NAME"], _serializer().dumps(ids),
                        max_age=int(config["DEVICE_COOKIE_DURATION"].total_seconds()),
                        secure=config["SESSION_COOKIE_SECURE"], httponly=True,
                        samesite="Lax")
