"""Candidate vocabulary from a demand's text: unknown names listed beside known skills."""
import pytest

from portal.matching.normalise import Concept, Segmenter, Taxonomy
from portal.monitoring.vocabulary import SCANNED_CHARS, TERMS_PER_POSTING, listed_terms

TAXONOMY = Taxonomy.build([Concept("python", ("python",)), Concept("plc", ("plc编程", "plc")),
                           Concept("hmi", ("wincc",))])


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter(TAXONOMY.words())


@pytest.mark.parametrize(("text", "terms"), [
    # Unknown names in a list with a known skill; the category after 等 is not an item.
    ("熟悉PLC编程、WinCC、PVsyst等软件。", ["pvsyst"]),
    ("掌握Python、热失控及心电图机", ["热失控", "心电图机"]),
    # Leading verbs and adjectives are not part of the name.
    ("熟练使用Python、精通Visio", ["visio"]),
    # No known skill in the list: prose, not a skill list.
    ("熟悉Visio、PVsyst。", []),
    # About the person, or everyday words only: not vocabulary.
    ("Python、本科及以上学历、3年以上经验、男性、本地户籍", []),
    ("熟悉Python、客户、产品推广、系统", []),
    # A long item is a phrase.
    ("Python、能够独立完成从需求分析到方案设计再到现场调试的全部工作内容", []),
])
def test_names_listed_beside_a_known_skill(segmenter, text, terms):
    assert listed_terms(text, TAXONOMY, segmenter) == terms


def test_each_word_once_and_at_most_a_few_per_posting(segmenter):
    many = "熟悉Python、" + "、".join(f"tool{n}x" for n in range(40))
    terms = listed_terms(many + "。熟悉PLC、PVsyst、PVsyst", TAXONOMY, segmenter)
    assert len(terms) == TERMS_PER_POSTING and len(set(terms)) == len(terms)


def test_only_a_description_s_length_is_read(segmenter):
    padding = "负责日常工作。" * (SCANNED_CHARS // 7 + 1)
    assert listed_terms(padding + "熟悉Python、PVsyst。", TAXONOMY, segmenter) == []
    assert listed_terms("熟悉Python、PVsyst。" + padding, TAXONOMY, segmenter) == ["pvsyst"]
