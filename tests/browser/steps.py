"""Steps the browser journeys share, as a person takes them in the Chinese UI."""
from tests import factories


def sign_in(page, base, email, password=factories.PASSWORD):
    page.goto(f"{base}/login")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()


def sign_out(page):
    page.get_by_role("button", name="退出").click()


def go_to_cooperations(page):
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="合作",
                                                             exact=True).click()
