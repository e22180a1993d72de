"""An enterprise registers and confirms its address, a coordinator returns it, it corrects,
the coordinator verifies."""
from playwright.sync_api import expect

from tests import factories
from tests.browser.steps import sign_in


def fill_account(hr):
    """The applicant's own part of the registration form."""
    hr.get_by_label("您的姓名").fill("王敏")
    hr.get_by_label("您的工作邮箱").fill("wang@chengyao.example")
    hr.get_by_label("密码", exact=True).fill(factories.PASSWORD)
    hr.get_by_label("再次输入密码").fill(factories.PASSWORD)
    hr.get_by_label("我确认已获授权代表本机构进行注册。").check()


def test_register_review_correct_and_verify(live_server, new_page, db):
    factories.coordinator(db, email="coordinator@city.example")
    db.commit()

    # An HR manager registers her company from the start page.
    hr = new_page()
    hr.goto(live_server)
    hr.get_by_role("link", name="注册您的机构").click()
    hr.get_by_role("link", name="注册企业").click()
    hr.get_by_label("注册全称").fill("上海澄曜智能装备有限公司")
    hr.get_by_label("统一社会信用代码").fill("91440300708461136U")  # a typo in the last character
    hr.get_by_label("企业规模").select_option("small")
    hr.get_by_label("所在区").fill("闵行区")
    fill_account(hr)
    hr.get_by_role("button", name="提交注册").click()
    expect(hr.get_by_text("信用代码最后一位校验码不符")).to_be_visible()
    # What she typed is still there; she corrects the code and the passwords.
    expect(hr.get_by_label("注册全称")).to_have_value("上海澄曜智能装备有限公司")
    hr.get_by_label("统一社会信用代码").fill("91440300708461136T")
    hr.get_by_label("密码", exact=True).fill(factories.PASSWORD)
    hr.get_by_label("再次输入密码").fill(factories.PASSWORD)
    hr.get_by_role("button", name="提交注册").click()
    expect(hr.get_by_role("heading", name="请查收邮件")).to_be_visible()

    # She opens the link the message brought her (mail is logged here; the same link is
    # in the account's record) and confirms.
    hr.goto(live_server + factories.confirmation_link(db, "wang@chengyao.example"))
    hr.get_by_role("button", name="确认并登录").click()
    expect(hr.get_by_text("您的电子邮箱已确认")).to_be_visible()
    expect(hr.get_by_text("等待审核。")).to_be_visible()

    # The coordinator finds it in the queue and returns it with a reason.
    coordinator = new_page()
    sign_in(coordinator, live_server, "coordinator@city.example")
    coordinator.get_by_role("link", name="机构审核").click()
    coordinator.get_by_role("link", name="上海澄曜智能装备有限公司").click()
    coordinator.get_by_label("退回修改").check()
    coordinator.get_by_label("退回原因").fill("请填写公司注册地址。")
    coordinator.get_by_role("button", name="提交审核决定").click()
    expect(coordinator.get_by_text("已退回修改。")).to_be_visible()

    # The HR manager sees why, adds the address and resubmits.
    hr.reload()
    expect(hr.get_by_text("请填写公司注册地址。").first).to_be_visible()
    hr.get_by_label("地址").fill("上海市闵行区剑川路 100 号")
    hr.get_by_role("button", name="保存并重新提交审核").click()
    expect(hr.get_by_text("您的修改已提交协调员重新审核。")).to_be_visible()

    # The coordinator verifies.
    coordinator.goto(f"{live_server}/review/organizations")
    coordinator.get_by_role("link", name="上海澄曜智能装备有限公司").click()
    expect(coordinator.get_by_text("上海市闵行区剑川路 100 号")).to_be_visible()
    coordinator.get_by_label("审核通过").check()
    coordinator.get_by_role("button", name="提交审核决定").click()
    expect(coordinator.get_by_text("已通过审核，现在可以发布信息")).to_be_visible()

    # The HR manager signs in afresh and sees the verified state.
    hr.get_by_role("button", name="退出").click()
    sign_in(hr, live_server, "wang@chengyao.example")
    expect(hr.get_by_text("已通过审核。")).to_be_visible()
    expect(hr.get_by_text("您的机构可以发布信息并发起合作。")).to_be_visible()


def test_a_registration_with_its_licence_scan_under_a_name_already_known(
        live_server, new_page, db, tmp_path):
    from pypdf import PdfWriter

    factories.coordinator(db, email="coordinator@city.example")
    factories.organization(db, verified=True, name="上海澄曜智能装备有限公司")
    db.commit()
    scan = tmp_path / "营业执照.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(scan)

    hr = new_page()
    hr.goto(f"{live_server}/register/enterprise")
    hr.get_by_label("注册全称").fill("澄曜智能装备（上海）有限公司")
    hr.get_by_label("统一社会信用代码").fill("91440300708461136T")
    hr.get_by_label("企业规模").select_option("small")
    hr.get_by_label("所在区").fill("闵行区")
    hr.get_by_label("营业执照扫描件").set_input_files(
        files=[{"name": "执照.html", "mimeType": "application/pdf",
                "buffer": b"<html><script>alert(1)</script></html>"}])
    fill_account(hr)
    hr.get_by_role("button", name="提交注册").click()
    expect(hr.get_by_text("网页或压缩包").first).to_be_visible()
    hr.get_by_label("营业执照扫描件").set_input_files(scan)
    hr.get_by_label("密码", exact=True).fill(factories.PASSWORD)
    hr.get_by_label("再次输入密码").fill(factories.PASSWORD)
    hr.get_by_role("button", name="提交注册").click()
    expect(hr.get_by_role("heading", name="请查收邮件")).to_be_visible()

    coordinator = new_page()
    sign_in(coordinator, live_server, "coordinator@city.example")
    coordinator.get_by_role("link", name="机构审核").click()
    coordinator.get_by_role("link", name="澄曜智能装备（上海）有限公司").click()
    expect(coordinator.get_by_text("该机构是否已经注册？")).to_be_visible()
    expect(coordinator.get_by_role("link", name="上海澄曜智能装备有限公司")).to_be_visible()
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="营业执照.pdf").click()
    assert download.value.suggested_filename == "营业执照.pdf"
