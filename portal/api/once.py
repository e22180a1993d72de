"""A secret shown once: kept in the session by the POST that made it, shown by the next
page and gone from the session there, so a reload neither shows it again nor posts the
form twice; the page is never cached."""
from __future__ import annotations

from typing import Any

from flask import make_response, render_template, request, session
from werkzeug.wrappers import Response


def show_next(key: str, secret: str) -> None:
    session[key] = secret


def page_with_secret(template: str, key: str, **context: Any) -> Response:  # noqa: ANN401
    secret = session.pop(key, None) if request.method == "GET" else None
    response = make_response(render_template(template, secret=secret, **context))
    response.headers["Cache-Control"] = "no-store"  # the page may hold a new secret
    return response
