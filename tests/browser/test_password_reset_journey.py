"""A member who forgot her password asks for a link, sets a new one, and her other
browser is signed out."""
import logging
import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.steps import sign_in

NEW_PASSWORD = "新的口令-Harbour-2026"


def test_forgotten_password_reset_by_mail(live_server, new_page, db, caplog):
    caplog.set_level(logging.INFO, logger="portal.notifications.services")
    member = factories.member(db, email="li@college.example")
    db.commit()
    other = new_page()  # her office computer, still signed in
    sign_in(other, live_server, "li@college.example")

    page = new_page()
    page.goto(live_server + "/login")
    page.get_by_role("link", name="忘记密码？").click()
    page.get_by_role("button", name="发送链接").click()  # nothing typed: told so
    expect(page.get_by_label("电子邮箱")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("电子邮箱").fill("li@college.example")
    page.get_by_role("button", name="发送链接").click()
    expect(page.get_by_role("heading", name="请查收邮件")).to_be_visible()

    mail = next(record.getMessage() for record in caplog.records
                if "/password/reset/" in record.getMessage())
    assert member.email in mail
    page.goto(live_server + re.search(r"http://localhost:5000(\S+)", mail.split("|")[1]).group(1))
    page.get_by_label("新密码").fill("12345678")
    page.get_by_label("再次输入密码").fill("12345678")
    page.get_by_role("button", name="设置新密码").click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()  # too weak: told why
    page.get_by_label("新密码").fill(NEW_PASSWORD)
    page.get_by_label("再次输入密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="设置新密码").click()
    expect(page.get_by_text("密码已修改，其他设备上的登录均已退出。")).to_be_visible()

    other.reload()
    expect(other.get_by_role("banner").get_by_role("link", name="登录")).to_be_visible()
