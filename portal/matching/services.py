"""Matching over the portal's published postings (the database side of scoring)."""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.matching.normalise import Segmenter
from portal.matching.scoring import Doc, Match, rank
from portal.matching.taxonomy import shipped_taxonomy
from portal.postings.models import Posting


@lru_cache(maxsize=1)
def _segmenter() -> Segmenter:
    return Segmenter(shipped_taxonomy().words())


def posting_ref(posting: Posting) -> str:
    """The source's ref for imported postings, else the portal's own id."""
    return posting.external_ref or f"P{posting.id}"


def to_doc(posting: Posting) -> Doc:
    return Doc(
        ref=posting_ref(posting), kind=posting.kind.value, title=posting.title,
        description=posting.description, skills=posting.skills or [],
        courses=posting.courses or [], major=posting.major, district=posting.district,
        education_rank=posting.education.rank if posting.education else None,
        headcount=posting.headcount, capacity=posting.capacity,
    )


def live_postings(session: Session, today: date | None = None) -> list[Posting]:
    return list(session.scalars(
        select(Posting).where(Posting.is_live_on(today or date.today()))
        .options(selectinload(Posting.organization)).order_by(Posting.id)))


def match_all(session: Session, top: int = 10) -> dict[str, list[Match]]:
    """Best supplies for every live demand posting, keyed by demand ref."""
    postings = live_postings(session)
    demands = [to_doc(p) for p in postings if p.kind.is_demand]
    supplies = [to_doc(p) for p in postings if not p.kind.is_demand]
    return rank(demands, supplies, shipped_taxonomy(), _segmenter(), top=top)


def reasons(match: Match) -> list[str]:
    """Short reasons a person or a tool can read: what matched, through which words,
    and what the supply lacks."""
    lines = [f"{concept}: {said} ↔ {offered}" if said != offered else f"{concept}: {said}"
             for concept, said, offered in match.matched[:8]]
    lines += [f"missing {concept}: {said}" for concept, said in match.missing[:5]]
    return lines


def as_json(results: dict[str, list[Match]]) -> list[dict[str, Any]]:
    return [{"posting": demand, "matches": [
        {"posting": m.supply, "score": m.score, "reasons": reasons(m),
         "components": m.components} for m in matches]}
        for demand, matches in results.items()]
