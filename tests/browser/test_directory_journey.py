"""The directory: a university's staff member searches for a firm, opens its profile and
sees what it publishes and with whom it cooperates; the firm writes its description and
uploads its logo."""
import io

from PIL import Image
from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from tests import factories
from tests.browser.steps import sign_in


def test_search_the_directory_and_open_a_profile(live_server, new_page, db):
    proposal = factories.partnership(db, title="数控订单班")
    firm = proposal.proposer
    factories.posting(db, org=firm, title="PLC电气工程师")
    factories.member(db, OrgKind.UNIVERSITY, email="staff@lingang.example")
    db.commit()
    page = new_page()
    sign_in(page, live_server, "staff@lingang.example")
    page.get_by_role("link", name="机构名录").click()
    page.get_by_label("名称或行业").fill(firm.name[2:8])
    page.get_by_label("类型").select_option(label="企业")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_text("1 家机构")).to_be_visible()
    page.get_by_role("link", name=firm.name).click()

    expect(page.get_by_role("heading", name=firm.name)).to_be_visible()
    expect(page.get_by_text("已通过市级审核")).to_be_visible()
    expect(page.get_by_role("link", name="PLC电气工程师")).to_be_visible()
    partnerships = page.locator("table.partnerships")
    expect(partnerships.get_by_text("数控订单班")).to_be_visible()
    partnerships.get_by_role("link", name=proposal.partner.name).click()
    expect(page.get_by_role("heading", name=proposal.partner.name)).to_be_visible()


def png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 80, 160)).save(out, "PNG")
    return out.getvalue()


def test_a_member_writes_the_profile_and_uploads_a_logo(live_server, new_page, db):
    hr = factories.member(db, OrgKind.ENTERPRISE, email="hr@chengyao.example")
    db.commit()
    page = new_page()
    sign_in(page, live_server, "hr@chengyao.example")
    page.goto(f"{live_server}/organization/")
    page.get_by_label("机构简介").fill("专注数控机床装备，愿与高职院校共建订单班。")
    page.get_by_role("button", name="保存").first.click()
    page.get_by_role("link", name="查看本机构主页").click()
    expect(page.get_by_role("heading", name=hr.organization.name)).to_be_visible()
    expect(page.get_by_text("愿与高职院校共建订单班")).to_be_visible()

    page.get_by_role("link", name="编辑本机构资料").click()
    page.get_by_label("机构标志（PNG 或 JPEG，不超过 2 MB）").set_input_files(
        files=[{"name": "logo.txt", "mimeType": "image/png", "buffer": b"not an image"}])
    page.get_by_role("button", name="上传标志").click()
    expect(page.get_by_text("请上传 PNG 或 JPEG 格式的图片。")).to_be_visible()
    page.get_by_label("机构标志（PNG 或 JPEG，不超过 2 MB）").set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": png((900, 300))}])
    page.get_by_role("button", name="上传标志").click()
    expect(page.get_by_text("标志已保存")).to_be_visible()
    page.get_by_role("link", name="查看本机构主页").click()
    logo = page.get_by_role("img", name=f"{hr.organization.name} 的标志")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.naturalWidth") == 400
