"""Approval issues the agreement PDF (after the commit); amendments supersede it; only
the parties and coordinators download it."""
import hashlib
import shutil
import subprocess

import pytest
from sqlalchemy import select

from portal.accounts.models import Role
from portal.agreements.models import Agreement, AgreementStatus
from portal.agreements.services import pdf_bytes
from portal.cooperation.models import ProposalStatus as S
from portal.cooperation.services import act
from tests import factories

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils not installed")


def approved(db, people):
    proposal = factories.in_state(db, people, S.ACTIVE)
    db.commit()  # the agreement is issued once the approval is committed
    db.expire_all()
    return proposal


def test_approval_issues_the_agreement(db, people, tmp_path):
    proposal = approved(db, people)
    agreement = db.scalar(select(Agreement))
    assert agreement.proposal_id == proposal.id and agreement.version == 1
    assert agreement.number.startswith("CJ-") and agreement.status is AgreementStatus.ACTIVE
    pdf = pdf_bytes(agreement)
    assert hashlib.sha256(pdf).hexdigest() == agreement.sha256
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for expected in (agreement.number, proposal.proposer.name, proposal.partner.name,
                     "合作协议", factories.ORDER_TERMS["major"], agreement.verification_code):
        assert expected in text
    assert "第1页共" in text.replace(" ", "")  # page numbers


def test_an_approved_amendment_supersedes_the_agreement(db, people):
    proposal = approved(db, people)
    act(db, proposal, people["partner"], "amend",
        terms={**factories.ORDER_TERMS, "cohort_size": 45})
    act(db, proposal, people["proposer"], "accept")
    act(db, proposal, people["coordinator"], "approve")
    db.commit()
    db.expire_all()
    first, second = db.scalars(select(Agreement).order_by(Agreement.version)).all()
    assert (first.status, second.status) == (AgreementStatus.SUPERSEDED,
                                             AgreementStatus.ACTIVE)
    assert second.version == 2 and first.sha256 != second.sha256


def test_only_parties_and_coordinators_download(client, db, login_as, people):
    approved(db, people)
    agreement = db.scalar(select(Agreement))
    url = f"/agreements/{agreement.id}/download"
    for who in ("proposer", "partner"):
        login_as(people[who])
        response = client.get(url)
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
    login_as(Role.COORDINATOR)
    assert client.get(url).status_code == 200
    login_as(people["outsider"])
    assert client.get(url).status_code == 404


def test_an_issued_agreement_never_changes(client, db, login_as, people):
    from portal.agreements.services import issue

    proposal = approved(db, people)
    agreement = db.scalar(select(Agreement))
    first = (agreement.sha256, agreement.stored_name, pdf_bytes(agreement))
    assert issue(db, proposal) is agreement  # issuing again returns the same document
    db.commit()
    login_as(people["partner"])
    downloads = [client.get(f"/agreements/{agreement.id}/download").data for _ in range(2)]
    assert downloads[0] == downloads[1] == first[2]
    db.expire_all()
    assert (agreement.sha256, agreement.stored_name) == first[:2]
    assert hashlib.sha256(downloads[0]).hexdigest() == agreement.sha256


def test_both_parties_are_told_the_agreement_is_ready(db, people):
    from portal.notifications.models import Notification

    approved(db, people)
    number = db.scalar(select(Agreement.number))
    told = db.scalars(select(Notification).where(Notification.event == "agreement_issued")).all()
    assert {n.user_id for n in told} == {people["proposer"].id, people["partner"].id}
    assert all(n.params["number"] == number for n in told)


def test_terminated_before_the_pdf_was_rendered(db, people):
    proposal = factories.in_state(db, people, S.ACTIVE)
    act(db, proposal, people["partner"], "terminate", comment="合作取消")
    db.commit()  # approval and termination in one transaction: the job runs after both
    db.expire_all()
    assert db.scalar(select(Agreement.status)) is AgreementStatus.TERMINATED
