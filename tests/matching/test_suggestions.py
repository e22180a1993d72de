"""Skill suggestions for the tag field: the taxonomy's names holding what was typed, the
coordinators' synonyms included, written as people write them, best first."""
from portal.matching.services import tools
from portal.matching.suggestions import MAX_SUGGESTIONS, QUERY_MAX, suggest, written
from portal.matching.synonyms import add_synonym
from tests import factories


def values(db, typed):
    return [item.value for item in suggest(tools(db), typed)]


def test_typing_plc_offers_what_posters_write_exact_name_first(db):
    found = values(db, "plc")
    assert found[0] == "PLC" and "PLC编程" in found and "汇川PLC" in found
    assert found.index("PLC编程") < found.index("汇川PLC")  # starting with it, then holding it
    assert "可编程控制器" in values(db, "可编程")


def test_full_width_and_case_are_read_alike_and_majors_are_left_out(db):
    assert values(db, "ＰＬＣ") == values(db, "Plc")
    assert not any(value.endswith("专业") for value in values(db, "机电一体化"))


def test_a_coordinators_synonym_is_offered_at_once(db):
    assert "走心机" not in values(db, "走心")
    add_synonym(db, "cnc", "走心机", factories.coordinator(db))
    db.commit()
    found = suggest(tools(db), "走心")
    assert found[0].value == "走心机" and "CNC" in found[0].hint


def test_bounded_answers_to_any_input(db):
    assert values(db, "") == [] and values(db, "   ") == []
    assert values(db, "没有这样的技能名称") == []
    assert len(values(db, "a")) == MAX_SUGGESTIONS
    assert values(db, "plc" + "x" * 10_000) == values(db, ("plc" + "x" * 10_000)[:QUERY_MAX])


def test_acronyms_are_written_upper_case_and_words_left_alone():
    assert written("plc") == "PLC" and written("s7-1200") == "S7-1200"
    assert written("tia portal") == "TIA portal" and written("python") == "python"


def test_the_route_answers_json_to_members(client, login_as):
    login_as("enterprise_hr")
    response = client.get("/matching/skills/suggest?q=plc")
    assert response.status_code == 200 and response.is_json
    assert {"value": "PLC编程", "hint": "PLC / PLC编程 / 可编程控制器"} in response.json
    assert "PLC编程".encode() in response.data  # Chinese unescaped
