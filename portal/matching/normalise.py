"""Pure text normalisation for matching: plain strings in, normalised strings and tokens out.

No Flask and no database: the taxonomy is passed in, so everything here is unit-tested alone.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from portal.text import strip_invisible

# Phrases that say nothing about fit: benefits, working-time perks, salary text.
BOILERPLATE = re.compile(
    r"[五六]险[一二]金|五险|社保|公积金|补充医疗|商业保险|双休|单休|大小周|周末双休|包吃住|包住宿|"
    r"包食宿|包吃|包住|免费住宿|员工宿舍|提供宿舍|节假日福利|节日福利|带薪年假|年终奖|年底双薪|"
    r"十三薪|1[3-6]薪|全勤奖|夜班补贴|餐补|饭补|交通补贴|话补|绩效奖金|定期体检|免费体检|团建|"
    r"下午茶|生日福利|薪资面议|待遇面议|面议|底薪|提成|月薪|年薪|薪资|工资|"
    # Amounts only with a unit: "S7-1200" or "3-5年" are not salaries.
    r"\d+(?:\.\d+)?\s*[kw千万]\s*(?:[-~～至到]\s*\d+(?:\.\d+)?\s*[kw千万]?)?(?:\s*元)?"
    r"(?:\s*(?:/|每)\s*[月年])?"
    r"|\d+(?:\.\d+)?\s*(?:[-~～至到]\s*\d+(?:\.\d+)?\s*)?元(?:\s*(?:/|每)\s*[月年])?"
    r"|\d+(?:\.\d+)?\s*(?:/|每)\s*月",
    re.I,
)
# Company introductions and benefit sections: cut from their heading to the next heading
# or the end of the paragraph, whichever comes first.
SECTION = re.compile(
    r"[【\[]?(?:公司简介|公司介绍|企业简介|关于我们|福利待遇|薪资福利|福利)[】\]]?\s*[:：]?"
    r"[^\n]*?(?=[【\[]|岗位职责|工作内容|任职要求|岗位要求|职位描述|\n|$)")
_PUNCTUATION = re.compile(r"[^\w+#./&-]+")
_SPACES = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"^[a-z0-9+#./& -]+$")
_LATIN_OR_DIGIT = re.compile(r"[a-z0-9]")
# A Latin word or number, with the marks that belong inside names (c++, c#, node.js, 5g).
_LATIN_WORD = re.compile(r"[a-z0-9](?:[a-z0-9+#.]*[a-z0-9+#])?")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

# Words in job and programme texts that carry no evidence of fit.
STOPWORDS = frozenset("""
负责 熟悉 掌握 了解 相关 以上 优先 岗位 职责 要求 任职 能力 具备 具有 能够 可以 进行 参与 完成
工作 公司 企业 我们 以及 及其 或者 并且 良好 较强 一定 经验 专业 学历 大专 本科 中专 应届 应届生
毕业生 学生 培养 学习 技能 人才 方向 技术 岗位群 职业 面向 包括 主要 核心 课程 要求 能 会 懂
独立 配合 团队 项目 精神 责任心 吃苦耐劳 积极 认真 日常 协助
and or the of for in with to a an on by as at is are be able experience skills skill
""".split())

# The first letters of jieba's part-of-speech tags of function words: punctuation,
# particles, prepositions, conjunctions, adverbs, numbers, pronouns, places in a sentence.
FUNCTION_TAGS = frozenset("xupcdmrfqyo")


@lru_cache(maxsize=1)
def _simplifier():  # noqa: ANN202 - OpenCC converter, loaded once
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """NFKC (full width → half width) and traditional → simplified, punctuation kept."""
    return _simplifier().convert(unicodedata.normalize("NFKC", strip_invisible(text)))


def normalise(text: str | None) -> str:
    """NFKC (full width → half width), traditional → simplified, lower case,
    punctuation to spaces, single spaces."""
    if not text:
        return ""
    text = simplified(text).lower()
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def strip_boilerplate(text: str | None) -> str:
    """Remove company introductions, benefit sections and salary or perk phrases."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    return BOILERPLATE.sub(" ", SECTION.sub(" ", text))


@dataclass
class Concept:
    id: str
    aliases: tuple[str, ...]
    # Majors: the skill concepts the programme teaches.
    teaches: tuple[str, ...] = ()
    # Skills: the wider concepts this one is a kind of (深度学习 is a kind of 人工智能).
    broader: tuple[str, ...] = ()

    @property
    def is_major(self) -> bool:
        return bool(self.teaches) or self.id.startswith("m_")


@dataclass
class Taxonomy:
    concepts: dict[str, Concept]
    alias_to_concept: dict[str, str] = field(default_factory=dict)
    _aliases: list[str] = field(default_factory=list)
    _automaton: Any = None

    @classmethod
    def build(cls, concepts: Iterable[Concept]) -> Taxonomy:
        import ahocorasick_rs

        taxonomy = cls({concept.id: concept for concept in concepts})
        for concept in taxonomy.concepts.values():
            for alias in concept.aliases:
                key = normalise(alias)
                if key:
                    taxonomy.alias_to_concept.setdefault(key, concept.id)
        taxonomy._aliases = list(taxonomy.alias_to_concept)
        if taxonomy._aliases:
            # Aho-Corasick finds every alias in one pass (a regex alternation of a thousand
            # aliases took 200 times longer); leftmost-longest: 数控机床编程 before 数控.
            taxonomy._automaton = ahocorasick_rs.AhoCorasick(
                taxonomy._aliases, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        return taxonomy

    def find(self, normalised_text: str) -> dict[str, str]:
        """{concept id: the alias as found} for every concept mentioned in the text.
        Latin aliases count only as whole words ("ai" is not in "email")."""
        found: dict[str, str] = {}
        if not normalised_text or self._automaton is None:
            return found
        for index, start, end in self._automaton.find_matches_as_indexes(normalised_text):
            alias = self._aliases[index]
            if _ASCII_WORD.match(alias) and (
                    (start > 0 and _LATIN_OR_DIGIT.match(normalised_text[start - 1]))
                    or (end < len(normalised_text)
                        and _LATIN_OR_DIGIT.match(normalised_text[end]))):
                continue
            found.setdefault(self.alias_to_concept[alias], alias)
        return found

    def words(self) -> list[str]:
        """Every alias, for the segmenter's user dictionary."""
        return list(self.alias_to_concept)


# Clauses kept per cache: short recurring ones (skills, course names, stock phrases).
CACHED_CLAUSES = 500_000
CACHED_CLAUSE_LENGTH = 100


def _per_clause(normalised_text: str, cache: dict[str, tuple[str, ...]],
                split: Callable[[str], tuple[str, ...]]) -> tuple[str, ...]:
    """`split` of each space-separated clause, each distinct clause split once."""
    result: list[str] = []
    for clause in normalised_text.split():
        cached = cache.get(clause)
        if cached is None:
            cached = split(clause)
            if len(cache) < CACHED_CLAUSES and len(clause) < CACHED_CLAUSE_LENGTH:
                cache[clause] = cached
        result.extend(cached)
    return tuple(result)


class Segmenter:
    """jieba with the taxonomy's aliases in its dictionary, so 机器学习 and 可编程控制器
    stay whole words; a tokenizer of its own, leaving jieba's global one untouched."""

    def __init__(self, words: Iterable[str]) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        words = list(words)
        for word in words:
            if " " not in word:
                self._tokenizer.add_word(word, freq=200_000)
        # Course, skill and major names recur across thousands of postings.
        self._cache: dict[str, tuple[str, ...]] = {}
        self._lexical_cache: dict[str, tuple[str, ...]] = {}
        self._words = {word for word in words if " " not in word}
        self._tagger: Any = None  # jieba's part-of-speech tagger, made when first asked

    def add_words(self, words: Iterable[str]) -> None:
        """Teach new words (coordinators' synonyms); earlier segmentations may change."""
        new = {word for word in words if " " not in word} - self._words
        for word in new:
            self._tokenizer.add_word(word, freq=200_000)
        if new:
            self._words |= new
            self._cache.clear()
            self._lexical_cache.clear()

    def _words_of(self, text: str) -> Iterable[str]:
        """Latin words stay whole (jieba would cut "technician" around the alias "ic");
        the Chinese between them goes to jieba."""
        position = 0
        for latin in _LATIN_WORD.finditer(text):
            if latin.start() > position:
                # No HMM pass: the taxonomy dictionary supplies the domain words, at half
                # the cost.
                yield from self._tokenizer.lcut(text[position:latin.start()], HMM=False)
            yield latin.group()
            position = latin.end()
        if position < len(text):
            yield from self._tokenizer.lcut(text[position:], HMM=False)

    def tokens(self, normalised_text: str) -> tuple[str, ...]:
        """Content words of already normalised text: no stopwords, no single CJK characters
        or lone digits. Normalised text separates clauses by spaces; clauses (skills, course
        names, stock phrases) recur across postings, so each is segmented once."""
        return _per_clause(normalised_text, self._cache, self._segment)

    def lexical_terms(self, normalised_text: str) -> tuple[str, ...]:
        """Terms for lexical retrieval, which must not depend on the taxonomy knowing a
        word: jieba's search-mode words (计算机科学与技术 also gives 计算机 and 科学), every
        Chinese character bigram (marked with a leading "~", so 心电 and 热失控 match as
        written), and whole Latin tokens (pvsyst, bev, s7-1200)."""
        return _per_clause(normalised_text, self._lexical_cache, self._lexical)

    def _lexical(self, clause: str) -> tuple[str, ...]:
        terms: list[str] = []
        position = 0
        for latin in _LATIN_WORD.finditer(clause):
            self._chinese_terms(clause[position:latin.start()], terms)
            word = latin.group()
            if len(word) > 1 and word not in STOPWORDS and not word.isdigit():
                terms.append(word)
            position = latin.end()
        self._chinese_terms(clause[position:], terms)
        return tuple(terms)

    def _chinese_terms(self, text: str, terms: list[str]) -> None:
        for run in _CJK_RUN.findall(text):
            terms.extend(word for word in self._tokenizer.lcut_for_search(run, HMM=False)
                         if len(word) > 1 and word not in STOPWORDS)
            terms.extend("~" + run[i:i + 2] for i in range(len(run) - 1))

    def tagged(self, text: str) -> tuple[tuple[str, str], ...]:
        """(word, part of speech) of the content words of a short phrase, as jieba tags
        them with its HMM on (which joins characters its dictionary lacks into words:
        热失控, 储能): for spotting vocabulary nobody has added yet, not for matching.
        Function words (particles, prepositions, adverbs, pronouns, numbers) go."""
        if self._tagger is None:
            import jieba.posseg

            self._tagger = jieba.posseg.POSTokenizer(self._tokenizer)
        pairs: list[tuple[str, str]] = []
        position = 0
        for latin in _LATIN_WORD.finditer(text):  # whole, as in matching ("powerpoint")
            pairs += self._tagged_chinese(text[position:latin.start()])
            pairs.append((latin.group(), "m" if latin.group().isdigit() else "eng"))
            position = latin.end()
        pairs += self._tagged_chinese(text[position:])
        return tuple(pair for pair in pairs if pair[1][:1] not in FUNCTION_TAGS)

    def _tagged_chinese(self, text: str) -> list[tuple[str, str]]:
        return [(pair.word, pair.flag) for pair in self._tagger.cut(text, HMM=True)
                if pair.word.strip()]

    def _segment(self, normalised_text: str) -> tuple[str, ...]:
        result = []
        for word in self._words_of(normalised_text):
            word = word.strip()
            if not word or word in STOPWORDS:
                continue
            if len(word) == 1 and not word.isascii():
                continue
            if word.isdigit() or (word.isascii() and len(word) == 1):
                continue
            result.append(word)
        return tuple(result)
