"""Skill suggestions while a member types a skill tag: the taxonomy's names of skills
(coordinators' synonyms included) that hold what was typed, best first. Typing "plc"
offers PLC编程, PLC, 汇川PLC…; free tags stay allowed, this only helps."""
from __future__ import annotations

import re
from dataclasses import dataclass

from portal.matching.normalise import normalise
from portal.matching.services import Tools

MAX_SUGGESTIONS = 10
QUERY_MAX = 50
# The taxonomy keeps its names in lower case; short Latin words in them are mostly
# acronyms (plc, hmi, sql, s7), printed upper case as people write them.
ACRONYM = re.compile(r"(?<![a-z])[a-z][a-z0-9]{0,2}(?![a-z])")


@dataclass(frozen=True)
class Suggestion:
    value: str  # the tag as it is written into the field
    hint: str  # the skill's other names, to tell it apart


def written(alias: str) -> str:
    return ACRONYM.sub(lambda found: found.group().upper(), alias)


_NAMES: dict[int, tuple[tuple[str, str, str], ...]] = {}  # by taxonomy version


def _names(tools: Tools) -> tuple[tuple[str, str, str], ...]:
    """(searched form, written form, hint) of every skill name, once per version of the
    synonyms."""
    if tools.version not in _NAMES:
        if len(_NAMES) >= 4:
            _NAMES.clear()
        _NAMES[tools.version] = _skill_names(tools)
    return _NAMES[tools.version]


def _skill_names(tools: Tools) -> tuple[tuple[str, str, str], ...]:
    names = []
    for concept in tools.taxonomy.concepts.values():
        if concept.is_major:
            continue
        hint = " / ".join(written(alias) for alias in concept.aliases[:3])
        names += [(normalise(alias), written(alias), hint) for alias in concept.aliases]
    return tuple(names)


def suggest(tools: Tools, typed: str) -> list[Suggestion]:
    """Names holding `typed`: the name itself first, then those starting with it, then
    those holding it, shorter before longer. One pass over the names (a few thousand)."""
    query = normalise(typed[:QUERY_MAX])
    if not query:
        return []
    ranked = []
    for searched, value, hint in _names(tools):
        place = searched.find(query)
        if place >= 0:
            ranked.append(((searched != query, place > 0, len(searched), value), value, hint))
    ranked.sort()
    seen: set[str] = set()
    result = []
    for _rank, value, hint in ranked:
        if value.lower() not in seen:
            seen.add(value.lower())
            result.append(Suggestion(value, hint))
            if len(result) == MAX_SUGGESTIONS:
                break
    return result
