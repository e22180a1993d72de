"""Issue 14: a document job that fails (or dies with its worker) is shown as failed on
the partnership's page and can be retried there; the retry issues it once."""
from datetime import timedelta

from sqlalchemy import func, select

from portal.agreements import services
from portal.agreements.models import Agreement, RenderAttempt
from portal.agreements.services import DocumentState, agreement_state
from portal.db import utcnow
from tests import factories


def _without_its_agreement(db):
    proposal = factories.partnership(db)
    db.commit()
    db.delete(proposal.agreements[0])  # as if the job had not run yet
    db.commit()
    db.expire_all()
    return proposal


def _broken_printer(monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("the renderer crashed")

    monkeypatch.setattr(services, "agreement_pdf", broken)
    return lambda: monkeypatch.undo()


def test_a_failed_render_is_shown_and_a_party_retries_it(client, db, login_as, monkeypatch):
    proposal = _without_its_agreement(db)
    assert agreement_state(db, proposal) is DocumentState.PREPARING
    db.commit()  # end the test's read: the job writes beside it
    mend = _broken_printer(monkeypatch)
    services.issue_job(proposal.id)
    attempt = db.scalars(select(RenderAttempt)).one()
    assert attempt.document == "agreement" and "renderer crashed" in attempt.error
    db.expire_all()
    assert agreement_state(db, proposal) is DocumentState.FAILED

    login_as(proposal.proposer.members[0])
    page = client.get(f"/cooperation/{proposal.id}").get_data(as_text=True)
    assert "未能生成" in page and 'http-equiv="refresh"' not in page  # no endless wait
    mend()
    answer = client.post(f"/cooperation/{proposal.id}/agreement/retry", follow_redirects=True)
    assert "重新生成" in answer.get_data(as_text=True)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Agreement)) == 1
    assert db.scalar(select(func.count()).select_from(RenderAttempt)) == 0
    # Issued now: a second retry is refused with a message, and issues nothing more.
    again = client.post(f"/cooperation/{proposal.id}/agreement/retry", follow_redirects=True)
    assert "已生成或正在生成" in again.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Agreement)) == 1


def test_a_job_lost_with_its_worker_shows_as_failed_after_a_while(db):
    proposal = _without_its_agreement(db)
    proposal.approved_at = utcnow() - services.RENDER_LATE_AFTER - timedelta(minutes=1)
    db.commit()
    assert agreement_state(db, proposal) is DocumentState.FAILED


def test_a_retry_waits_again_before_it_is_called_failed(db, monkeypatch):
    proposal = _without_its_agreement(db)
    _broken_printer(monkeypatch)
    services.issue_job(proposal.id)
    db.commit()  # the test's session starts afresh after the job's writes
    monkeypatch.setattr(services, "enqueue_after_commit", lambda *args: None)  # worker away
    services.retry_agreement(db, proposal, factories.coordinator(db))
    db.commit()
    assert agreement_state(db, proposal) is DocumentState.PREPARING


def test_a_failed_english_copy_can_be_asked_for_again(client, db, login_as, monkeypatch):
    proposal = factories.partnership(db)
    db.commit()
    agreement = proposal.agreements[0]
    mend = _broken_printer(monkeypatch)
    login_as(proposal.partner.members[0])
    client.post(f"/agreements/{agreement.id}/english")
    page = client.get(f"/cooperation/{proposal.id}").get_data(as_text=True)
    assert "英文副本未能生成" in page
    mend()
    client.post(f"/agreements/{agreement.id}/english/retry")
    db.expire_all()
    assert db.get(Agreement, agreement.id).english_stored_name is not None
