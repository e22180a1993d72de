"""The public verification page: valid, superseded, tampered and unknown, without login."""
import io

import pytest

from portal.agreements.services import pdf_bytes
from portal.cooperation.services import act
from portal.demo_cooperation import TERMS
from tests import factories
from tests.factories import partnership


@pytest.fixture
def agreement(db):
    proposal = partnership(db)
    db.commit()
    return proposal.agreements[0]


def page(client, code):
    response = client.get(f"/verify/{code}", follow_redirects=True)
    return response.status_code, response.get_data(as_text=True)


def test_anyone_sees_what_was_issued_under_a_code(client, agreement):
    status, html = page(client, agreement.verification_code)
    assert status == 200
    for expected in (agreement.number, agreement.proposal.proposer.name,
                     agreement.proposal.partner.name, agreement.sha256, "有效"):
        assert expected in html


def test_codes_are_forgiving_about_case_and_separators(client, agreement):
    typed = agreement.verification_code.replace("-", " ").lower()
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{agreement.verification_code}")
    assert page(client, typed.replace(" ", ""))[0] == 200


@pytest.mark.parametrize("code", ["AAAA-BBBB-CCCC", "x", "%3Cscript%3E", "0000"])
def test_an_unknown_code_says_so(client, agreement, code):
    status, html = page(client, code)
    assert status == 404 and "没有与此核验码对应的协议" in html
    assert "<script>" not in html


def test_an_empty_lookup_asks_for_the_code(client):
    html = client.get("/verify", query_string={"code": " - "}).get_data(as_text=True)
    assert "核验码由 12 位字母和数字组成" in html


def check(client, agreement, data: bytes):
    response = client.post(f"/verify/{agreement.verification_code}", data={
        "file": (io.BytesIO(data), "协议.pdf")}, content_type="multipart/form-data")
    return response.get_data(as_text=True)


def test_an_uploaded_copy_is_checked_against_the_digest(client, agreement):
    original = pdf_bytes(agreement)
    assert "该文件正是平台以此核验码出具的文件" in check(client, agreement, original)
    middle = len(original) // 2  # one bit changed, as an edited amount or name would be
    tampered = original[:middle] + bytes([original[middle] ^ 1]) + original[middle + 1:]
    assert "该文件不是以此核验码出具的文件" in check(client, agreement, tampered)
    assert "文件是空的" in check(client, agreement, b"")
    response = client.post(f"/verify/{agreement.verification_code}", data={},
                           content_type="multipart/form-data")
    assert "请选择要核对的 PDF 文件" in response.get_data(as_text=True)


def test_a_superseded_version_points_to_the_later_one(client, db, agreement):
    proposal = agreement.proposal
    enterprise_member = proposal.proposer.members[0]
    act(db, proposal, enterprise_member, "amend",
        terms={**TERMS[proposal.kind], "cohort_size": 45})
    act(db, proposal, proposal.partner.members[0], "accept")
    act(db, proposal, factories.coordinator(db), "approve")
    db.commit()
    db.expire_all()
    status, html = page(client, agreement.verification_code)
    later = proposal.agreements[0]
    assert later.version == 2
    assert status == 200 and "已被新版本取代" in html and later.number in html


def test_terminating_the_partnership_terminates_its_agreement(client, db, agreement):
    proposal = agreement.proposal
    act(db, proposal, proposal.partner.members[0], "terminate", comment="企业搬迁，无法继续")
    db.commit()
    db.expire_all()
    assert agreement.status.value == "terminated"
    status, html = page(client, agreement.verification_code)
    assert status == 200 and "已终止" in html and "本版本已不再有效" in html
