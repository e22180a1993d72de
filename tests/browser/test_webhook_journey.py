"""Webhooks: an HR manager registers the job-fair system's receiver for new postings,
copies its signing secret, sees a posting's delivery arrive, and sends it again."""
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from portal.postings.models import PostingKind
from tests import factories
from tests.browser.steps import sign_in


def receiver() -> tuple[ThreadingHTTPServer, list[tuple[dict, bytes]]]:
    received: list[tuple[dict, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            received.append((dict(self.headers),
                             self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received


def test_register_a_webhook_see_its_delivery_and_send_it_again(app, live_server, new_page, db):
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True  # the receiver runs on this machine
    hr = factories.member(db, OrgKind.ENTERPRISE, email="hr@chengyao.example")
    db.commit()
    server, received = receiver()
    url = f"http://127.0.0.1:{server.server_port}/hooks"
    page = new_page()
    sign_in(page, live_server, "hr@chengyao.example")
    page.get_by_role("link", name="API 令牌").click()
    page.get_by_role("link", name="Webhook", exact=True).click()
    expect(page.get_by_text("还没有 Webhook")).to_be_visible()
    page.get_by_role("button", name="登记 Webhook").click()  # nothing filled in
    expect(page.locator("#url-error")).to_have_text("此项为必填项。")
    page.get_by_label("接收地址").fill("ftp://jobs.example/hooks")
    page.get_by_label("有信息发布").check()
    page.get_by_role("button", name="登记 Webhook").click()
    expect(page.get_by_text("请填写以 http:// 或 https:// 开头")).to_be_visible()
    expect(page.get_by_label("有信息发布")).to_be_checked()  # nothing chosen is lost
    page.get_by_label("接收地址").fill(url)
    page.get_by_role("button", name="登记 Webhook").click()
    expect(page.get_by_text("它只显示这一次")).to_be_visible()
    secret = page.locator("#new-secret").inner_text().strip()

    factories.posting(db, PostingKind.TALENT_DEMAND, org=hr.organization, title="PLC电气工程师")
    db.commit()
    [(headers, body)] = received
    stamp, digest = (part.split("=", 1)[1] for part in headers["Portal-Signature"].split(","))
    assert hmac.compare_digest(digest, hmac.new(
        secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest())
    assert json.loads(body)["data"]["title"] == "PLC电气工程师"

    page.reload()
    expect(page.locator("#new-secret")).to_have_count(0)  # shown once
    expect(page.get_by_role("cell", name="已送达")).to_be_visible()
    page.get_by_role("button", name="重新发送第").first.click()
    expect(page.get_by_text("正在重新发送该事件")).to_be_visible()
    assert len(received) == 2 and received[1][1] == body
    server.shutdown()
