"""Look-alike names and addresses: what a text looks like, whatever characters spell it.

Two organisation names or e-mail addresses that differ only in full-width forms, case,
invisible characters or homoglyphs (Cyrillic "о" for Latin "o", "0" for "O", 士 for 土)
have the same skeleton. Coordinators are shown the organisations and accounts whose
skeleton another one shares, so an impostor's registration is noticed before it is
verified. (Nothing is refused for it: real organisations do have similar names.)

The homoglyphs come from Unicode's confusables list as packaged by confusable_homoglyphs,
grouped here so that every member of a group reads as one character.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache

SKELETON_MAX = 400  # characters stored; the names and addresses it is made of are shorter


@cache
def _representatives() -> dict[str, str]:
    """Character (small letters) → the character standing for it.

    Each character goes to the lowest of itself and its direct look-alikes, and on from
    there while that goes lower (士 → 土 → ⼟, as 土 → ⼟): so "0", "о" and "o" all
    stand for "0". Joining look-alikes of look-alikes freely instead would make most of
    the alphabet one letter."""
    from confusable_homoglyphs.confusables import confusables_data

    lowest: dict[str, str] = {}
    for char, homoglyphs in confusables_data.items():
        # lower(), not casefold(): the long s "ſ" looks like "f", and is no "s" here.
        small = char.lower()
        if len(small) != 1:
            continue
        candidates = [small, *(homoglyph["c"].lower() for homoglyph in homoglyphs)]
        found = min(candidate for candidate in candidates if len(candidate) == 1)
        lowest[small] = min(found, lowest.get(small, found))
    representatives = {}
    for char, target in lowest.items():
        while lowest.get(target, target) < target:  # strictly lower each step: it ends
            target = lowest[target]
        representatives[char] = target
    return representatives


def skeleton(text: str) -> str:
    """What `text` looks like: NFKC, case-folded, without spaces or invisible characters,
    each look-alike replaced by its group's character."""
    representatives = _representatives()
    folded = unicodedata.normalize("NFKC", text[:SKELETON_MAX]).casefold()
    visible = (char for char in folded
               if not char.isspace() and unicodedata.category(char) not in ("Cf", "Cc"))
    return "".join(representatives.get(char, char) for char in visible)[:SKELETON_MAX]


def unusual_characters(text: str) -> list[tuple[str, str | None]]:
    """`text` as (character, its Unicode name when it is not plain ASCII), so a page can
    show where an address that reads like another differs from it."""
    return [(char, None if " " < char <= "~" else
             f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')}")
            for char in text[:SKELETON_MAX]]


# What many names share and so tells nothing about which organisation it is: the place
# in front (上海市…, …（上海）…) and the legal form at the end (…有限公司, … Co., Ltd.).
PROVINCES = ("北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 "
             "河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 "
             "宁夏 新疆 香港 澳门 中国").split()
LEGAL_FORMS = ("股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司",
               "分公司", "集团", "公司", "co.,ltd.", "co.,ltd", "co.ltd", "ltd.", "ltd",
               "limited", "inc.", "inc", "corp.", "corp", "llc")
_PLACE = "|".join(PROVINCES)
_LEADING_PLACE = re.compile(rf"^(?:{_PLACE})(?:省|市|自治区|特别行政区)?")
_BRACKETED_PLACE = re.compile(rf"\((?:{_PLACE})(?:省|市|自治区)?\)")
_TRAILING_PUNCTUATION = re.compile(r"[\s.,，。·()]+$")


def name_core(name: str) -> str:
    """The skeleton of what distinguishes an organisation's name: 上海澄曜智能装备有限公司,
    澄曜智能装备（上海）有限公司 and 上海市澄曜智能装备股份有限公司 share 澄曜智能装备.
    A name that is nothing but place and legal form keeps what it has."""
    folded = unicodedata.normalize("NFKC", name[:SKELETON_MAX]).casefold()
    folded = "".join(char for char in folded if not char.isspace())
    core = _BRACKETED_PLACE.sub("", _LEADING_PLACE.sub("", folded, count=1))
    for _ in range(2):  # "…集团有限公司" ends in two forms at most
        core = _TRAILING_PUNCTUATION.sub("", core)
        core = next((core[:-len(form)] for form in LEGAL_FORMS if core.endswith(form)), core)
    return skeleton(core or folded)
