"""Dual-mentor certificates: the university files, a coordinator countersigns, the portal
prints a verifiable PDF; nobody else files or decides, and bad input is explained."""
import shutil
import subprocess

import pytest
from sqlalchemy import select

from portal.agreements.models import CertificateStatus, MentorCertificate
from portal.cooperation.models import CooperationKind as K
from portal.notifications.models import Notification
from tests import factories
from tests.factories import partnership

GOOD = {"mentor_name": "李建国", "mentor_title": "高级工程师", "term": "2026–2027 学年第一学期",
        "courses": "集成电路测试技术、芯片封装工艺", "hours": "３２"}


@pytest.fixture
def mentoring(db):
    proposal = partnership(db, K.DUAL_MENTOR, title="集成电路测试双导师")
    db.commit()
    return proposal


def university_member(proposal):
    return proposal.partner.members[0]


def file(client, proposal, **changes):
    return client.post(f"/cooperation/{proposal.id}/certificates/new",
                       data={**GOOD, **changes}, follow_redirects=True)


def test_filed_countersigned_printed_and_verifiable(client, db, login_as, mentoring,
                                                    tmp_path):
    login_as(university_member(mentoring))
    html = file(client, mentoring).get_data(as_text=True)
    assert "已提交协调办公室会签" in html
    certificate = db.scalar(select(MentorCertificate))
    assert certificate.hours == 32 and certificate.courses == ["集成电路测试技术", "芯片封装工艺"]
    assert db.scalar(select(Notification).where(
        Notification.event == "certificate_filed")) is not None
    coordinator = login_as(factories.coordinator(db))
    client.post(f"/certificates/{certificate.id}/countersign")
    db.expire_all()
    assert certificate.status is CertificateStatus.COUNTERSIGNED
    assert certificate.countersigned_by_id == coordinator.id
    assert certificate.number.startswith("MC-") and certificate.sha256
    response = client.get(f"/certificates/{certificate.id}/download")
    assert response.status_code == 200
    if shutil.which("pdftotext"):
        path = tmp_path / "c.pdf"
        path.write_bytes(response.data)
        text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                      text=True, check=True).stdout.split())
        for expected in ("企业导师教学工作证明", "李建国", "高级工程师", "32学时",
                         "集成电路测试技术", mentoring.proposer.name, mentoring.partner.name,
                         mentoring.agreements[0].number, certificate.number,
                         "协调办公室会签（盖章）"):
            assert expected in text, expected
    client.get("/logout")
    page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert certificate.number in page and "李建国" in page and certificate.sha256 in page


@pytest.mark.parametrize("changes, message", [
    ({"mentor_name": ""}, "此项为必填项"),
    ({"hours": "0"}, "1 到 2000"),
    ({"hours": "32.5"}, "请输入整数"),
    ({"hours": "5000"}, "2,000"),
    ({"courses": "  "}, "此项为必填项"),
    ({"term": "学" * 61}, "60"),
])
def test_bad_input_is_explained_and_kept(client, db, login_as, mentoring, changes, message):
    login_as(university_member(mentoring))
    html = file(client, mentoring, **changes).get_data(as_text=True)
    assert message in html
    for name in ("mentor_name", "mentor_title", "term", "courses"):
        if name not in changes:
            assert GOOD[name] in html  # what was typed is kept
    assert db.scalar(select(MentorCertificate)) is None


def test_one_certificate_per_mentor_and_term(client, db, login_as, mentoring):
    login_as(university_member(mentoring))
    file(client, mentoring)
    assert "该导师本学期已有证明" in file(client, mentoring).get_data(as_text=True)


def test_only_the_university_files_and_only_coordinators_decide(client, db, login_as,
                                                                mentoring, people):
    login_as(mentoring.proposer.members[0])  # the enterprise
    assert client.get(f"/cooperation/{mentoring.id}/certificates/new").status_code == 403
    login_as(people["outsider"])
    assert client.get(f"/cooperation/{mentoring.id}/certificates/new").status_code == 404
    login_as(university_member(mentoring))
    file(client, mentoring)
    certificate = db.scalar(select(MentorCertificate))
    html = client.post(f"/certificates/{certificate.id}/countersign",
                       follow_redirects=True).get_data(as_text=True)
    assert "只有协调办公室可以会签证明" in html
    login_as(people["outsider"])
    assert client.post(f"/certificates/{certificate.id}/countersign").status_code == 404
    assert client.get(f"/certificates/{certificate.id}/download").status_code == 404
    db.expire_all()
    assert certificate.status is CertificateStatus.PENDING


def test_a_declined_certificate_says_why_and_can_be_filed_again(client, db, login_as,
                                                                mentoring):
    login_as(university_member(mentoring))
    file(client, mentoring)
    certificate = db.scalar(select(MentorCertificate))
    login_as(factories.coordinator(db))
    html = client.post(f"/certificates/{certificate.id}/decline", data={"comment": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert "请向学校说明理由" in html
    client.post(f"/certificates/{certificate.id}/decline", data={"comment": "学时与教务记录不符"})
    db.expire_all()
    assert certificate.status is CertificateStatus.DECLINED
    login_as(university_member(mentoring))
    page = client.get(f"/cooperation/{mentoring.id}").get_data(as_text=True)
    assert "学时与教务记录不符" in page
    assert "已提交协调办公室会签" in file(client, mentoring, hours="30").get_data(as_text=True)


def test_other_kinds_have_no_certificates(client, db, login_as):
    proposal = partnership(db, K.ORDER_TRAINING)
    db.commit()
    login_as(proposal.partner.members[0])
    assert client.get(f"/cooperation/{proposal.id}/certificates/new").status_code == 403


def test_an_overlong_decline_reason_is_refused_not_cut(client, db, login_as, mentoring):
    """Issue 13: the reason used to be cut to 2,000 characters without a word."""
    from portal.checks import TEXT_MAX

    login_as(university_member(mentoring))
    file(client, mentoring)
    certificate = db.scalar(select(MentorCertificate))
    login_as(factories.coordinator(db))
    page = client.get(f"/cooperation/{mentoring.id}").get_data(as_text=True)
    assert f'id="decline-{certificate.id}" maxlength="{TEXT_MAX}"' in page.replace(
        ' name="comment"', "")
    html = client.post(f"/certificates/{certificate.id}/decline",
                       data={"comment": "理" * (TEXT_MAX + 1)},
                       follow_redirects=True).get_data(as_text=True)
    assert f"请不要超过 {TEXT_MAX} 个字符" in html
    db.expire_all()
    assert certificate.status is CertificateStatus.PENDING
