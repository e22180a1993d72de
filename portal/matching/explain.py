"""Explanations people understand: what a post asks for, and why a match is recommended,
as plain sentences in the reader's language (the score components stay for coordinators).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.matching.catalogue import shipped_catalogue
from portal.matching.requirements import Requirements, extract
from portal.matching.scoring import Match
from portal.postings.models import EducationLevel, Posting

COMPONENT_LABELS = {
    "lexical": _l("wording"), "concepts": _l("skills and subjects"),
    "majors": _l("majors asked for"), "degree": _l("degree level"),
    "coverage": _l("required skills covered"), "title": _l("title"),
    "structure": _l("place and size"),
}


def degree_name(rank: int) -> str:
    return str(list(EducationLevel)[rank].label)


@dataclass
class Asks:
    """A post's requirements, ready for its page."""

    majors: list[tuple[str, str, bool]]  # as written, catalogue name, preferred
    any_major: bool
    degree: str  # "" when the post names none
    years: int | None
    certificates: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.majors or self.any_major or self.degree or self.years is not None
                    or self.certificates)


def requirements_of(posting: Posting) -> Requirements:
    return extract(shipped_catalogue(), title=posting.title, description=posting.description,
                   major=posting.major or "", skills=tuple(posting.skills or ()))


def asks_for(posting: Posting) -> Asks:
    """What the post asks for, read from its own words and its fields."""
    found = requirements_of(posting)
    floor = found.degree_floor(posting.education.rank if posting.education else None)
    return Asks(
        majors=[(named.words, named.reference.label, named.preferred) for named in found.majors],
        any_major=found.any_major, degree=degree_range(floor, found.degree_max),
        years=found.years, certificates=found.certificates)


def degree_range(floor: int | None, ceiling: int | None) -> str:
    if floor is None and ceiling is None:
        return ""
    if floor is None:
        return _("%(level)s or below", level=degree_name(ceiling))
    if ceiling is None:
        return _("%(level)s or above", level=degree_name(floor))
    if ceiling == floor:
        return degree_name(floor)
    return _("%(low)s to %(high)s", low=degree_name(floor), high=degree_name(ceiling))


def sentences(match: Match) -> list[str]:
    """The stated requirements met or missed, in plain sentences."""
    lines = []
    for fact in match.fit:
        if fact[0] == "major":
            _kind, verdict, asked, programme = fact
            if verdict == "met":
                lines.append(_("Major: the post asks for %(asked)s; this programme is "
                               "%(programme)s, which fits.", asked=asked, programme=programme))
            elif verdict == "related":
                lines.append(_("Major: the post asks for %(asked)s; %(programme)s is in a "
                               "related field.", asked=asked, programme=programme))
            else:
                lines.append(_("Major: the post asks for %(asked)s; %(programme)s is not "
                               "among them, so it ranks lower.", asked=asked,
                               programme=programme))
        elif fact[0] == "degree":
            _kind, verdict, floor, level = fact
            if verdict == "met":
                lines.append(_("Degree: %(floor)s or above is asked; this programme is "
                               "%(level)s level.", floor=degree_name(floor),
                               level=degree_name(level)))
            else:
                lines.append(_("Degree: %(floor)s or above is asked; this programme is "
                               "%(level)s level, so it ranks lower.",
                               floor=degree_name(floor), level=degree_name(level)))
    return lines
