"""Order-based training is followed from seats ordered to graduates still employed."""
import pytest

from portal.cooperation.models import CooperationKind
from portal.cooperation.models import ProposalStatus as S
from portal.cooperation.services import record_fulfilment
from portal.errors import ConflictError, DomainError, PermissionDenied, WorkflowError
from tests import factories

FIGURES = {"enrolled": "38", "completed": "35", "hired": "30", "retained": "0"}


def test_parties_record_the_progress_and_it_is_audited(db, people):
    proposal = factories.in_state(db, people, S.ACTIVE)
    record_fulfilment(db, proposal, people["partner"], FIGURES)
    fulfilment = record_fulfilment(db, proposal, people["proposer"],
                                   {**FIGURES, "retained": 27})
    assert (fulfilment.enrolled, fulfilment.hired, fulfilment.retained) == (38, 30, 27)
    assert [e.action for e in proposal.events][-2:] == ["fulfilment", "fulfilment"]
    assert "27" in proposal.events[-1].comment


@pytest.mark.parametrize("figures, field", [
    ({**FIGURES, "hired": "36"}, "hired"),  # more hired than completed the training
    ({**FIGURES, "completed": "40"}, "completed"),
    ({**FIGURES, "enrolled": "三十"}, "enrolled"),
    ({**FIGURES, "retained": "-1"}, "retained"),
])
def test_impossible_figures_are_refused(db, people, figures, field):
    proposal = factories.in_state(db, people, S.ACTIVE)
    with pytest.raises(DomainError) as refused:
        record_fulfilment(db, proposal, people["partner"], figures)
    assert refused.value.field == field and proposal.fulfilment is None


def test_who_and_when(db, people):
    proposal = factories.in_state(db, people, S.PENDING_APPROVAL)
    with pytest.raises(WorkflowError):  # not approved yet
        record_fulfilment(db, proposal, people["partner"], FIGURES)
    proposal = factories.in_state(db, people, S.ACTIVE)
    for who in ("outsider", "coordinator"):
        with pytest.raises(PermissionDenied):
            record_fulfilment(db, proposal, people[who], FIGURES)


def test_only_order_based_training_tracks_fulfilment(db, people):
    proposal = factories.in_state(db, people, S.ACTIVE)
    proposal.kind = CooperationKind.JOINT_RESEARCH
    with pytest.raises(WorkflowError):
        record_fulfilment(db, proposal, people["partner"], FIGURES)


def test_a_stale_form_does_not_overwrite_newer_figures(db, people):
    proposal = factories.in_state(db, people, S.ACTIVE)
    seen = record_fulfilment(db, proposal, people["partner"], FIGURES).version
    record_fulfilment(db, proposal, people["proposer"], {**FIGURES, "retained": 20},
                      expected_version=seen)
    with pytest.raises(ConflictError):
        record_fulfilment(db, proposal, people["partner"], FIGURES, expected_version=seen)
    assert proposal.fulfilment.retained == 20


def test_the_page_shows_and_saves_the_figures(client, db, login_as, people):
    proposal = factories.in_state(db, people, S.ACTIVE)
    login_as(people["partner"])
    page = client.get(f"/cooperation/{proposal.id}").get_data(as_text=True)
    assert "培养进度" in page and "订购名额：40" in page
    response = client.post(f"/cooperation/{proposal.id}/fulfilment", data=FIGURES,
                           follow_redirects=True)
    assert "进度已保存" in response.get_data(as_text=True)
    db.expire_all()
    assert proposal.fulfilment.hired == 30
