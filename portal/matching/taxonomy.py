"""The skill and major taxonomy shipped with the package (data/*.tsv)."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from portal.matching.normalise import Concept, Taxonomy

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def read_concepts() -> list[Concept]:
    """Skills (id, aliases, broader concepts) and majors (id, names, skills taught)."""
    concepts = [Concept(row[0], tuple(a.strip() for a in row[1].split("|") if a.strip()),
                        broader=tuple(row[2].split("|")) if len(row) > 2 and row[2] else ())
                for row in _rows("skills.tsv")]
    known = {concept.id for concept in concepts}
    for concept in concepts:
        if set(concept.broader) - known:
            raise ValueError(f"{concept.id} names unknown broader concepts {concept.broader}")
    for row in _rows("majors.tsv"):
        teaches = tuple(skill for skill in row[2].split("|") if skill)
        unknown = set(teaches) - known
        if unknown:
            raise ValueError(f"major {row[0]} teaches unknown skills {sorted(unknown)}")
        concepts.append(Concept(row[0], tuple(a.strip() for a in row[1].split("|")), teaches))
    return concepts


@lru_cache(maxsize=1)
def shipped_taxonomy() -> Taxonomy:
    return Taxonomy.build(read_concepts())


@lru_cache(maxsize=4)
def taxonomy_with(synonyms: tuple[tuple[str, str], ...]) -> Taxonomy:
    """The shipped taxonomy plus (concept, alias) synonyms; cached per set of synonyms,
    so a change made by a coordinator takes effect on the next match."""
    if not synonyms:
        return shipped_taxonomy()
    extra: dict[str, list[str]] = {}
    for concept, alias in synonyms:
        extra.setdefault(concept, []).append(alias)
    concepts = [replace(c, aliases=c.aliases + tuple(extra.get(c.id, ())))
                for c in read_concepts()]
    return Taxonomy.build(concepts)
