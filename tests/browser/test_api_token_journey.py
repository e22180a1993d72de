"""API tokens: an HR manager creates a token for the district's job-fair system, the
system reads postings with it, she revokes it and the system is refused at once."""
import json
import urllib.error
import urllib.request

from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from tests import factories
from tests.browser.steps import sign_in


def _get(url: str, secret: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - our server
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


def test_create_use_and_revoke_a_token(live_server, new_page, db):
    factories.member(db, OrgKind.ENTERPRISE, email="hr@chengyao.example")
    db.commit()
    page = new_page()
    sign_in(page, live_server, "hr@chengyao.example")
    page.get_by_role("link", name="API 令牌").click()
    expect(page.get_by_text("还没有令牌")).to_be_visible()
    page.get_by_label("令牌名称").fill("区招聘会系统")
    page.get_by_label("有效期").select_option("30")
    page.get_by_role("button", name="创建令牌").click()
    expect(page.get_by_text("请立即复制")).to_be_visible()
    secret = page.locator("#new-token").inner_text().strip()
    assert secret.startswith("cjp_")

    status, body = _get(f"{live_server}/api/v1/postings", secret)
    assert status == 200 and body["items"] == []
    page.reload()  # shown once: a new look at the page no longer holds it
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.get_by_role("cell", name="区招聘会系统 cjp_")).to_be_visible()

    page.get_by_role("button", name="撤销 区招聘会系统").click()
    expect(page.get_by_text("令牌已撤销")).to_be_visible()
    status, body = _get(f"{live_server}/api/v1/postings", secret)
    assert status == 401 and body["status"] == 401
