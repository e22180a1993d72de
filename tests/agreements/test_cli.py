"""`flask agreements export` writes the issued bytes; `issue-pending` catches up."""
import hashlib

from sqlalchemy import select

from portal.agreements.models import Agreement
from portal.storage import storage_dir
from tests.factories import partnership


def test_export_writes_the_issued_pdf_byte_for_byte(runner, db, tmp_path):
    proposal = partnership(db)
    db.commit()
    agreement = proposal.agreements[0]
    output = tmp_path / "协议.pdf"
    result = runner.invoke(args=["agreements", "export", agreement.number.lower(),
                                 "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(output.read_bytes()).hexdigest() == agreement.sha256
    assert agreement.sha256 in result.output


def test_export_of_an_unknown_number_fails_clearly(runner, db, tmp_path):
    result = runner.invoke(args=["agreements", "export", "CJ-2026-999999",
                                 "--output", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "No agreement is numbered" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_a_stored_file_that_changed_is_never_served(runner, client, db, login_as, tmp_path):
    proposal = partnership(db)
    db.commit()
    agreement = proposal.agreements[0]
    path = storage_dir() / agreement.stored_name
    path.write_bytes(path.read_bytes().replace(b"%%EOF", b"%%EOX"))
    result = runner.invoke(args=["agreements", "export", agreement.number,
                                 "--output", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "does not match its recorded SHA-256" in result.output
    login_as(proposal.partner.members[0])
    assert client.get(f"/agreements/{agreement.id}/download").status_code == 500


def test_issue_pending_issues_what_a_failed_job_left_out(runner, db):
    proposal = partnership(db)
    db.commit()
    db.delete(proposal.agreements[0])  # as if the rendering job had failed
    db.commit()
    result = runner.invoke(args=["agreements", "issue-pending"])
    assert result.exit_code == 0 and "1 agreements issued" in result.output
    db.expire_all()
    assert db.scalar(select(Agreement.proposal_id)) == proposal.id
    assert runner.invoke(args=["agreements", "issue-pending"]).output.strip() == \
        "0 agreements issued."
