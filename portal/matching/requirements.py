"""What a post asks for, read from its own words: the majors it names (with their place in
the official catalogues), the degree floor and ceiling, years of experience, certificates,
and whether any major will do (专业不限).

Pure: plain strings in, a frozen Requirements out. Every pattern is a regular expression
without nested repetition or an Aho-Corasick pass, so the work is linear in the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from portal.matching.catalogue import Catalogue, Reference
from portal.matching.normalise import normalise, simplified

# Education ranks, as postings.models.EducationLevel.rank numbers them.
SECONDARY, VOCATIONAL, BACHELOR, MASTER, DOCTORATE = range(5)
DEGREE_NAMES = {SECONDARY: "中专", VOCATIONAL: "大专", BACHELOR: "本科", MASTER: "硕士",
                DOCTORATE: "博士"}

# Clauses: sentences and list items (1、 2. （3）) are read one at a time.
_CLAUSE = re.compile(r"[。；;！!？?\n]+|(?:^|\s)[（(]?\d{1,2}[)）、.．](?!\d)")
_SEGMENT = re.compile(r"[，,]")
# "专业" as the subject of study, not "专业知识" (know-how) or "专业的团队".
_MAJOR_WORD = re.compile(r"专业(?!知识|技能|能力|素养|素质|水平|培训|服务|术语|领域|的|性|度|化"
                         r"|人士|团队|技术支持|方面|资格|工作)|\bmajor(?:ed|ing)?\b|\bdegree in\b"
                         r"|\bbackground in\b", re.I)
_ANY_MAJOR = re.compile(r"专业不限|不限专业|专业\s*[:：]?\s*不限|专业无要求|不要求专业"
                        r"|any (?:major|discipline)", re.I)
_PREFERRED = re.compile(r"优先|为佳|更佳|尤佳|者佳|加分|\bpreferred\b|\ba plus\b|\bideally\b",
                        re.I)
# 相关专业, 类专业, 等专业: the post asks for the field, not only the majors it lists.
_WIDENED = re.compile(r"相关|类|等|或相近|近似|\brelated\b|\bsimilar\b", re.I)
_DEGREE = re.compile(
    r"(博士|phd|ph\.d|doctor(?:ate)?|硕士|研究生|master'?s?|统招本科|全日制本科|本科|学士"
    r"|bachelor'?s?|大专|专科|高职|associate degree|college diploma|中专|中职|技校|高中)"
    r"\s*(?:学历|学位|degree)?\s*(?:或|及|and|or)?\s*(以上|以下|above|or above|or higher"
    r"|以上学历|及以上学历)?", re.I)
_DEGREE_RANKS = [
    (re.compile(r"博士|phd|ph\.d|doctor", re.I), DOCTORATE),
    (re.compile(r"硕士|研究生|master", re.I), MASTER),
    (re.compile(r"本科|学士|bachelor", re.I), BACHELOR),
    (re.compile(r"大专|专科|高职|associate|college", re.I), VOCATIONAL),
    (re.compile(r"中专|中职|技校|高中"), SECONDARY),
]
_NO_DEGREE = re.compile(r"学历不限|不限学历|学历\s*[:：]?\s*不限|学历无要求")
_NUMBER = "一二两三四五六七八九十"
_CHINESE_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                    "八": 8, "九": 9, "十": 10}
_YEARS = re.compile(
    rf"(\d{{1,2}}|[{_NUMBER}]{{1,2}})\s*年(?:及|或)?(?:以上)?[^，,。；;\n]{{0,12}}?经验"
    r"|(\d{1,2})\+?\s*years?", re.I)
_NO_EXPERIENCE = re.compile(r"应届|经验不限|不限经验|无经验|接受小白|no experience", re.I)
_CERTIFICATE = re.compile(
    r"([A-Za-z0-9\u4e00-\u9fff+]{1,14}?(?:资格证书?|上岗证书?|执业证书?|职业资格证?书?|等级证书?"
    r"|操作证书?|证书|职称|(?:工|师|员|士)证))"
    r"|\b(CPA|ACCA|CFA|PMP|CET-?[46]|CATTI|CISSP|CCNA|CCNP|HCIA|HCIP|HCIE|FRM|CMA)\b"
    r"|(英语[四六]级|大学英语[四六]级|计算机[一二三]级|驾照|驾驶证)", re.I)
_CERTIFICATE_LEAD = re.compile(r"^(?:持有|具有|具备|取得|拥有|考取|有|持|需|须|获得|并|及|或|和)+")


@dataclass(frozen=True)
class NamedMajor:
    words: str  # as the post wrote it (normalised)
    reference: Reference
    preferred: bool  # "X专业优先": a plus, not a condition
    widened: bool  # "X等相关专业": the field counts as much as the major


@dataclass(frozen=True)
class Requirements:
    majors: tuple[NamedMajor, ...] = ()
    any_major: bool = False
    degree_min: int | None = None
    degree_max: int | None = None
    years: int | None = None
    certificates: tuple[str, ...] = ()
    # Fields the job title names (会计助理, 物流专员): not what the post states as its
    # requirement, so not shown as one, but evidence of the programmes that fit.
    implied: tuple[NamedMajor, ...] = ()

    def degree_floor(self, stated: int | None) -> int | None:
        """The lowest level wanted: the one the posting's form states, else its text's."""
        return stated if stated is not None else self.degree_min

    @property
    def required_majors(self) -> tuple[NamedMajor, ...]:
        return tuple(m for m in self.majors if not m.preferred)

    def columns(self, catalogue: Catalogue) -> dict[str, float]:
        """The post's weighted catalogue columns: a programme's major fit is the sum of its
        own columns' weights here (capped at 1). A preferred major counts half."""
        if self.any_major:
            return {}
        weights: dict[str, float] = {}
        for named in (*self.majors, *self.implied):
            weight = 0.5 if named.preferred else 1.0
            columns = named.reference.columns(catalogue, weight)
            if named.widened and named.reference.kind == "major":
                field = next(c for c in columns if c.startswith("field:"))
                columns[field] = max(columns[field],
                                     Reference("field", field[6:], "").columns(
                                         catalogue, weight)[field])
            for column, value in columns.items():
                weights[column] = max(weights.get(column, 0.0), value)
        return weights

    @property
    def is_empty(self) -> bool:
        return self == Requirements()


def _clauses(text: str) -> list[str]:
    return [clause.strip() for clause in _CLAUSE.split(text) if clause and clause.strip()]


def extract(catalogue: Catalogue, *, title: str = "", description: str = "",
            major: str = "", skills: tuple[str, ...] | list[str] = (),
            title_is_a_role: bool = True) -> Requirements:
    """Requirements of a post from its title, description and fields. The `major` field is
    read as a list of required majors; the description's major clauses as written. A
    title that is a role (会计助理, not a research topic's problem) may imply a field."""
    text = simplified("\n".join(part for part in (title, description, "；".join(skills))
                                if part))
    majors: dict[str, NamedMajor] = {}
    if major:
        _add_majors(majors, catalogue, major, preferred=False,
                    widened=bool(_WIDENED.search(major)))
    for clause in _clauses(text):
        if not _MAJOR_WORD.search(clause):
            continue
        for segment in _major_segments(clause):
            _add_majors(majors, catalogue, segment, preferred=bool(_PREFERRED.search(segment)),
                        widened=bool(_WIDENED.search(segment)))
    implied: dict[str, NamedMajor] = {}
    if title and title_is_a_role and not majors:
        # Where the post names no major, its title (会计助理) still names a field: the
        # whole 专业类 counts, at a preferred major's weight.
        _add_majors(implied, catalogue, simplified(title), preferred=True, widened=True)
    degree_min, degree_max = _degrees(text)
    return Requirements(
        majors=tuple(majors.values()), any_major=bool(_ANY_MAJOR.search(text)),
        degree_min=degree_min, degree_max=degree_max, years=_years(text),
        certificates=_certificates(text), implied=tuple(implied.values()))


def _major_segments(clause: str) -> list[str]:
    """The parts of a clause that name majors: the comma-separated segment around each
    "专业" word, and after "专业：" the rest of the clause (涉及专业：电子、通信…)."""
    segments = []
    colon = re.search(r"专业(?:要求|背景|方向)?\s*[:：]", clause)
    if colon:
        segments.append(clause[colon.end():])
        clause = clause[:colon.start()]
    # English lists run on with commas ("a degree in X, Y or a related field").
    parts = [clause] if clause.isascii() else _SEGMENT.split(clause)
    segments.extend(part for part in parts if _MAJOR_WORD.search(part))
    return segments


def _add_majors(majors: dict[str, NamedMajor], catalogue: Catalogue, text: str, *,
                preferred: bool, widened: bool) -> None:
    for words, reference in catalogue.find(normalise(text)):
        key = f"{reference.kind}:{reference.key}"
        known = majors.get(key)
        # Required beats preferred; a widened mention widens.
        if known is None or (known.preferred and not preferred) or (
                widened and not known.widened and known.preferred == preferred):
            majors[key] = NamedMajor(words, reference, preferred, widened)


def _degrees(text: str) -> tuple[int | None, int | None]:
    """Degree floor and ceiling. A degree named as a plus (硕士优先) sets neither."""
    if _NO_DEGREE.search(text):
        return None, None
    floors, listed, ceiling = [], set(), None
    for clause in _clauses(text):
        for segment in _SEGMENT.split(clause):
            preferred = bool(_PREFERRED.search(segment))
            for found in _DEGREE.finditer(segment):
                rank = next(r for pattern, r in _DEGREE_RANKS if pattern.search(found.group(1)))
                qualifier = (found.group(2) or "").lower()
                if "以下" in qualifier:
                    ceiling = rank if ceiling is None else max(ceiling, rank)
                    continue
                if preferred:
                    continue
                floors.append(rank)
                if not qualifier:
                    listed.add(rank)
    if not floors:
        return None, ceiling
    floor = min(floors)
    # "中专/大专学历" with no 以上 anywhere: the levels listed are the range wanted.
    if ceiling is None and len(listed) > 1 and len(listed) == len(set(floors)):
        ceiling = max(listed)
    return floor, ceiling


def _years(text: str) -> int | None:
    years = []
    for found in _YEARS.finditer(text):
        value = found.group(1) or found.group(2)
        years.append(int(value) if value.isdigit() else _CHINESE_NUMBERS[value[0]])
    if years:
        return min(years)
    return 0 if _NO_EXPERIENCE.search(text) else None


def _certificates(text: str) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for match in _CERTIFICATE.finditer(text):
        name = _CERTIFICATE_LEAD.sub("", next(g for g in match.groups() if g))
        if len(name) >= 2 and name not in ("证书", "资格证", "职称"):
            found.setdefault(name.upper() if name.isascii() else name)
        if len(found) >= 8:
            break
    return tuple(found)
