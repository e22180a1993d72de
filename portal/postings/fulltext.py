"""Text search through an index, the same on both databases.

A posting's search text is stored a second time as tokens a full-text index keeps: SQLite's
FTS5 (table `postings_fts`, kept by triggers) and, on PostgreSQL, a generated column
`search_vector = to_tsvector('simple', search_tokens)` with a GIN index.

Chinese has no spaces, so each run of Han characters is written as its overlapping
character pairs followed by its last character ("数据分析" → 数据 据分 分析 析): a query
is then found wherever it occurs in the text, as a phrase of consecutive tokens, whatever
a word segmenter would have made of either side. Latin words are tokens as they are and
are found by prefix ("jav" finds "java").

Everything here is pure and linear in the text; the queries are built from tokens that
hold letters and digits only, so nothing a user types can reach the query syntax.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"([{_HAN}]+)|((?:(?![{_HAN}])[^\W_])+)")


def _runs(text: str) -> list[tuple[str, bool]]:
    """(run, is_han) for each run of Han characters or of other letters and digits."""
    return [(han or word, bool(han)) for han, word in _RUNS.findall(text)]


def index_tokens(text: str) -> str:
    """The tokens stored for `text` (already a posting's normalised search text)."""
    tokens: list[str] = []
    for run, is_han in _runs(text):
        if is_han:
            tokens += [run[i:i + 2] for i in range(len(run) - 1)]
            tokens.append(run[-1])
        else:
            tokens.append(run)
    return " ".join(tokens)


@dataclass(frozen=True)
class Phrase:
    """Consecutive tokens; with `prefix`, the last one may continue."""

    tokens: tuple[str, ...]
    prefix: bool


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Expression, ...]


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Expression, ...]


Expression = Phrase | AnyOf | AllOf


def phrase(needle: str) -> Phrase | None:
    """How `needle` (normalised like search text) is looked for; None when it has no
    letters or digits to look for.

    A Han run inside the needle must end where the text's run ends, so it keeps the
    single last character the index stores; the needle's last run may go on in the text,
    so it does not (and a last run of one character or a Latin word is a prefix).
    """
    runs = _runs(needle.lower())
    tokens: list[str] = []
    prefix = False
    for position, (run, is_han) in enumerate(runs):
        last = position == len(runs) - 1
        if not is_han:
            tokens.append(run)
            prefix = last
        elif len(run) == 1:
            tokens.append(run)
            prefix = last
        else:
            tokens += [run[i:i + 2] for i in range(len(run) - 1)]
            if not last:
                tokens.append(run[-1])
    return Phrase(tuple(tokens), prefix) if tokens else None


def any_of(parts: list[Expression | None]) -> Expression | None:
    kept = tuple(dict.fromkeys(part for part in parts if part is not None))
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else AnyOf(kept)


def all_of(parts: list[Expression | None]) -> Expression | None:
    kept = tuple(dict.fromkeys(part for part in parts if part is not None))
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else AllOf(kept)


def to_fts5(expression: Expression) -> str:
    """An FTS5 MATCH string."""
    if isinstance(expression, Phrase):
        return '"' + " ".join(expression.tokens) + '"' + ("*" if expression.prefix else "")
    joiner = " OR " if isinstance(expression, AnyOf) else " AND "
    return joiner.join(f"({to_fts5(part)})" for part in expression.parts)


def to_tsquery(expression: Expression) -> str:
    """A PostgreSQL tsquery text (for to_tsquery('simple', …))."""
    if isinstance(expression, Phrase):
        lexemes = [f"'{token}'" for token in expression.tokens]
        if expression.prefix:
            lexemes[-1] += ":*"
        return " <-> ".join(lexemes)
    joiner = " | " if isinstance(expression, AnyOf) else " & "
    return joiner.join(f"({to_tsquery(part)})" for part in expression.parts)
