"""CSRF, cookie flags, security headers and production settings."""
import re

import pytest

from portal import create_app
from tests import factories


@pytest.fixture
def csrf_app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def csrf_client(csrf_app_config):
    from tests.conftest import IsolatedClient

    app = create_app(csrf_app_config)
    app.test_client_class = IsolatedClient
    return app.test_client()


def test_csrf_is_enforced_on_every_form(csrf_client, db):
    factories.member(db, email="hr@example.com")
    db.commit()
    data = {"email": "hr@example.com", "password": factories.PASSWORD}
    refused = csrf_client.post("/login", data=data)
    assert refused.status_code == 400 and "表单已过期" in refused.get_data(as_text=True)

    page = csrf_client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert csrf_client.post("/login", data={**data, "csrf_token": token}).status_code == 302
    # Sign-out and the language switch are state changes too.
    assert csrf_client.post("/logout").status_code == 400
    assert csrf_client.post("/language", data={"language": "en"}).status_code == 400


def test_session_cookie_flags(client, db):
    factories.member(db, email="hr@example.com")
    db.commit()
    response = client.post("/login", data={"email": "hr@example.com",
                                           "password": factories.PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith("portal_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in development


def test_production_switch_secures_cookies_and_trusts_the_proxy(app_config, db):
    app = create_app({**app_config, "PRODUCTION": True})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    factories.member(db, email="hr@example.com")
    db.commit()
    client = app.test_client()
    response = client.post("/login", data={"email": "hr@example.com",
                                           "password": factories.PASSWORD, "remember": "y"},
                           headers={"X-Forwarded-Proto": "https"})
    cookies = response.headers.getlist("Set-Cookie")
    assert all("Secure" in c for c in cookies if c.startswith(("portal_session", "portal_rem")))
    # Behind the proxy, links the portal builds use the outside scheme and host.
    response = client.post("/organization/members", data={"email": "new@example.com"},
                           headers={"X-Forwarded-Proto": "https",
                                    "X-Forwarded-Host": "portal.city.example"})
    assert 'value="https://portal.city.example/invite/' in response.get_data(as_text=True)


def test_security_headers(client):
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_pages_load_nothing_from_other_hosts(client, login_as):
    for path in ("/", "/login", "/register/enterprise"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r'(src|href)="(https?:)?//', html), path


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.post("/language", data={"language": "en", "next": target})
    assert response.headers["Location"] == "/"


def test_form_fields_carry_only_meaningful_attributes(client):
    html = client.get("/register/enterprise").get_data(as_text=True)
    assert '="None"' not in html
    assert re.search(r'<input[^>]*id="address"[^>]*>', html).group(0).count("required") == 0
    assert "required" in re.search(r'<input[^>]*id="name"[^>]*>', html).group(0)
