"""OAuth 2.0 client credentials (RFC 6749 §4.4) for the city's other platforms, with
Authlib's authorization server: it authenticates the client and writes the token answer;
the portal keeps the clients and stores each access token as an API token (hashed, short
lived, tied to its client), so every API call checks it the one way. CORS answers the
browser origins registered for the clients, and nothing else."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidScopeError
from flask import Flask, Response, current_app, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.api.models import ApiToken, OAuthClient, Scope
from portal.api.tokens import NAME_MAX, PREFIX, scopes_for
from portal.db import db_session, utcnow
from portal.errors import DomainError, PermissionDenied

CLIENT_PREFIX = "cjc_"
TOKEN_LIFETIME = timedelta(hours=1)
ORIGINS_MAX = 10
# What a browser may send to the API and read from its answers.
CORS_REQUEST_HEADERS = "Authorization, Content-Type, Accept-Language, If-Match, " \
                       "If-None-Match, Idempotency-Key"
CORS_EXPOSED_HEADERS = "ETag, Location, Retry-After, RateLimit-Limit, RateLimit-Remaining, " \
                       "RateLimit-Reset, Idempotent-Replayed, Content-Language"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _origin(text: str) -> str:
    parts = urlsplit(text.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname or \
            parts.path not in ("", "/") or parts.query or parts.username:
        raise DomainError(_l("“%(origin)s” is not an origin such as "
                             "https://jobs.example.gov.cn.", origin=text.strip()[:100]),
                          field="origins")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def register_client(session: Session, coordinator: User, name: str, scopes: list[Scope],
                    origins: list[str]) -> tuple[OAuthClient, str]:
    """A new client and its secret, shown once and never stored."""
    if not coordinator.is_coordinator:
        raise PermissionDenied(_l("Only city coordinators register OAuth clients."))
    name = name.strip()[:NAME_MAX]
    if not name:
        raise DomainError(_l("Please give the client a name."), field="name")
    if not scopes or any(scope not in scopes_for(coordinator) for scope in scopes):
        raise DomainError(_l("Choose at least one scope."), field="scopes")
    cleaned = sorted({_origin(origin) for origin in origins if origin.strip()})
    if len(cleaned) > ORIGINS_MAX:
        raise DomainError(_l("At most %(n)d origins.", n=ORIGINS_MAX), field="origins")
    secret = secrets.token_urlsafe(32)
    client = OAuthClient(client_id=f"{CLIENT_PREFIX}{secrets.token_hex(12)}",
                         secret_digest=_digest(secret), name=name, owner_id=coordinator.id,
                         scopes=[scope.value for scope in scopes], origins=cleaned)
    session.add(client)
    session.flush()
    return client, secret


def clients(session: Session) -> list[OAuthClient]:
    return list(session.scalars(select(OAuthClient).order_by(OAuthClient.id.desc())))


def revoke_client(session: Session, client: OAuthClient, coordinator: User) -> None:
    """The client gets no new token, and those it holds stop working at once."""
    if not coordinator.is_coordinator:
        raise PermissionDenied(_l("Only city coordinators register OAuth clients."))
    client.revoked_at = client.revoked_at or utcnow()


# --- The token endpoint ------------------------------------------------------------------

class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def validate_token_request(self) -> None:
        """A scope asked for beyond the client's is refused, not silently dropped."""
        super().validate_token_request()
        asked = set((self.request.payload.scope or "").split())
        if not asked <= set(self.request.client.scopes):
            raise InvalidScopeError()


def _query_client(client_id: str) -> OAuthClient | None:
    if not client_id or len(client_id) > 40:
        return None
    return db_session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))


def _save_token(token: dict[str, Any], oauth_request: Any) -> None:  # noqa: ANN401
    client: OAuthClient = oauth_request.client
    secret = token["access_token"]
    db_session.add(ApiToken(
        user_id=client.owner_id, client_id=client.id, name=f"OAuth: {client.name}"[:100],
        prefix=secret[:len(PREFIX) + 6], digest=_digest(secret),
        scopes=token.get("scope", "").split(), expires_at=utcnow() + TOKEN_LIFETIME))
    db_session.commit()


def _new_secret(*_args: Any, **_kwargs: Any) -> str:  # noqa: ANN401 - Authlib's arguments
    return f"{PREFIX}{secrets.token_urlsafe(32)}"


def init_app(app: Flask) -> None:
    app.config.setdefault("OAUTH2_ACCESS_TOKEN_GENERATOR", _new_secret)
    app.config.setdefault("OAUTH2_TOKEN_EXPIRES_IN", {
        "client_credentials": int(TOKEN_LIFETIME.total_seconds())})
    server = AuthorizationServer(app, query_client=_query_client, save_token=_save_token)
    server.register_grant(ClientCredentialsGrant)
    app.extensions["oauth_server"] = server


def token_response() -> Response:
    response = current_app.extensions["oauth_server"].create_token_response()
    response.headers["Cache-Control"] = "no-store"  # RFC 6749 §5.1: it holds a token
    return response


# --- CORS --------------------------------------------------------------------------------

def _registered_origins() -> set[str]:
    return {origin for origins in db_session.scalars(select(OAuthClient.origins).where(
        OAuthClient.revoked_at.is_(None))) for origin in origins}


def add_cors_headers(response: Response, token: ApiToken | None) -> Response:
    """An answer a browser at a client's origin may read: a preflight for any registered
    origin; a call when its token's client registered that origin."""
    origin = request.headers.get("Origin", "")
    if not origin or len(origin) > 200:
        return response
    if request.method == "OPTIONS":
        allowed = origin in _registered_origins()
    else:
        allowed = token is not None and token.client is not None and \
            origin in token.client.origins
    response.vary.add("Origin")
    if allowed:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PATCH"
        response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
    return response
