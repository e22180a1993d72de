"""The official major catalogues (data/catalogue.tsv): names a post or a programme uses,
resolved to the hierarchy major > 专业类 > 门类/大类.

Pure: no Flask, no database. The 专业类 of the two catalogues that teach the same field share
a `field` key, so a post naming 计算机类 reaches a 高职 软件技术 programme as well as a 本科
软件工程 one.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from portal.matching.normalise import normalise

DATA = Path(__file__).parent / "data" / "catalogue.tsv"

# How much a named reference gives a programme, by how close the programme is to it. A
# programme's fit is the sum over its three levels (capped at 1 by the scorer): the named
# major itself scores 1.0, another major of its 专业类 0.5, one of its 门类/大类 0.2.
LEVEL_WEIGHTS = {"major": 0.5, "field": 0.3, "category": 0.2}
# Naming a 专业类 ("机械类专业") asks for every programme of it.
NAMED_FIELD_WEIGHT = 0.8

# Broad groups posts name instead of majors (理工科, 经管类): each stands for 门类 codes of
# the undergraduate catalogue.
BROAD_GROUPS = {
    "理工科": ("07", "08"), "理工类": ("07", "08"), "工科": ("08",), "工学": ("08",),
    "理科": ("07",), "理学": ("07",), "经管类": ("02", "12"), "经管": ("02", "12"),
    "经济管理": ("02", "12"), "管理学": ("12",), "经济学类": ("02",), "文科": ("05",),
    "医学类": ("10",), "医药类": ("10",), "医药": ("10",), "财经": ("02", "12"),
    "财经类": ("02", "12"), "艺术类": ("13",),
}


@dataclass(frozen=True)
class Major:
    level: str  # "本科", "高职" or "中职"
    code: str  # "-" where not checked against the published list
    name: str
    class_code: str
    class_name: str
    field: str
    category_code: str
    category: str

    @property
    def category_key(self) -> str:
        return f"{self.level}:{self.category_code}"


@dataclass(frozen=True)
class Reference:
    """What a name in a text stands for: one major, a 专业类 (by field), or 门类."""

    kind: str  # "major", "field" or "category"
    key: str  # major name, field key, or category key(s) joined by "|"
    label: str  # the catalogue's own name, for people

    def columns(self, catalogue: Catalogue, weight: float = 1.0) -> dict[str, float]:
        """Weighted hierarchy columns of the programmes this reference asks for."""
        if self.kind == "major":
            major = catalogue.majors[self.key]
            return {f"major:{major.name}": LEVEL_WEIGHTS["major"] * weight,
                    f"field:{major.field}": LEVEL_WEIGHTS["field"] * weight,
                    f"category:{major.category_key}": LEVEL_WEIGHTS["category"] * weight}
        if self.kind == "field":
            return {f"field:{self.key}": NAMED_FIELD_WEIGHT * weight}
        return {f"category:{key}": (NAMED_FIELD_WEIGHT + LEVEL_WEIGHTS["category"]) * weight
                for key in self.key.split("|")}


class Catalogue:
    def __init__(self, entries: list[tuple[Major, tuple[str, ...]]]) -> None:
        """`entries`: each major with the short names posts use for it."""
        import ahocorasick_rs

        majors = [major for major, _aliases in entries]
        self.majors: dict[str, Major] = {}
        self.names: dict[str, Reference] = {}
        for major in majors:
            self.majors.setdefault(major.name, major)
        fields: dict[str, str] = {}
        for major in majors:
            fields.setdefault(major.field, major.class_name)
        # Majors first: where a major and a 专业类 share a name (自动化), the major wins and
        # still reaches its 专业类 through its columns.
        for major, aliases in entries:
            self._name(major.name, Reference("major", major.name, major.name))
            for alias in aliases:
                # "机械类" (or "*外语") beside a major's names names the whole 专业类.
                if alias.endswith("类") or alias.startswith("*"):
                    self._name(alias.lstrip("*"),
                               Reference("field", major.field, major.class_name))
                else:
                    self._name(alias, Reference("major", major.name, major.name))
        for major in majors:
            stem = major.class_name.removesuffix("类")
            reference = Reference("field", major.field, major.class_name)
            self._name(major.class_name, reference)
            if len(stem) >= 2:
                self._name(stem, reference)
        for name, codes in BROAD_GROUPS.items():
            self._name(name, Reference("category", "|".join(f"本科:{c}" for c in codes), name))
        self._keys = list(self.names)
        self._automaton = ahocorasick_rs.AhoCorasick(
            self._keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def _name(self, name: str, reference: Reference) -> None:
        key = normalise(name)
        if key:
            self.names.setdefault(key, reference)

    def find(self, normalised_text: str) -> list[tuple[str, Reference]]:
        """Every catalogue name in the text, in order, as (the words found, reference)."""
        if not normalised_text:
            return []
        found = []
        for index, start, end in self._automaton.find_matches_as_indexes(normalised_text):
            if _cuts_latin_word(normalised_text, start, end):
                continue  # "law" is not in "lawyer", nor "math" in "aftermath"
            found.append((normalised_text[start:end], self.names[self._keys[index]]))
        return found

    def programme(self, *texts: str) -> Major | None:
        """The catalogue major a programme is, from its major field or title: the first
        text that names one (the longest name found in it)."""
        for text in texts:
            found = [ref for _words, ref in self.find(normalise(text)) if ref.kind == "major"]
            if found:
                return self.majors[max(found, key=lambda r: len(r.key)).key]
        return None

    def columns_of(self, major: Major) -> dict[str, float]:
        """The hierarchy columns a programme of this major has (each 1)."""
        return {f"major:{major.name}": 1.0, f"field:{major.field}": 1.0,
                f"category:{major.category_key}": 1.0}


def _cuts_latin_word(text: str, start: int, end: int) -> bool:
    def latin(i: int) -> bool:
        return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()

    return latin(start) and latin(start - 1) or latin(end - 1) and latin(end)


def read_majors(path: Path = DATA) -> list[tuple[Major, tuple[str, ...]]]:
    """Each row of the catalogue file: the major and its aliases."""
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 8:
            raise ValueError(f"{path.name}:{number}: expected 8 or 9 columns")
        major = Major(*(cell.strip() for cell in cells[:8]))
        if major.level not in ("本科", "高职", "中职"):
            raise ValueError(f"{path.name}:{number}: unknown level {major.level!r}")
        aliases = tuple(a.strip() for a in (cells[8] if len(cells) > 8 else "").split("|")
                        if a.strip())
        entries.append((major, aliases))
    return entries


@lru_cache(maxsize=1)
def shipped_catalogue() -> Catalogue:
    return Catalogue(read_majors())
