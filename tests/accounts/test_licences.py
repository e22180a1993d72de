"""The 营业执照 / 办学许可证 scan attached at registration (issue 16): checked by its bytes,
stored under a generated name, seen by coordinators and the organisation's members only,
replaceable until verification; a refused file leaves nothing behind."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from sqlalchemy import func, select

from portal.accounts import licences
from portal.accounts.models import Organization, User
from portal.errors import WorkflowError
from portal.storage import storage_dir
from portal.uploads import Upload
from tests import factories
from tests.factories import enterprise_form


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stored() -> set[str]:
    return {path.name for path in storage_dir().iterdir() if path.name.startswith("licence-")}


def register(client, data: bytes | None, name: str = "营业执照.pdf", **overrides):
    form = enterprise_form(**overrides)
    if data is not None:
        form["licence"] = (io.BytesIO(data), name)
    return client.post("/register/enterprise", data=form, content_type="multipart/form-data")


def test_a_registration_keeps_its_scan_for_the_coordinators(client, db, login_as):
    page = register(client, pdf()).get_data(as_text=True)
    assert "请查收邮件" in page
    org = db.scalar(select(Organization))
    assert org.licence_name in stored() and org.licence_original_name == "营业执照.pdf"
    assert org.licence_content_type == "application/pdf"

    login_as(factories.coordinator(db))
    queue = client.get("/review/organizations").get_data(as_text=True)
    assert f"/review/organizations/{org.id}/licence" in queue
    review = client.get(f"/review/organizations/{org.id}").get_data(as_text=True)
    assert "营业执照.pdf" in review
    download = client.get(f"/review/organizations/{org.id}/licence")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert "attachment" in download.headers["Content-Disposition"]


def test_registration_without_a_scan_still_works(client, db):
    assert "请查收邮件" in register(client, None).get_data(as_text=True)
    assert db.scalar(select(Organization)).licence_name is None


@pytest.mark.parametrize("data, name, message", [
    (b"<html><script>alert(1)</script></html>", "营业执照.pdf", "网页或压缩包"),
    (b"GIF89a....", "licence.gif", "PDF、JPEG 或 PNG"),
    (b"%PDF-1.7\n1 0 obj\n", "cut.pdf", "不完整或已损坏"),
])
def test_a_refused_scan_shows_its_reason_on_the_field_and_creates_nothing(
        client, db, data, name, message):
    page = register(client, data, name).get_data(as_text=True)
    assert message in page and "请查收邮件" not in page
    assert 'id="licence-error"' in page  # on the field, where the file is chosen again
    assert db.scalar(select(func.count()).select_from(Organization)) == 0
    assert db.scalar(select(func.count()).select_from(User)) == 0
    assert not stored()


def test_a_known_address_gets_the_same_answer_and_keeps_no_file(client, db):
    factories.member(db, email="wang.min@chengyao.example")
    before = stored()
    page = register(client, pdf(), credit_code=factories.valid_credit_code(9001),
                    name="上海另一家企业有限公司").get_data(as_text=True)
    assert "请查收邮件" in page
    assert stored() == before


def test_a_member_replaces_the_scan_until_verified(client, db, login_as):
    member = factories.member(db, verified=False)
    org = member.organization
    login_as(member)
    page = client.get("/organization/").get_data(as_text=True)
    assert "未上传" in page
    client.post("/organization/licence", data={"file": (io.BytesIO(pdf()), "执照.pdf")},
                content_type="multipart/form-data")
    db.refresh(org)
    first = org.licence_name
    assert first in stored()
    assert client.get("/organization/licence").data.startswith(b"%PDF-")
    client.post("/organization/licence", data={"file": (io.BytesIO(pdf()), "执照2.pdf")},
                content_type="multipart/form-data")
    db.refresh(org)
    assert org.licence_original_name == "执照2.pdf" and first not in stored()


def test_a_verified_organisation_keeps_the_scan_it_was_verified_on(db, app):
    member = factories.member(db)
    with app.test_request_context(), pytest.raises(WorkflowError):
        licences.replace(db, member.organization, member, Upload(pdf(), "new.pdf"))
    assert member.organization.licence_name is None
