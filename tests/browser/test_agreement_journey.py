"""Agreements in a browser: a coordinator approves a partnership and downloads its
agreement; the university uploads the signed copy (its Chinese name kept); anyone checks
the PDF on the public verification page. And a dual-mentor certificate from filing to
its countersigned PDF."""
import re
import shutil
import subprocess

from playwright.sync_api import expect

from portal.accounts.models import OrgKind
from portal.cooperation.models import CooperationKind
from portal.cooperation.services import act, propose
from portal.demo_cooperation import TERMS
from tests import factories
from tests.browser.steps import go_to_cooperations, sign_in, sign_out


def agreed(db, kind, title):
    """Both sides agree on the terms; the coordinators' approval is awaited."""
    factories.coordinator(db, email="coordinator@city.example")
    hr = factories.member(db, OrgKind.ENTERPRISE, email="hr@chengyao.example")
    staff = factories.member(db, OrgKind.UNIVERSITY, email="staff@lingang.example")
    proposal = propose(db, hr, staff.organization, kind, title, TERMS[kind])
    act(db, proposal, staff, "accept")
    db.commit()
    return proposal


def open_partnership(page, title):
    go_to_cooperations(page)
    page.get_by_role("link", name=title).first.click()


def test_approve_download_sign_and_verify(live_server, new_page, db, tmp_path):
    proposal = agreed(db, CooperationKind.ORDER_TRAINING, "智能产线运维订单班")
    page = new_page()
    sign_in(page, live_server, "coordinator@city.example")
    open_partnership(page, "智能产线运维订单班")
    page.get_by_role("button", name="批准", exact=True).click()
    agreement_link = page.locator("#agreements").get_by_role("link", name=re.compile(r"CJ-.*PDF"))
    expect(agreement_link).to_be_visible()
    with page.expect_download() as download:
        agreement_link.click()
    pdf = tmp_path / "agreement.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                      text=True, check=True).stdout.split())
        assert proposal.proposer.name in text and proposal.partner.name in text
    code = page.locator("#agreements a.code").first.inner_text()

    page.get_by_role("link", name="合作协议", exact=True).click()  # the register
    page.get_by_label("状态").select_option("terminated")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_text("没有符合筛选条件的协议")).to_be_visible()
    page.get_by_label("状态").select_option("active")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("link", name="智能产线运维订单班")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "staff@lingang.example")
    open_partnership(page, "智能产线运维订单班")
    scan_input = page.locator("#agreements").get_by_label("签字盖章的扫描件（PDF、JPEG 或 PNG）")
    scan_input.set_input_files(files=[{"name": "合作协议.pdf", "mimeType": "application/pdf",
                                       "buffer": pdf.read_bytes()}])
    page.get_by_role("button", name="上传签署件").click()
    expect(page.get_by_text("对方上传签署件后，协议即为已签署")).to_be_visible()
    with page.expect_download() as scan:
        page.locator("#agreements").get_by_role("link", name="合作协议.pdf").click()
    assert scan.value.suggested_filename == "合作协议.pdf"
    page.get_by_role("button", name="申请英文版").click()
    expect(page.get_by_text("正在生成英文版")).to_be_visible()
    with page.expect_download() as english:
        page.locator("#agreements").get_by_role("link", name="英文版（PDF）").click()
    assert english.value.suggested_filename.endswith("-en.pdf")
    sign_out(page)

    page.get_by_role("link", name="协议核验").click()
    page.get_by_label("核验码").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("本协议由平台出具，为现行有效版本")).to_be_visible()
    expect(page.get_by_text(proposal.partner.name)).to_be_visible()
    page.get_by_label("您收到的 PDF 文件").set_input_files(str(pdf))
    page.get_by_role("button", name="核对").click()
    expect(page.get_by_text("该文件正是平台以此核验码出具的文件")).to_be_visible()


def test_mentor_certificate_from_filing_to_pdf(live_server, new_page, db):
    agreed(db, CooperationKind.DUAL_MENTOR, "集成电路测试双导师")
    page = new_page()
    sign_in(page, live_server, "coordinator@city.example")
    open_partnership(page, "集成电路测试双导师")
    page.get_by_role("button", name="批准", exact=True).click()
    sign_out(page)

    sign_in(page, live_server, "staff@lingang.example")
    open_partnership(page, "集成电路测试双导师")
    page.get_by_role("link", name="出具导师证明").click()
    page.get_by_label("企业导师").fill("李建国")
    page.get_by_label("学期").fill("2026–2027 学年第一学期")
    page.get_by_label("讲授课程或指导项目").fill("集成电路测试技术")
    page.get_by_label("授课学时").fill("三十二")
    page.get_by_role("button", name="提交会签").click()
    expect(page.get_by_text("请输入整数")).to_be_visible()  # explained, the rest kept
    expect(page.get_by_label("企业导师")).to_have_value("李建国")
    page.get_by_label("授课学时").fill("32")
    page.get_by_role("button", name="提交会签").click()
    expect(page.get_by_text("证明已提交协调办公室会签")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "coordinator@city.example")
    open_partnership(page, "集成电路测试双导师")
    page.locator("#certificates").get_by_role("button", name="会签").click()
    expect(page.get_by_text("已会签，正在生成证明")).to_be_visible()
    certificate = page.locator("#certificates").get_by_role("link", name=re.compile(r"MC-.*PDF"))
    with page.expect_download() as download:
        certificate.click()
    assert download.value.suggested_filename.startswith("MC-")
