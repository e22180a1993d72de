"""Matching over the portal's postings (the database side of scoring)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.matching.models import SkillSynonym
from portal.matching.normalise import Segmenter, Taxonomy, normalise
from portal.matching.requirements import DEGREE_NAMES
from portal.matching.scoring import (
    COMPATIBLE,
    Analysed,
    Doc,
    Match,
    Ranking,
    SupplyIndex,
    analyse,
    analyse_many,
)
from portal.matching.taxonomy import shipped_taxonomy, taxonomy_with
from portal.postings.models import Posting, PostingKind
from portal.postings.text import search_text

# Below this score a posting is not worth a person's attention as a recommendation
# (the CLI still lists the top K for evaluation).
MIN_RECOMMENDATION_SCORE = 15.0

# Analysed postings by id, with the version analysed (posting time and taxonomy): a posting
# is analysed again only after it or the synonyms change. Process-local, per worker.
_analysed: dict[int, tuple[tuple[datetime, int], Analysed]] = {}


@lru_cache(maxsize=1)
def _segmenter() -> Segmenter:
    return Segmenter(shipped_taxonomy().words())


def warm_up() -> None:
    """Load what the first search or match of a process would (jieba's dictionary with
    the taxonomy's words, the catalogue): gunicorn calls it before forking its workers,
    so they share it and a replaced worker answers at once instead of after ~2 s."""
    from portal.matching.catalogue import shipped_catalogue

    _segmenter().tokens(normalise("预热 warm-up"))
    shipped_taxonomy()
    shipped_catalogue()


@dataclass
class Tools:
    taxonomy: Taxonomy
    segmenter: Segmenter
    version: int  # changes whenever coordinators change the synonyms


def tools(session: Session) -> Tools:
    """The taxonomy as it is now: shipped data plus the coordinators' synonyms."""
    synonyms = tuple((concept, alias) for concept, alias in session.execute(
        select(SkillSynonym.concept_id, SkillSynonym.alias).order_by(SkillSynonym.id)))
    segmenter = _segmenter()
    segmenter.add_words(alias for _concept, alias in synonyms)
    return Tools(taxonomy_with(synonyms), segmenter, hash(synonyms))


# Search expands a query by other names of what it names; these are too short to look
# for inside text (a bare "ml" is in "html"), and only so many are tried.
SHORTEST_LATIN_NAME = 3
MAX_SEARCH_NAMES = 40


def search_names(session: Session, query: str) -> list[tuple[str, list[str]]]:
    """For each concept a search query names (machine learning, ML, 可编程控制器): the
    words as found in the normalised query, and the concept's other names as the
    postings' search text holds them. Coordinators' synonyms count."""
    taxonomy = tools(session).taxonomy
    result, budget = [], MAX_SEARCH_NAMES
    for concept, found in taxonomy.find(normalise(query)).items():
        names = []
        for alias in taxonomy.concepts[concept].aliases:
            name = search_text(alias)
            if name == found or name in names or (
                    name.isascii() and len(name) < SHORTEST_LATIN_NAME):
                continue
            names.append(name)
        result.append((found, names[:budget]))
        budget -= len(names[:budget])
        if budget <= 0:
            break
    return result


def posting_ref(posting: Posting) -> str:
    """The source's ref for imported postings, else the portal's own id."""
    return posting.external_ref or f"P{posting.id}"


def to_doc(posting: Posting) -> Doc:
    """Scoring sees a posting under its id (refs are for people and tools)."""
    return Doc(
        ref=str(posting.id), kind=posting.kind.value, title=posting.title,
        description=posting.description, skills=posting.skills or [],
        courses=posting.courses or [], major=posting.major, district=posting.district,
        education_rank=posting.education.rank if posting.education else None,
        headcount=posting.headcount, capacity=posting.capacity,
    )


def _cached(posting_id: int, version: tuple) -> Analysed | None:
    """This worker's analysis of the posting, if made from this edit and vocabulary."""
    cached = _analysed.get(posting_id)
    return cached[1] if cached is not None and cached[0] == version else None


def analysed(posting: Posting, current: Tools) -> Analysed:
    version = (posting.updated_at, current.version)
    result = _cached(posting.id, version)
    if result is None:
        result = analyse(to_doc(posting), current.taxonomy, current.segmenter)
        _analysed[posting.id] = (version, result)
    return result


# Postings loaded at once when analyses are missing (the IN list stays short).
LOAD_CHUNK = 500


def live_analysed(session: Session, current: Tools, kinds: set[PostingKind] | None = None,
                  today: date | None = None) -> list[Analysed]:
    """The live postings (of `kinds`), analysed, in id order. Only ids and edit times are
    read for all of them; whole rows only for those this worker has not analysed yet."""
    statement = select(Posting.id, Posting.updated_at).where(
        Posting.is_live_on(today or date.today()))
    if kinds is not None:
        statement = statement.where(Posting.kind.in_(kinds))
    versions = {id_: (updated, current.version)
                for id_, updated in session.execute(statement.order_by(Posting.id))}
    missing = [id_ for id_, version in versions.items() if _cached(id_, version) is None]
    for start in range(0, len(missing), LOAD_CHUNK):
        postings = session.scalars(select(Posting).where(
            Posting.id.in_(missing[start:start + LOAD_CHUNK]))).all()
        fresh = analyse_many([to_doc(p) for p in postings], current.taxonomy,
                             current.segmenter)
        for posting, result in zip(postings, fresh, strict=True):
            _analysed[posting.id] = (versions[posting.id], result)
    return [_analysed[id_][1] for id_ in versions]


def match_all(session: Session, top: int = 10) -> Ranking:
    """Best matches both ways for every live posting, keyed by posting id (as text)."""
    return match_block(session, 0, 1, top)


def match_block(session: Session, block: int, blocks: int, top: int = 10) -> Ranking:
    """One block of a recompute split `blocks` ways: the live demands whose place in id
    order is `block` modulo `blocks`, against every live supply (rarity is still judged
    over all postings). Their demand lists are complete; each supply's list holds its
    best of these demands, to be merged with the other blocks' lists."""
    current = tools(session)
    everything = live_analysed(session, current)
    demands = [a for a in everything if PostingKind(a.doc.kind).is_demand]
    supplies = [a for a in everything if not PostingKind(a.doc.kind).is_demand]
    index = SupplyIndex(supplies, current.taxonomy, current.segmenter, corpus=demands)
    return index.rank_both(demands[block::blocks], top=top)


def _counterpart_kinds(kind: PostingKind) -> set[PostingKind]:
    if kind.is_demand:
        return {PostingKind(k) for k in COMPATIBLE[kind.value]}
    return {PostingKind(d) for d, supplies in COMPATIBLE.items() if kind.value in supplies}


def match_one(session: Session, posting: Posting, top: int = 10) -> list[Match]:
    """The best `top` live postings of the other side for `posting` (live or a draft)."""
    current = tools(session)
    this = analysed(posting, current)
    theirs = [a for a in live_analysed(session, current, _counterpart_kinds(posting.kind))
              if a.doc.ref != this.doc.ref]
    if posting.kind.is_demand:
        index = SupplyIndex(theirs, current.taxonomy, current.segmenter, corpus=[this])
        return index.rank_both([this], top=top, supply_lists=False).by_demand[this.doc.ref]
    index = SupplyIndex([this], current.taxonomy, current.segmenter, corpus=theirs)
    return index.rank_both(theirs, top=top, demand_lists=False).by_supply[this.doc.ref]


def reasons(match: Match) -> list[str]:
    """Short reasons a person or a tool can read: what matched, through which words,
    what the supply lacks, and the post's major and degree asks met or missed."""
    lines = [f"{concept}: {said} ↔ {offered}" if said != offered else f"{concept}: {said}"
             for concept, said, offered in match.matched[:8]]
    lines += [f"missing {concept}: {said}" for concept, said in match.missing[:5]]
    for fact in match.fit:  # ["major", verdict, asked, programme] / ["degree", verdict, …]
        kind, verdict, asked, offered = fact
        if kind == "degree":
            asked, offered = DEGREE_NAMES[asked] + "及以上", DEGREE_NAMES[offered]
        lines.append(f"{kind} {verdict}: {asked} → {offered}")
    return lines


def as_json(session: Session, by_demand: dict[str, list[Match]],
            top: int) -> list[dict[str, Any]]:
    """The CLI's contract: every demand by ref, its best supplies by ref, best first."""
    refs = {str(id_): external or f"P{id_}" for id_, external in session.execute(
        select(Posting.id, Posting.external_ref))}
    return [{"posting": refs[demand], "matches": [
        {"posting": refs[m.supply], "score": m.score, "reasons": reasons(m),
         "components": m.components} for m in matches[:top]]}
        for demand, matches in by_demand.items()]
