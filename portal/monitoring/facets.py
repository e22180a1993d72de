"""Which majors, 专业类 and skills each posting counts under, kept beside the posting.

A demand counts under every major it names (required or preferred; or the field its job
title implies when it names none), and under their 专业类. A curriculum counts under the
catalogue major it teaches. Both count under the canonical skills (taxonomy concepts)
found in their skills, plus the concepts their description (demands) or courses
(curricula) mention; a skill the taxonomy does not know counts under its own tag, so new
vocabulary still shows up. Beside them, a demand keeps the unknown words its text lists
beside known skills (`vocabulary.listed_terms`), offered as candidate vocabulary.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, event, insert, inspect, select, update
from sqlalchemy.orm import Session

from portal.db import refresh_statistics, write_session
from portal.matching.catalogue import Catalogue, Major, shipped_catalogue
from portal.matching.normalise import Concept, Segmenter, Taxonomy, normalise
from portal.matching.requirements import extract
from portal.matching.services import Tools, tools
from portal.monitoring.models import Dimension, PostingFacet, PostingTerm
from portal.monitoring.vocabulary import listed_terms
from portal.postings.models import Posting, PostingKind
from portal.postings.text import skill_tags
from portal.signals import posting_changed, postings_imported, vocabulary_changed
from portal.tasks import enqueue_after_commit, job

# The kinds the balance counts: people wanted against graduates taught.
DEMAND_KINDS = (PostingKind.TALENT_DEMAND, PostingKind.TRAINING_ORDER)
SUPPLY_KINDS = (PostingKind.CURRICULUM,)
COUNTED_KINDS = DEMAND_KINDS + SUPPLY_KINDS
# A demand that states no headcount asks for one person; a curriculum that states no
# graduates supplies none. The balance's SQL (balance.people_columns) says the same.
UNSTATED_DEMAND, UNSTATED_SUPPLY = 1, 0
# Postings re-derived per transaction when everything is rebuilt (after an import).
REBUILD_BATCH = 500
KEY_MAX = 120

_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Facet:
    dimension: Dimension
    key: str
    label: str


def concept_label(concept: Concept) -> str:
    """The name people read for a concept: its first Chinese alias, else its first."""
    return next((alias for alias in concept.aliases if _HAN.search(alias)),
                concept.aliases[0] if concept.aliases else concept.id)


def _major_facets(major: Major) -> list[Facet]:
    return [Facet(Dimension.MAJOR, major.name, major.name),
            Facet(Dimension.FIELD, major.field, major.class_name)]


def _skill_facets(taxonomy: Taxonomy, skills: Iterable[str], mentions: str) -> list[Facet]:
    facets = []
    for tag in skill_tags(skills):
        found = [concept for concept in taxonomy.find(normalise(tag))
                 if not taxonomy.concepts[concept].is_major]
        if found:
            facets += [Facet(Dimension.SKILL, f"c:{concept}",
                             concept_label(taxonomy.concepts[concept])) for concept in found]
        else:
            facets.append(Facet(Dimension.SKILL, f"t:{tag}"[:KEY_MAX], tag))
    for concept in taxonomy.find(normalise(mentions)):
        if not taxonomy.concepts[concept].is_major:
            facets.append(Facet(Dimension.SKILL, f"c:{concept}",
                                concept_label(taxonomy.concepts[concept])))
    return facets


def facets_of(posting: Posting, catalogue: Catalogue, taxonomy: Taxonomy) -> list[Facet]:
    """What a posting counts under, each facet once (pure: reads only the posting)."""
    facets: list[Facet] = []
    if posting.kind in DEMAND_KINDS:
        asks = extract(catalogue, title=posting.title, description=posting.description,
                       major=posting.major or "", skills=tuple(posting.skills or ()))
        for named in (*asks.majors, *asks.implied):
            reference = named.reference
            if reference.kind == "major":
                facets += _major_facets(catalogue.majors[reference.key])
            elif reference.kind == "field":
                facets.append(Facet(Dimension.FIELD, reference.key, reference.label))
        facets += _skill_facets(taxonomy, posting.skills or [], posting.description)
    elif posting.kind in SUPPLY_KINDS:
        programme = catalogue.programme(posting.major or "", posting.title)
        if programme is not None:
            facets += _major_facets(programme)
        facets += _skill_facets(taxonomy, posting.skills or [], " ".join(posting.courses or []))
    unique: dict[tuple[Dimension, str], Facet] = {}
    for facet in facets:
        unique.setdefault((facet.dimension, facet.key), facet)
    return list(unique.values())


def people(posting: Posting) -> int:
    """How many people a posting counts: wanted (a demand) or taught a year (a curriculum)."""
    if posting.kind in DEMAND_KINDS:
        return posting.headcount if posting.headcount is not None else UNSTATED_DEMAND
    return posting.capacity if posting.capacity is not None else UNSTATED_SUPPLY


def terms_of(posting: Posting, taxonomy: Taxonomy, segmenter: Segmenter) -> list[str]:
    """A demand's candidate vocabulary: unknown words it lists beside known skills."""
    if posting.kind not in DEMAND_KINDS:
        return []
    return listed_terms(posting.description or "", taxonomy, segmenter)


def _store(session: Session, postings: Iterable[Posting], current: Tools) -> None:
    catalogue = shipped_catalogue()
    postings = list(postings)
    ids = [p.id for p in postings]
    session.execute(delete(PostingFacet).where(PostingFacet.posting_id.in_(ids)))
    session.execute(delete(PostingTerm).where(PostingTerm.posting_id.in_(ids)))
    rows = [{"posting_id": posting.id, "dimension": facet.dimension, "key": facet.key,
             "label": facet.label[:200], "published_at": posting.published_at,
             "is_demand": posting.kind in DEMAND_KINDS, "people": people(posting)}
            for posting in postings
            for facet in facets_of(posting, catalogue, current.taxonomy)]
    if rows:
        session.execute(insert(PostingFacet), rows)
    terms = [{"posting_id": posting.id, "term": term, "published_at": posting.published_at}
             for posting in postings
             for term in terms_of(posting, current.taxonomy, current.segmenter)]
    if terms:
        session.execute(insert(PostingTerm), terms)


def refresh_posting(session: Session, posting: Posting) -> None:
    """Re-derive one posting's facets (it was created, edited, published or closed)."""
    if posting.kind not in COUNTED_KINDS:
        return
    session.flush()
    _store(session, [posting], tools(session))


def rebuild_all(session_factory=write_session) -> int:  # noqa: ANN001 - a context manager
    """Re-derive every counted posting's facets, a batch per transaction (so SQLite's
    write lock is released between batches); returns the postings done."""
    last_id, done = 0, 0
    while True:
        with session_factory() as session:
            batch = list(session.scalars(
                select(Posting).where(Posting.kind.in_(COUNTED_KINDS), Posting.id > last_id)
                .order_by(Posting.id).limit(REBUILD_BATCH)))
            if not batch:
                refresh_statistics(session, PostingFacet.__table__, PostingTerm.__table__)
                return done
            _store(session, batch, tools(session))
            last_id, done = batch[-1].id, done + len(batch)


def rebuild_if_missing() -> bool:
    """Derive every posting's facets where counted postings have none at all (the
    database was just upgraded to monitoring); True if it did."""
    with write_session() as session:
        has_postings = session.scalar(
            select(Posting.id).where(Posting.kind.in_(COUNTED_KINDS)).limit(1))
        has_facets = session.scalar(select(PostingFacet.posting_id).limit(1))
    if has_postings is None or has_facets is not None:
        return False
    rebuild_all()
    return True


@job("monitoring.rebuild_facets")
def run_rebuild() -> None:
    rebuild_all()


def _on_posting_changed(posting: Posting, session: Session) -> None:
    refresh_posting(session, posting)


def _on_postings_imported(sender: object, session: Session, actor: object) -> None:
    enqueue_after_commit(session, "monitoring.rebuild_facets")


def _on_vocabulary_changed(sender: object, session: Session) -> None:
    enqueue_after_commit(session, "monitoring.rebuild_facets")


# The posting fields the facets keep copies of.
COPIED = ("published_at", "headcount", "capacity")


@event.listens_for(Session, "after_flush")
def _copy_posting_figures(session: Session, _context: object) -> None:
    """Whatever wrote a posting's publication time or numbers through the ORM (a service,
    a script, a test), its facets' copies follow in the same transaction."""
    for posting in session.dirty:
        if not isinstance(posting, Posting) or posting.kind not in COUNTED_KINDS:
            continue
        state = inspect(posting)
        if any(state.attrs[name].history.has_changes() for name in COPIED):
            session.connection().execute(
                update(PostingFacet).where(PostingFacet.posting_id == posting.id)
                .values(published_at=posting.published_at, people=people(posting)))
            session.connection().execute(
                update(PostingTerm).where(PostingTerm.posting_id == posting.id)
                .values(published_at=posting.published_at))


def init_app() -> None:
    """Keep facets in step: one posting in its own transaction; an import, or a change of
    the vocabulary, by a rebuild after it."""
    posting_changed.connect(_on_posting_changed)
    postings_imported.connect(_on_postings_imported)
    vocabulary_changed.connect(_on_vocabulary_changed)
