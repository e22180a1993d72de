"""The visible language switch, and the browser's language on the first visit."""
from playwright.sync_api import expect


def test_switch_between_chinese_and_english(live_server, new_page):
    page = new_page(locale="zh-CN")
    page.goto(f"{live_server}/register")
    expect(page.get_by_role("heading", name="注册您的机构")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(f"{live_server}/register")  # stays on the same page
    expect(page.get_by_role("heading", name="Register your organisation")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")

    page.goto(f"{live_server}/login")  # the choice is remembered
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_an_english_browser_starts_in_english(live_server, new_page):
    page = new_page(locale="en-US")
    page.goto(live_server)
    expect(page.get_by_role("heading", name="Bringing enterprises and universities together")
           ).to_be_visible()
