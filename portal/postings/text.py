"""Pure text helpers for postings: skill tags, search text and query terms."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
# Query words that say nothing about what is sought.
QUERY_STOPWORDS = frozenset(
    "招 招聘 诚聘 急招 需要 需求 要求 的 和 与 及 或 有 会 能 懂 熟悉 掌握 岗位 "
    "a an and or the of for in with to".split()
)


def normalise_tag(text: str) -> str:
    """Skill tag form: NFKC (full width → half), lower case, single spaces, no edge punctuation.
    Canonical synonyms come later from the taxonomy (matching)."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()
    return _EDGE_PUNCTUATION.sub("", text)[:100]


def skill_tags(skills: Iterable[str]) -> list[str]:
    tags: list[str] = []
    for skill in skills:
        tag = normalise_tag(skill)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def search_text(*parts: str | Iterable[str] | None) -> str:
    """All searchable words of a posting in one lower-case, NFKC-normalised string."""
    flat: list[str] = []
    for part in parts:
        if not part:
            continue
        flat.extend([part] if isinstance(part, str) else part)
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", " ".join(flat)).lower()).strip()


@dataclass(frozen=True)
class QueryTerm:
    """One space-separated chunk of a query: found as the whole phrase, or as all its words."""

    phrase: str
    words: tuple[str, ...]


def _jieba():  # noqa: ANN202 - loaded on first use: building its dictionary takes a second
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


QUERY_MAX = 200  # characters of a search: segmenting is the costly step, bounded before


def query_terms(query: str) -> list[QueryTerm]:
    """The terms of a search query. Chinese is segmented with jieba, so 招聘机器学习工程师
    also finds text that says 机器学习 and 工程师 apart; filler words (招聘, 熟悉…) are dropped."""
    terms: list[QueryTerm] = []
    for chunk in search_text(query[:QUERY_MAX]).split(" ")[:12]:
        words = tuple(dict.fromkeys(
            word.strip() for word in _jieba().lcut(chunk)
            if word.strip() and word.strip() not in QUERY_STOPWORDS
            and re.search(r"\w", word)))
        if words:
            terms.append(QueryTerm(chunk, words))
    return terms
