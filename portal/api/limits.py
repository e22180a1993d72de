"""Requests per API token (Flask-Limiter), told in RateLimit-* and Retry-After headers."""
from __future__ import annotations

import hashlib
import time

from flask import Blueprint, Flask, Response, current_app, request
from flask_limiter import Limiter

# The IETF httpapi draft's names; its RateLimit-Reset counts seconds from now.
HEADERS = {"RATELIMIT_HEADER_LIMIT": "RateLimit-Limit",
           "RATELIMIT_HEADER_REMAINING": "RateLimit-Remaining",
           "RATELIMIT_HEADER_RESET": "RateLimit-Reset"}


def _caller_key() -> str:
    """The token (its hash: the key is stored) or, without one, the address. Limits are
    checked before the token is looked up, so an unknown token is counted too."""
    _scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if secret.strip():
        return "token:" + hashlib.sha256(secret.strip().encode()).hexdigest()[:32]
    return f"address:{request.remote_addr}"


def _limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def _reset_in_seconds(response: Response) -> Response:
    """Flask-Limiter writes the moment of the reset; the draft wants seconds from now."""
    reset = response.headers.get("RateLimit-Reset")
    if reset and reset.isdigit() and int(reset) > 10**9:
        response.headers["RateLimit-Reset"] = str(max(0, int(reset) - int(time.time())))
    return response


def init_app(app: Flask, api: Blueprint) -> None:
    for setting, header in HEADERS.items():
        app.config.setdefault(setting, header)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", f"{app.config['TASKS_QUEUE']}-api")
    # Registered first, so it runs after Flask-Limiter has written its headers.
    app.after_request(_reset_in_seconds)
    limiter = Limiter(_caller_key, app=app, default_limits=[])
    limiter.limit(_limit)(api)
