"""HTTP hardening at the request boundary: bounded bodies, cleaned parameters, security
headers on every response, and safe redirect targets."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, Request, Response, abort, current_app, request
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property

from portal.text import strip_invisible

F = TypeVar("F", bound=Callable[..., Any])
MAX_QUERY_STRING = 8 * 1024  # bytes: a search or a filter, never more
# What a file upload may add to the file itself (the multipart envelope, a CSRF token).
UPLOAD_OVERHEAD = 64 * 1024


class CleanRequest(Request):
    """Query parameters without NUL and other invisible control characters: they mean
    nothing in a search or a filter, and PostgreSQL refuses NUL in text outright."""

    @cached_property
    def args(self) -> ImmutableMultiDict[str, str]:  # type: ignore[override]
        raw = super().args
        return ImmutableMultiDict([(strip_invisible(key), strip_invisible(value))
                                   for key, value in raw.items(multi=True)])


# The largest id a row can have (the databases' 32-bit integer keys): a larger number in
# an address names nothing, and asking the database for it would fail instead.
MAX_ROW_ID = 2**31 - 1


def _clean_view_args(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    for name, value in (values or {}).items():
        if isinstance(value, str):
            values[name] = strip_invisible(value)  # type: ignore[index]
        elif isinstance(value, int) and value > MAX_ROW_ID:
            abort(404)


def accepts_upload(limit_setting: str) -> Callable[[F], F]:
    """A route that takes a file: its body may reach the size `limit_setting` names (plus
    the form around the file) instead of the small default every other route has."""
    def decorate(view: F) -> F:
        view.upload_limit_setting = limit_setting  # type: ignore[attr-defined]
        return view  # the decorators above copy the mark (functools.wraps)
    return decorate


def _bounded_request() -> None:
    """Before any work: an address longer than any page needs is refused (gunicorn's
    request line limit does the same in front; this holds wherever the portal runs)."""
    if len(request.query_string) > MAX_QUERY_STRING:
        abort(414)
    _body_limit()


def _body_limit() -> None:
    """Before anything reads the body (the CSRF check does): the route's own limit."""
    view = current_app.view_functions.get(request.endpoint or "")
    setting = getattr(view, "upload_limit_setting", None)
    if setting is not None:
        request.max_content_length = current_app.config[setting] + UPLOAD_OVERHEAD

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def add_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config["PRODUCTION"]:
        # Production is served over HTTPS only (behind the proxy): browsers keep to it.
        response.headers.setdefault("Strict-Transport-Security",
                                    "max-age=31536000; includeSubDomains")
    if request.endpoint != "static" and current_user.is_authenticated:
        # A signed-in page or export is nobody else's: no shared or back-button copy.
        response.headers["Cache-Control"] = "no-store"
    return response


def safe_next_url(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None.

    Browsers treat backslashes as slashes and ignore leading control characters and
    spaces, so "/\\evil.com", " //evil.com" and "\\t//evil.com" all leave the site.
    """
    if not target or any(ord(char) < 0x21 or char == "\x7f" for char in target):
        return None
    if "\\" in target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def init_app(app: Flask) -> None:
    """Before the CSRF protection is set up: its check reads the body."""
    app.before_request(_bounded_request)
    app.after_request(add_security_headers)
    app.url_value_preprocessor(_clean_view_args)
