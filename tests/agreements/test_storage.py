"""Stored documents live and die with the transaction that records them: a rolled-back
transaction leaves no file behind, a committed one keeps its files."""
from sqlalchemy import func, select

from portal.agreements import services
from portal.agreements.models import Agreement
from portal.storage import storage_dir, write
from tests.factories import partnership


def test_files_of_a_rolled_back_transaction_are_removed(db):
    write(db, "draft.pdf", b"%PDF-1.7 draft")
    assert (storage_dir() / "draft.pdf").is_file()
    db.rollback()
    assert not (storage_dir() / "draft.pdf").exists()


def test_files_of_a_committed_transaction_stay(db):
    write(db, "kept.pdf", b"%PDF-1.7 kept")
    db.commit()
    db.rollback()  # a later transaction's rollback does not touch them
    assert (storage_dir() / "kept.pdf").read_bytes() == b"%PDF-1.7 kept"


def test_an_issue_that_fails_after_printing_leaves_no_file(db, monkeypatch):
    proposal = partnership(db)
    db.commit()  # approval commits, the job issues the agreement
    db.delete(proposal.agreements[0])  # as if the job had not run
    db.commit()
    files_before = sorted(storage_dir().iterdir())

    def mail_down(*args, **kwargs):
        raise ConnectionError("the notification could not be queued")

    monkeypatch.setattr(services, "tell", mail_down)
    services.issue_job(proposal.id)  # the failure is recorded for the page, not raised
    assert sorted(storage_dir().iterdir()) == files_before
    assert db.scalar(select(func.count()).select_from(Agreement)) == 0
