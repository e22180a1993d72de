"""Bearer tokens on every API call. Cookies never authenticate here, so the API needs no
CSRF token: a page elsewhere cannot make a browser send someone's token."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError

from portal.accounts.models import User
from portal.api.models import ApiToken, Scope
from portal.api.problems import Problem
from portal.api.tokens import authenticate
from portal.db import db_session

F = TypeVar("F", bound=Callable[..., Any])

CHALLENGE = 'Bearer realm="portal"'


def authenticate_request() -> None:
    """Before each API view: the caller's token, or a 401 that says why."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Problem(401, _l("Send an API token as “Authorization: Bearer <token>”."),
                      headers={"WWW-Authenticate": CHALLENGE})
    token = authenticate(db_session, secret.strip())
    if token is None:
        raise Problem(401, _l("This token is unknown, expired or revoked."),
                      headers={"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'})
    try:
        db_session.commit()  # its last use, recorded whatever the call does next
    except OperationalError:
        # Another call of the same token recorded it first (SQLite refuses a write
        # after a read of an older snapshot): the last use is a minute's precision.
        db_session.rollback()
    g.api_token = token


def caller() -> User:
    return g.api_token.user


def token() -> ApiToken:
    return g.api_token


def check_scope(scope: Scope) -> None:
    """The caller's token has `scope` (and, for coordinators' scope, is a coordinator's),
    or a 403 that names the scope missing."""
    if not g.api_token.allows(scope) or (
            scope is Scope.COORDINATOR and not caller().is_coordinator):
        raise Problem(403, _l("This token lacks the “%(scope)s” scope.", scope=scope.value),
                      headers={"WWW-Authenticate": f'{CHALLENGE}, error="insufficient_scope", '
                                                   f'scope="{scope.value}"'})


def requires(scope: Scope) -> Callable[[F], F]:
    """The view needs a token with `scope` (see check_scope)."""
    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
            check_scope(scope)
            return view(*args, **kwargs)
        return checked  # type: ignore[return-value]
    return decorate
