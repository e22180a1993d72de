"""Signed links that stop alerts without signing in, in mail bodies and as the
List-Unsubscribe header (one click, RFC 8058)."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from portal.events import full_url, path_for


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="portal-alerts-unsubscribe")


def unsubscribe_token(user_id: int, what: str) -> str:
    """A link stopping `what` (see alerts.services.unsubscribe) for one person. It does
    not expire: an old digest's link keeps working."""
    return _serializer().dumps({"u": user_id, "w": what})


def read_token(token: str) -> tuple[int, str] | None:
    try:
        payload = _serializer().loads(token[:500])
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    return payload["u"], str(payload.get("w", ""))


def stop_link(user_id: int, what: str) -> str:
    return full_url(path_for("alerts.unsubscribe", token=unsubscribe_token(user_id, what)))


def headers(user_id: int, what: str) -> dict[str, str]:
    """The headers that let a mail program stop `what` in one click."""
    return {"List-Unsubscribe": f"<{stop_link(user_id, what)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
