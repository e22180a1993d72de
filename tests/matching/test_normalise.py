"""Pure normalisation: width, script, case, boilerplate, segmentation, concepts."""
import pytest

from portal.matching.normalise import Segmenter, normalise, strip_boilerplate
from portal.matching.taxonomy import read_concepts, shipped_taxonomy


@pytest.fixture(scope="module")
def taxonomy():
    return shipped_taxonomy()


@pytest.fixture(scope="module")
def segmenter(taxonomy):
    return Segmenter(taxonomy.words())


@pytest.mark.parametrize("raw, expected", [
    ("ＰＬＣ编程，Ｓ７－１２００", "plc编程 s7-1200"),  # full width
    ("數控機床編程與操作", "数控机床编程与操作"),  # traditional
    ("  Machine\tLearning!! ", "machine learning"),
    ("", ""), (None, ""),
])
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize("raw, kept, dropped", [
    ("负责PLC调试。五险一金，包吃住，双休", "负责PLC调试", "五险一金"),
    ("熟悉西门子S7-1200/1500", "S7-1200/1500", None),  # model numbers are not salaries
    ("3-5年经验，月薪8000-12000元", "3-5年经验", "8000"),
    ("薪资8K-12K/月", "", "8K"),
    ("【公司简介】某公司成立于2015年。\n负责数控编程。", "负责数控编程", "成立于"),
])
def test_strip_boilerplate(raw, kept, dropped):
    text = strip_boilerplate(raw)
    assert kept in text
    if dropped:
        assert dropped not in text


def test_boilerplate_only_text_leaves_nothing_to_match(taxonomy):
    assert taxonomy.find(normalise(strip_boilerplate("五险一金，双休，包住宿，薪资面议"))) == {}


@pytest.mark.parametrize("text, concepts", [
    ("招CNC操机，会看图纸，懂西门子系统", {"cnc", "mechanical_drawing", "cnc_system"}),
    ("数控机床编程与操作、机械制图", {"cnc", "mechanical_drawing"}),
    ("AI算法工程师", {"ai"}), ("人工智能技术应用", {"ai"}),
    ("电商运营", {"ecommerce"}), ("EV电池包装配", {"ev", "battery"}),
    ("IC版图", {"ic_layout"}), ("芯片测试", {"ic_test"}),
    ("BIM建模", {"bim"}), ("建筑信息模型", {"bim"}), ("UAV航拍", {"uav"}),
    ("ML模型", {"ml"}), ("老年照护", {"elderly_care"}), ("養老護理", {"elderly_care"}),
])
def test_aliases_and_abbreviations_find_their_concept(taxonomy, text, concepts):
    assert concepts <= set(taxonomy.find(normalise(text)))


def test_latin_aliases_need_whole_words(taxonomy):
    assert "ai" not in taxonomy.find(normalise("email marketing"))
    assert "ai" in taxonomy.find(normalise("AI engineer"))


def test_segmentation_keeps_taxonomy_words_whole(segmenter):
    tokens = segmenter.tokens(normalise("负责机器学习模型训练与可编程控制器调试"))
    assert "机器学习" in tokens and "可编程控制器" in tokens
    assert "负责" not in tokens  # a stopword


def test_latin_words_are_never_cut_inside(segmenter):
    # "ic" (integrated circuits) is in the dictionary; "technician" must not contain it.
    assert segmenter.tokens(normalise("Technician 技术员, customer service")) == (
        "technician", "技术员", "customer", "service")
    assert segmenter.tokens(normalise("C++开发与Node.js")) == ("c++", "开发", "node.js")


@pytest.mark.parametrize("text", ["", "。，！", "a" * 10_000, "数控" * 5_000, "\x00\u202e"])
def test_odd_input_does_not_crash_or_hang(taxonomy, segmenter, text):
    normalised = normalise(strip_boilerplate(text))
    taxonomy.find(normalised)
    segmenter.tokens(normalised[:10_000])


def test_every_major_teaches_known_skills():
    concepts = read_concepts()
    ids = {c.id for c in concepts}
    assert len(ids) == len(concepts)
    for concept in concepts:
        assert set(concept.teaches) <= ids
