"""Settings → API tokens: shown once, stored hashed, shared with the organisation when
asked, coordinators' scope for coordinators only, revoked for good."""
from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import OrgKind
from portal.api.models import ApiToken
from tests import factories


def test_a_token_is_shown_once_and_kept_only_as_a_hash(client, db, login_as):
    hr = login_as(factories.member(db, OrgKind.ENTERPRISE))
    page = client.post("/settings/tokens/", data={"name": "招聘会系统", "scopes": ["read"],
                                                  "lifetime": "90"}, follow_redirects=True)
    assert page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    secret = text.split('id="new-token">')[1].split("<")[0]
    token = db.scalar(select(ApiToken))
    assert token.user_id == hr.id and token.scopes == ["read"]
    assert secret not in (token.digest, token.prefix) and secret.startswith(token.prefix)
    assert secret not in client.get("/settings/tokens/").get_data(as_text=True)


def test_bad_token_requests_are_refused_on_the_form(client, db, login_as):
    login_as(factories.member(db, OrgKind.ENTERPRISE))
    page = client.post("/settings/tokens/", data={"name": "", "scopes": [], "lifetime": "7"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "此项为必填项" in text
    page = client.post("/settings/tokens/", data={"name": "x", "scopes": ["coordinator"],
                                                  "lifetime": "30"})
    assert "令牌的权限不能超出您本人的权限" in page.get_data(as_text=True)
    assert db.scalar(select(ApiToken)) is None


def test_a_shared_token_is_seen_and_revoked_by_colleagues_only(client, db, login_as):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    from portal.accounts.models import Role, User
    from portal.accounts.services import AccountDetails  # noqa: F401 - the account shape
    colleague = User(email="colleague@example.test", name="同事", password_hash="x",
                     role=Role.ENTERPRISE_HR, organization_id=hr.organization_id)
    db.add(colleague)
    db.commit()
    from portal.api.models import Scope
    from portal.api.tokens import create_token
    shared, _ = create_token(db, hr, "共享", [Scope.READ], 30, shared=True)
    private, _ = create_token(db, hr, "私人", [Scope.READ], 30)
    db.commit()
    login_as(colleague)
    page = client.get("/settings/tokens/").get_data(as_text=True)
    assert "共享" in page and "私人" not in page
    assert client.post(f"/settings/tokens/{private.id}/revoke").status_code == 404
    client.post(f"/settings/tokens/{shared.id}/revoke")
    db.expire_all()
    assert db.get(ApiToken, shared.id).revoked_at is not None


def test_a_coordinator_may_give_the_coordinator_scope(client, db, login_as):
    login_as("coordinator")
    page = client.get("/settings/tokens/").get_data(as_text=True)
    assert 'value="coordinator"' in page and 'name="shared"' not in page
    client.post("/settings/tokens/", data={"name": "市级平台",
                                           "scopes": ["read", "coordinator"], "lifetime": "30"})
    assert db.scalar(select(ApiToken)).scopes == ["read", "coordinator"]
