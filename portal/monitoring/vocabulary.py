"""Words of a demand's text the vocabulary may be missing (candidate vocabulary).

Free prose is mostly the language of every job advert (沟通, 负责, 以上学历), so a word is
taken only where the text lists skills: a clause enumerating items (熟悉PLC、WinCC、
PVsyst等软件) of which at least one the taxonomy knows. Its siblings that name one thing
(one or two words once leading verbs go, a noun or a Latin word among them, not everyday
words only) and that the taxonomy does not know are the candidates.
"""
from __future__ import annotations

import re
from functools import lru_cache

from portal.matching.normalise import (
    STOPWORDS,
    Segmenter,
    Taxonomy,
    normalise,
    strip_boilerplate,
)

# Words kept per posting, at most (a long list adds little evidence and many rows).
TERMS_PER_POSTING = 10
TERM_MAX = 50
_CLAUSE = re.compile(r"[，。；;！!？?\n:：()（）【】\[\]]|\d{1,2}[、.．)）]")
_ITEM = re.compile(r"以及|[、/,，及和与或]")
# What follows 等 names the list's category (…等软件, …等方向), not one more item.
_CATEGORY = re.compile(r"等[^、/,，及和与或]*")
# Items about the person rather than a skill: degree, major, years, age, sex, origin.
_ABOUT_THE_PERSON = re.compile(r"学历|学位|专业|全日制|本科|专科|大专|中专|硕士|博士|经验|年龄|"
                               r"周岁|性别|男性|女性|男士|女士|户籍|户口|身高|婚育|已婚|未婚|以上")
# jieba's tags of nouns (common, proper, of organisations, verbal), and Latin words.
NAME_TAGS = frozenset({"n", "nz", "nt", "nl", "ng", "vn", "eng"})
# Words that lead an item without being part of the name (熟练使用, 精通): verbs and
# adjectives, by the first letter of their tag.
LEADING_TAGS = frozenset("va")
# Words as common in general Chinese as 客户, 产品 or 系统 (IDF below this) are the
# language of every advert: a name needs one rarer word to be new vocabulary.
MIN_RARITY = 7.0
# A description holds at most this much (Posting.TEXT_LIMITS); the rest is not read.
SCANNED_CHARS = 10_000
# Longer items are prose, not a name in a list.
ITEM_MAX_CHARS = 20


@lru_cache(maxsize=1)
def _general_idf() -> tuple[dict[str, float], float]:
    import jieba.analyse

    tfidf = jieba.analyse.default_tfidf
    return tfidf.idf_freq, tfidf.median_idf


def rarity(word: str) -> float:
    """How rare a word is in general Chinese text: its inverse document frequency in
    jieba's shipped table (a word the table lacks counts as rare as its median word)."""
    table, median = _general_idf()
    return table.get(word, median)


def _items(clause: str) -> list[str]:
    return [item for item in (normalise(part) for part in _ITEM.split(clause)) if item]


def _name_in(item: str, segmenter: Segmenter) -> str | None:
    """The name an enumeration item gives (使用Visio → visio, 热失控 → 热失控), or None
    when the item is a phrase rather than a name: leading verbs and adjectives and
    stopwords go; one or two words must remain, one of them a noun or a Latin word."""
    words = [(word, tag) for word, tag in segmenter.tagged(item.replace(" ", ""))
             if word not in STOPWORDS]
    while words and words[0][1][:1] in LEADING_TAGS and words[0][1] != "vn":
        words.pop(0)
    if not 1 <= len(words) <= 2 or not any(tag in NAME_TAGS for _word, tag in words):
        return None
    if not any(rarity(word) >= MIN_RARITY for word, _tag in words):
        return None  # made of everyday words only (产品推广, 服务意识)
    name = "".join(word for word, _tag in words)
    return name if len(name) > 1 and not name.isdigit() else None


def listed_terms(text: str, taxonomy: Taxonomy, segmenter: Segmenter) -> list[str]:
    """Unknown names listed beside a known skill, in order of appearance, each once.
    Linear in the text and bounded: each clause is split once, each short item tagged
    once, and no more than a description's limit is read."""
    terms: dict[str, None] = {}
    for clause in _CLAUSE.split(strip_boilerplate(text[:SCANNED_CHARS])):
        items = _items(_CATEGORY.sub("", clause))
        if len(items) < 2 or not any(taxonomy.find(item) for item in items):
            continue
        for item in items:
            if (len(item) > ITEM_MAX_CHARS or taxonomy.find(item)
                    or _ABOUT_THE_PERSON.search(item)):
                continue
            name = _name_in(item, segmenter)
            if name and name not in taxonomy.alias_to_concept:
                terms.setdefault(name[:TERM_MAX])
                if len(terms) >= TERMS_PER_POSTING:
                    return list(terms)
    return list(terms)
