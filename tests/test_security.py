"""CSRF, cookie flags, security headers and production settings."""
import io
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


def test_production_asks_browsers_to_keep_to_https(app_config, client):
    """Issue 14: no HSTS with PORTAL_PRODUCTION=1."""
    assert "Strict-Transport-Security" not in client.get("/").headers  # plain http here
    production = create_app({**app_config, "PRODUCTION": True}).test_client()
    hsts = production.get("/", headers={"X-Forwarded-Proto": "https"}).headers
    assert hsts["Strict-Transport-Security"].startswith("max-age=31536000")


def test_signed_in_pages_and_exports_are_never_cached(client, login_as):
    """Issue 14: a shared computer's back button or a proxy kept signed-in pages."""
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login_as("enterprise_hr")
    for path in ("/", "/postings/", "/postings/export.csv", "/inbox/"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    assert "no-store" not in client.get("/static/css/portal.css").headers.get(
        "Cache-Control", "")


@pytest.mark.parametrize("path", ["/postings/?q=%00PLC%00", "/postings/?kind=%00",
                                  "/postings/?district=a%00b&page=%001",
                                  "/verify/CJ%00-2026", "/register/%00enterprise"])
def test_nul_and_control_characters_in_parameters_are_dropped(client, login_as, path):
    """Issue 14: a NUL in a query parameter was a 500 on PostgreSQL."""
    login_as("enterprise_hr")
    assert client.get(path).status_code in (200, 302, 404)


def test_a_route_that_takes_a_file_accepts_one_over_the_form_limit(app, client, db,
                                                                   login_as):
    """The small body limit is every form's; uploads have their own (and the CSRF check,
    which reads the body first, keeps to it)."""
    login_as("coordinator")
    big = b'{"format": "portal-import/1", "postings": []' + b" " * (600 * 1024) + b"}"
    response = client.post("/postings/import", data={"file": (io.BytesIO(big), "big.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 302  # taken: to the page of its import run
    assert app.config["MAX_CONTENT_LENGTH"] < len(big) < app.config["IMPORT_MAX_BYTES"]


def test_a_configured_proxy_hop_is_trusted_for_the_client_address(app_config):
    from flask import request

    app = create_app({**app_config, "TRUSTED_PROXIES": "1"})  # as from the environment
    seen = {}

    @app.get("/_address")
    def address():
        seen["address"] = request.remote_addr
        return "ok"

    app.test_client().get("/_address", headers={"X-Forwarded-For": "198.51.100.4"})
    assert seen["address"] == "198.51.100.4"


def test_an_address_longer_than_any_page_needs_is_refused_before_any_work(client):
    """Found by the payload corpus: a 3 MB search address was parsed and cleaned in full."""
    response = client.get("/postings/", query_string={"q": "长" * 5_000})
    assert response.status_code == 414 and "网址过长" in response.get_data(as_text=True)
    assert client.get("/postings/", query_string={"q": "长" * 200}).status_code in (200, 302)


@pytest.mark.parametrize("path", ["/postings/9223372036854775808", "/postings/2147483648",
                                  "/organizations/99999999999999999999",
                                  "/api/v1/postings/9223372036854775808"])
def test_an_id_beyond_any_row_is_not_found(client, db, login_as, path):
    """Found by the API's contract test: SQLite and PostgreSQL refuse such numbers, and
    the refusal was a server error."""
    login_as("coordinator")
    assert client.get(path).status_code in (401, 404)
