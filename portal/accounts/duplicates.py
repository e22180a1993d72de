"""Organisations that may be one registered twice: names that differ only in place and
legal form (the same lookalike.name_core), or whose cores are nearly the same. Shown to
coordinators as a warning; nothing is refused, since real organisations do have
similar names."""
from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from portal.accounts.models import Organization

# fuzz.ratio of two cores from which on they count as similar: one character in five
# differs (澄曜智能装备 / 澄耀智能装备 scores 83); different trades stay apart
# (澄曜智能装备 / 澄曜精密装备 scores 67).
SIMILAR_SCORE = 80
# A core this long that another contains is similar too (澄曜智能 in 澄曜智能装备).
CONTAINED_MIN = 4
SHOWN = 10


def _contains_either(one: str, other: str) -> bool:
    shorter, longer = sorted((one, other), key=len)
    return len(shorter) >= CONTAINED_MIN and shorter in longer


def similar_names(session: Session, org: Organization) -> list[Organization]:
    """Other organisations of `org`'s kind whose names are similar to its name, closest
    first. Linear in the number of organisations of that kind (rapidfuzz compares the
    cores, which are at most 400 characters)."""
    core = org.name_core
    if not core:
        return []
    cores = dict(session.execute(select(Organization.id, Organization.name_core).where(
        Organization.kind == org.kind, Organization.id != org.id)).all())
    scored = {other_id: score for _core, score, other_id in process.extract(
        core, cores, scorer=fuzz.ratio, score_cutoff=SIMILAR_SCORE, limit=SHOWN)}
    for other_id, other_core in cores.items():
        if len(scored) >= SHOWN:
            break
        if other_id not in scored and _contains_either(core, other_core):
            scored[other_id] = SIMILAR_SCORE
    closest = sorted(scored, key=lambda other_id: (-scored[other_id], other_id))
    found = {other.id: other for other in session.scalars(
        select(Organization).where(Organization.id.in_(closest)))}
    return [found[other_id] for other_id in closest]


def sharing_a_core(session: Session, orgs: Sequence[Organization]) -> set[int]:
    """Which of `orgs` share their name core with another organisation (one query)."""
    other = aliased(Organization)
    return set(session.scalars(select(Organization.id).join(
        other, (other.name_core == Organization.name_core) & (other.id != Organization.id)
        & (other.kind == Organization.kind)).where(
        Organization.id.in_([org.id for org in orgs]), Organization.name_core != "")))
