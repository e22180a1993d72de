"""Pure scoring: the right programme first, compatible kinds only, explained."""
import pytest

from portal.matching.normalise import Segmenter
from portal.matching.scoring import COMPONENTS, Doc, rank, rank_both
from portal.matching.taxonomy import shipped_taxonomy


@pytest.fixture(scope="module")
def tools():
    taxonomy = shipped_taxonomy()
    return taxonomy, Segmenter(taxonomy.words())


CNC_DEMAND = Doc(ref="D1", kind="talent_demand", title="CNC操机员",
                 description="招CNC操机，会看图纸，懂西门子系统")
CNC_PROGRAMME = Doc(ref="S-cnc", kind="curriculum", title="数控技术专业", major="数控技术",
                    courses=["数控机床编程与操作", "机械制图"])
DATA_PROGRAMME = Doc(ref="S-data", kind="curriculum", title="数据科学与大数据技术专业",
                     major="数据科学与大数据技术",
                     courses=["Python程序设计", "机器学习", "数据挖掘"])
MENTOR = Doc(ref="M1", kind="mentor_offer", title="数控加工团队", skills=["CNC", "数控编程"])


def test_the_issue_example_finds_numerical_control_not_data_science(tools):
    results = rank([CNC_DEMAND], [DATA_PROGRAMME, CNC_PROGRAMME], *tools)
    ranked = [m.supply for m in results["D1"]]
    assert ranked[0] == "S-cnc"
    best = results["D1"][0]
    matched = {concept: (said, offered) for concept, said, offered in best.matched}
    # Through which words, as each side wrote them (the skill and the course in full).
    assert matched["cnc"] == ("CNC操机", "数控机床编程与操作")
    assert "mechanical_drawing" in matched
    # The programme does not name CNC systems; its major implies them, and says so.
    assert matched["cnc_system"] == ("西门子系统", "数控技术")
    assert best.score > results["D1"][1].score
    assert set(best.components) == set(COMPONENTS)
    assert abs(sum(best.components.values()) - best.score) < 0.1


def test_only_compatible_kinds_are_matched(tools):
    results = rank([CNC_DEMAND], [MENTOR, CNC_PROGRAMME], *tools)
    assert [m.supply for m in results["D1"]] == ["S-cnc"]
    topic = Doc(ref="R1", kind="research_topic", title="数控加工精度提升", skills=["CNC"])
    assert {m.supply for m in rank([topic], [MENTOR, CNC_PROGRAMME], *tools)["R1"]} == \
        {"M1", "S-cnc"}


def test_synonyms_across_languages(tools):
    demand = Doc(ref="D2", kind="talent_demand", title="Machine Learning Engineer",
                 skills=["ML", "PyTorch"])
    supplies = [DATA_PROGRAMME, CNC_PROGRAMME]
    assert rank([demand], supplies, *tools)["D2"][0].supply == "S-data"


def test_typos_and_traditional_characters_still_match(tools):
    demand = Doc(ref="D3", kind="talent_demand", title="數控操機員", skills=["数控编成"])
    assert rank([demand], [DATA_PROGRAMME, CNC_PROGRAMME], *tools)["D3"][0].supply == "S-cnc"


def test_top_limits_and_empty_inputs(tools):
    many = [Doc(ref=f"S{i}", kind="curriculum", title=f"数控技术专业{i}", major="数控技术")
            for i in range(30)]
    assert len(rank([CNC_DEMAND], many, *tools, top=5)["D1"]) == 5
    assert rank([], many, *tools) == {}
    assert rank([CNC_DEMAND], [], *tools) == {"D1": []}
    empty = Doc(ref="D0", kind="talent_demand")
    assert all(m.score >= 0 for m in rank([empty], many, *tools)["D0"])


def test_each_supply_gets_its_best_demands_with_the_same_scores(tools):
    data_demand = Doc(ref="D2", kind="talent_demand", title="数据分析师",
                      skills=["Python", "机器学习"])
    ranking = rank_both([CNC_DEMAND, data_demand], [DATA_PROGRAMME, CNC_PROGRAMME], *tools)
    for_cnc = ranking.by_supply["S-cnc"]
    assert [m.demand for m in for_cnc] == ["D1", "D2"]
    assert for_cnc[0].score > for_cnc[1].score
    # One pair, one score and one explanation, whichever side looks at it.
    assert for_cnc[0] is ranking.by_demand["D1"][0]
    assert ranking.by_supply["S-data"][0].demand == "D2"


def test_a_supply_with_no_compatible_demand_has_an_empty_list(tools):
    topic = Doc(ref="R1", kind="research_topic", title="数控加工精度提升", skills=["CNC"])
    ranking = rank_both([CNC_DEMAND], [MENTOR, CNC_PROGRAMME], *tools)
    assert ranking.by_supply["M1"] == []
    assert [m.demand for m in rank_both([topic], [MENTOR], *tools).by_supply["M1"]] == ["R1"]


def test_results_are_deterministic(tools):
    supplies = [DATA_PROGRAMME, CNC_PROGRAMME, MENTOR]
    first = rank([CNC_DEMAND], supplies, *tools)
    assert first == rank([CNC_DEMAND], supplies, *tools)


def test_parallel_analysis_gives_the_same_results(tools, monkeypatch):
    from portal.matching import scoring

    supplies = [Doc(ref=f"S{i}", kind="curriculum", title=f"数控技术专业{i}", major="数控技术",
                    courses=["数控机床编程与操作"]) for i in range(40)]
    serial = rank([CNC_DEMAND], supplies, *tools)
    monkeypatch.setattr(scoring, "PARALLEL_ANALYSIS_MIN", 10)
    assert rank([CNC_DEMAND], supplies, *tools) == serial


def test_chips_show_the_posters_words_and_a_covered_phrase_is_not_missing(tools):
    """Issue 13, defect 9: not "plc", and not "编程" missing from "PLC编程"."""
    demand = Doc(ref="D9", kind="talent_demand", title="电气工程师",
                 description="负责西门子PLC程序调试。", skills=["PLC编程", "焊接"])
    programme = Doc(ref="S9", kind="curriculum", title="电气自动化技术专业",
                    major="电气自动化技术", courses=["可编程控制器技术", "电机与拖动"])
    best = rank([demand], [programme], *tools)["D9"][0]
    said = {concept: words for concept, words, _offered in best.matched}
    assert said["plc"] == "PLC编程"
    assert "programming" not in {concept for concept, _words in best.missing}
    assert ("welding", "焊接") in best.missing  # a phrase with no match still is
