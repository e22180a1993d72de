"""OAuth 2.0 client credentials for the city's platforms (issue 17): a coordinator
registers the client; it gets hour-long tokens within its scopes, which stop with it;
browsers at its registered origins may call the API, others may not."""
from __future__ import annotations

import base64

import pytest

from portal.accounts.models import OrgKind
from portal.api.models import Scope
from portal.api.oauth import register_client, revoke_client
from portal.errors import DomainError, PermissionDenied
from tests import factories
from tests.factories import bearer

ORIGIN = "https://jobs.sh.gov.cn"


def basic(client_id: str, secret: str) -> dict[str, str]:
    pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


@pytest.fixture
def registered(db):
    office = factories.coordinator(db)
    client, secret = register_client(db, office, "市公共就业服务平台",
                                     [Scope.READ, Scope.COORDINATOR], [ORIGIN + "/"])
    db.commit()
    return office, client, secret


def token_of(client, client_id, secret, scope="read"):
    answer = client.post("/api/v1/oauth/token", data={"grant_type": "client_credentials",
                                                      "scope": scope},
                         headers=basic(client_id, secret))
    assert answer.status_code == 200, answer.json
    return answer


def test_a_client_gets_tokens_within_its_scopes_until_it_is_revoked(client, db, registered):
    office, registered_client, secret = registered
    assert registered_client.origins == [ORIGIN]
    answer = token_of(client, registered_client.client_id, secret)
    body = answer.json
    assert body["token_type"].lower() == "bearer" and body["expires_in"] == 3600
    assert body["scope"] == "read" and body["access_token"].startswith("cjp_")
    assert answer.headers["Cache-Control"] == "no-store"
    access = body["access_token"]
    assert client.get("/api/v1/postings", headers=bearer(access)).status_code == 200
    assert client.get("/api/v1/monitoring/warnings", headers=bearer(access)).status_code == 403
    wider = token_of(client, registered_client.client_id, secret, "read coordinator").json
    assert client.get("/api/v1/monitoring/warnings",
                      headers=bearer(wider["access_token"])).status_code == 200
    # The secret in the form works too; a scope the client was not given is not granted.
    posted = client.post("/api/v1/oauth/token", data={
        "grant_type": "client_credentials", "scope": "write",
        "client_id": registered_client.client_id, "client_secret": secret})
    assert posted.status_code == 400 and posted.json["error"] == "invalid_scope"

    wrong = client.post("/api/v1/oauth/token", data={"grant_type": "client_credentials"},
                        headers=basic(registered_client.client_id, secret + "x"))
    assert wrong.status_code == 401 and wrong.json["error"] == "invalid_client"
    assert client.post("/api/v1/oauth/token", data={"grant_type": "password"},
                       headers=basic(registered_client.client_id, secret)).status_code == 400

    revoke_client(db, registered_client, office)
    db.commit()
    assert client.get("/api/v1/postings", headers=bearer(access)).status_code == 401
    assert client.post("/api/v1/oauth/token", data={"grant_type": "client_credentials"},
                       headers=basic(registered_client.client_id, secret)).status_code == 401


def test_browsers_at_the_clients_origins_may_call_the_api(client, db, registered):
    _office, registered_client, secret = registered
    preflight = client.options("/api/v1/postings", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    elsewhere = client.options("/api/v1/postings", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in elsewhere.headers

    access = token_of(client, registered_client.client_id, secret).json["access_token"]
    called = client.get("/api/v1/postings", headers=bearer(access, Origin=ORIGIN))
    assert called.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "ETag" in called.headers["Access-Control-Expose-Headers"]
    # A person's own token is for servers, not for pages at the client's origin.
    hr = factories.member(db, OrgKind.ENTERPRISE)
    personal = client.get("/api/v1/postings", headers=bearer(factories.api_token(db, hr),
                                                             Origin=ORIGIN))
    assert personal.status_code == 200
    assert "Access-Control-Allow-Origin" not in personal.headers


def test_only_coordinators_register_clients_and_origins_are_checked(db):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    with pytest.raises(PermissionDenied):
        register_client(db, hr, "自建系统", [Scope.READ], [])
    office = factories.coordinator(db)
    for origin in ("jobs.sh.gov.cn", "https://jobs.sh.gov.cn/path", "ftp://x.example"):
        with pytest.raises(DomainError):
            register_client(db, office, "平台", [Scope.READ], [origin])
    with pytest.raises(DomainError):
        register_client(db, office, "  ", [Scope.READ], [])
