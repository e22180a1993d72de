"""OAuth clients: a coordinator registers the city employment platform, hands over its
id and secret, the platform gets a token and reads postings; revoked, it is refused."""
import base64
import json
import urllib.error
import urllib.parse
import urllib.request

from playwright.sync_api import expect

from tests import factories
from tests.browser.steps import sign_in


def _call(url: str, headers: dict[str, str], data: bytes | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - our server
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


def _token(live_server: str, client_id: str, secret: str) -> tuple[int, dict]:
    pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return _call(f"{live_server}/api/v1/oauth/token", {"Authorization": f"Basic {pair}"},
                 urllib.parse.urlencode({"grant_type": "client_credentials"}).encode())


def test_register_use_and_revoke_a_client(live_server, new_page, db):
    factories.coordinator(db, email="office@city.example")
    db.commit()
    page = new_page()
    sign_in(page, live_server, "office@city.example")
    page.get_by_role("link", name="API 令牌").click()
    page.get_by_role("link", name="OAuth 客户端").click()
    expect(page.get_by_text("还没有客户端")).to_be_visible()
    page.get_by_label("客户端名称").fill("市公共就业服务平台")
    page.get_by_label("浏览器来源（CORS）").fill("jobs.sh.gov.cn")
    page.get_by_role("button", name="登记客户端").click()
    expect(page.get_by_text("不是形如 https://jobs.example.gov.cn 的来源")).to_be_visible()
    expect(page.get_by_label("客户端名称")).to_have_value("市公共就业服务平台")  # kept
    page.get_by_label("浏览器来源（CORS）").fill("https://jobs.sh.gov.cn")
    page.get_by_role("button", name="登记客户端").click()
    expect(page.get_by_text("密钥只显示这一次")).to_be_visible()
    client_id = page.locator("#new-client-id").inner_text().strip()
    secret = page.locator("#new-client-secret").inner_text().strip()

    status, body = _token(live_server, client_id, secret)
    assert status == 200 and body["scope"] == "read"
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    assert _call(f"{live_server}/api/v1/postings", bearer)[0] == 200

    page.reload()
    expect(page.locator("#new-client-secret")).to_have_count(0)  # shown once
    page.get_by_role("button", name="撤销 市公共就业服务平台").click()
    expect(page.get_by_text("客户端已撤销")).to_be_visible()
    assert _call(f"{live_server}/api/v1/postings", bearer)[0] == 401
    assert _token(live_server, client_id, secret)[0] == 401
