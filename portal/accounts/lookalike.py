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
