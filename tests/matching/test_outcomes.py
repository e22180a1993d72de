"""Learning from outcomes: members' signals become labelled pairs, the engine is scored
on them (match-eval, after every recompute, on the coordinators' page), and its weights
may be refitted from them with a way back."""
import json

import pytest

from portal.accounts.models import OrgKind, Role
from portal.cooperation.models import CooperationKind
from portal.cooperation.services import act, propose
from portal.demo_cooperation import TERMS
from portal.matching import jobs, outcomes, weights
from portal.matching.feedback import dismiss
from portal.matching.models import MatchEvaluation
from portal.postings.models import PostingKind
from tests import factories

ORDER = CooperationKind.ORDER_TRAINING


def market(db):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    staff = factories.member(db, OrgKind.UNIVERSITY)
    order = factories.posting(db, PostingKind.TRAINING_ORDER, org=hr.organization,
                              title="数控加工订单班", major="数控技术", headcount=30,
                              hire_count=20, skills="CNC编程、机械制图",
                              description="招CNC操机，会看图纸，懂西门子系统。" * 2)
    cnc = factories.posting(db, PostingKind.CURRICULUM, org=staff.organization,
                            title="数控技术专业", major="数控技术", skills="",
                            description="培养数控编程与操作人才。" * 2,
                            courses="数控机床编程与操作、机械制图")
    mould = factories.posting(db, PostingKind.CURRICULUM, org=staff.organization,
                              title="模具设计与制造专业", major="模具设计与制造", skills="",
                              description="培养模具设计、数控加工与装配人才。" * 2,
                              courses="模具CAD、数控加工")
    return hr, staff, order, cnc, mould


def test_signals_become_labelled_pairs(db):
    hr, staff, order, cnc, mould = market(db)
    proposal = propose(db, hr, staff.organization, ORDER, "数控订单班", TERMS[ORDER],
                       demand=order, supply=cnc)
    act(db, proposal, staff, "accept")
    act(db, proposal, factories.coordinator(db), "approve")
    dismiss(db, cnc, order, staff, "not this one")  # a supply's owner dismisses a demand
    dismiss(db, order, mould, hr, "模具方向不符")
    found = {(o.demand_id, o.supply_id): o for o in outcomes.outcomes(db)}
    # The newest signal of a pair decides: the dismissal after the approval.
    assert found[(order.id, cnc.id)].source == "dismissed"
    assert found[(order.id, mould.id)].positive is False
    assert len(found) == 2


def test_declined_proposals_are_negative_and_withdrawn_ones_say_nothing(db):
    hr, staff, order, cnc, mould = market(db)
    declined = propose(db, hr, staff.organization, ORDER, "订单班一", TERMS[ORDER],
                       demand=order, supply=cnc)
    act(db, declined, staff, "decline", comment="名额已满")
    withdrawn = propose(db, hr, staff.organization, ORDER, "订单班二", TERMS[ORDER],
                        demand=order, supply=mould)
    act(db, withdrawn, hr, "withdraw")
    found = outcomes.outcomes(db)
    assert [(o.supply_id, o.positive, o.source) for o in found] == [(cnc.id, False, "declined")]


def test_the_engine_is_scored_on_known_outcomes(db):
    hr, staff, order, cnc, mould = market(db)
    propose(db, hr, staff.organization, ORDER, "数控订单班", TERMS[ORDER], demand=order,
            supply=cnc)
    figures = outcomes.Scorer(db, outcomes.outcomes(db)).figures()
    assert (figures.pairs, figures.positives, figures.negatives) == (1, 1, 0)
    assert figures.precision == figures.recall == figures.mrr == 1.0  # cnc comes first
    dismiss(db, order, cnc, hr, "其实不合适")  # now the recommended pair is a poor one
    figures = outcomes.Scorer(db, outcomes.outcomes(db)).figures()
    assert (figures.positives, figures.negatives, figures.precision) == (0, 1, 0.0)
    assert figures.recall is None and figures.mrr is None


def test_match_eval_prints_and_keeps_the_figures(db, runner):
    hr, staff, order, cnc, mould = market(db)
    propose(db, hr, staff.organization, ORDER, "数控订单班", TERMS[ORDER], demand=order,
            supply=cnc)
    db.commit()
    result = runner.invoke(args=["match-eval", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["precision"] == 1.0
    assert db.query(MatchEvaluation).one().trigger == "command"


def test_every_recompute_adds_a_point_to_the_history(db):
    hr, staff, order, cnc, mould = market(db)
    propose(db, hr, staff.organization, ORDER, "数控订单班", TERMS[ORDER], demand=order,
            supply=cnc)
    jobs.request_recompute(db, None)
    db.commit()  # the run is queued after the commit, and runs at once in tests
    db.expire_all()
    assert [e.trigger for e in outcomes.history(db)] == ["recompute"]


def test_coordinators_see_the_precision_over_time(client, db, login_as):
    hr, staff, order, cnc, mould = market(db)
    outcomes.record(db, outcomes.Figures(10, 7, 3, 0.8, 0.5, 0.61), "recompute", {"a": 1})
    db.commit()
    login_as(Role.COORDINATOR)
    page = client.get("/matching/all").get_data(as_text=True)
    assert "成员反馈下的匹配质量" in page
    assert "80%" in page and "50%" in page and "0.61" in page and "7 / 3" in page


def test_a_refit_needs_enough_outcomes(db, runner):
    market(db)
    db.commit()
    result = runner.invoke(args=["match-refit"])
    assert result.exit_code != 0 and "at least 20" in result.output


@pytest.fixture
def many_outcomes(db):
    """25 demands, each proposed to the programme of its own major among five."""
    hr = factories.member(db, OrgKind.ENTERPRISE)
    staff = factories.member(db, OrgKind.UNIVERSITY)
    majors = [("数控技术", "数控编程"), ("护理", "临床护理"), ("电子商务", "网店运营"),
              ("软件技术", "Java开发"), ("现代物流管理", "仓储配送")]
    programmes = [factories.posting(db, PostingKind.CURRICULUM, org=staff.organization,
                                    title=f"{major}专业", major=major, skills="",
                                    description=f"培养{skill}人才。" * 2, courses=skill)
                  for major, skill in majors]
    for i in range(25):
        major, skill = majors[i % 5]
        demand = factories.posting(db, PostingKind.TALENT_DEMAND, org=hr.organization,
                                   title=f"{skill}岗位{i}", skills=skill, major=major,
                                   description=f"负责{skill}工作，{major}相关专业。")
        propose(db, hr, staff.organization, ORDER, f"合作{i}", TERMS[ORDER],
                demand=demand, supply=programmes[i % 5])
    db.commit()


def test_refit_prints_before_and_after_saves_and_rolls_back(db, runner, many_outcomes, app):
    path = weights.instance_file
    assert path is not None and not path.exists()
    dry = runner.invoke(args=["match-refit"])
    assert dry.exit_code == 0, dry.output
    assert "before" in dry.output and "after" in dry.output and "not saved" in dry.output
    assert not path.exists()
    saved = runner.invoke(args=["match-refit", "--save"])
    assert saved.exit_code == 0, saved.output
    data = weights.read(path)
    assert data["previous"][0]["weights"] == weights.read(weights.WEIGHTS_FILE)["weights"]
    assert weights.active_file() == path
    assert db.query(MatchEvaluation).filter_by(trigger="refit").count() == 1
    back = runner.invoke(args=["match-refit", "--roll-back"])
    assert back.exit_code == 0, back.output
    assert weights.current_weights() == weights.read(weights.WEIGHTS_FILE)["weights"]
