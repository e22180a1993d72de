"""Pure scoring of demand against supply postings, with explanations.

Two sparse vectors per posting: canonical concepts from the taxonomy (skills and majors,
weighted by the field they appear in and by rarity) and content words (TF-IDF over jieba
words). Their products give every compatible pair a first score at once; the best
candidates per demand are then re-ranked with rapidfuzz on normalised titles and majors,
required-skill coverage and structured factors. No Python loop runs over all pairs.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from portal.matching.normalise import Segmenter, Taxonomy, normalise, strip_boilerplate

COMPATIBLE = {
    "talent_demand": ("curriculum",),
    "training_order": ("curriculum",),
    "research_topic": ("mentor_offer", "curriculum"),
}

# How much a concept or word counts by the field it is found in.
FIELD_WEIGHTS = {"skills": 3.0, "title": 2.5, "major": 2.0, "courses": 2.0, "description": 1.0}
# A programme's or demand's major also stands for the skills that major teaches, and a
# specific skill also counts a little towards the wider one it belongs to.
MAJOR_EXPANSION_WEIGHT = 0.6
BROADER_EXPANSION_WEIGHT = 0.5

# Weights of the score components (they sum to 1).
W_CONCEPTS = 0.35
W_WORDS = 0.30
W_COVERAGE = 0.20
W_TITLE = 0.10
W_STRUCTURE = 0.05
# Cosines of long texts crowd near zero; the square root spreads them over 0–1 so the
# word evidence weighs as intended beside the concept evidence.
SIMILARITY_EXPONENT = 0.5

CANDIDATES_PER_DEMAND = 200
# Demands scored together: a block's similarity rows take BLOCK × supplies × 4 bytes.
BLOCK = 512


@dataclass
class Doc:
    """One posting as plain values (no ORM): what scoring needs."""

    ref: str
    kind: str
    title: str = ""
    description: str = ""
    skills: Sequence[str] = ()
    courses: Sequence[str] = ()
    major: str = ""
    district: str = ""
    education_rank: int | None = None
    headcount: int | None = None
    capacity: int | None = None


@dataclass
class Analysed:
    doc: Doc
    concepts: dict[str, float]  # concept → field weight (before idf)
    aliases: dict[str, str]  # concept → the words it was found as
    required: set[str]  # concepts named in skills, title or major (what a demand asks for)
    words: dict[str, float]  # word → weighted count
    title_text: str  # normalised title and major, space-separated words


@dataclass
class Match:
    supply: str
    score: float  # 0–100
    components: dict[str, float]  # each component's contribution, 0–100 in total
    matched: list[tuple[str, str, str]] = field(default_factory=list)  # concept, demand, supply
    missing: list[tuple[str, str]] = field(default_factory=list)  # concept, as the demand said


def analyse(doc: Doc, taxonomy: Taxonomy, segmenter: Segmenter) -> Analysed:
    concepts: dict[str, float] = {}
    aliases: dict[str, str] = {}
    required: set[str] = set()
    words: dict[str, float] = {}
    title_words: list[str] = []
    fields = {
        "title": doc.title, "major": doc.major, "skills": " ; ".join(doc.skills),
        "courses": " ; ".join(doc.courses), "description": strip_boilerplate(doc.description),
    }
    for name, raw in fields.items():
        text = normalise(raw)
        if not text:
            continue
        weight = FIELD_WEIGHTS[name]
        for concept, alias in taxonomy.find(text).items():
            concepts[concept] = max(concepts.get(concept, 0.0), weight)
            aliases.setdefault(concept, alias)
            if name in ("skills", "title", "major"):
                required.add(concept)
        tokens = segmenter.tokens(text)
        if name in ("title", "major"):
            title_words.extend(tokens)
        for word in tokens:
            words[word] = words.get(word, 0.0) + weight
    _expand(concepts, aliases, taxonomy, "teaches", MAJOR_EXPANSION_WEIGHT)
    _expand(concepts, aliases, taxonomy, "broader", BROADER_EXPANSION_WEIGHT)
    required = {c for c in required if not taxonomy.concepts[c].is_major}
    return Analysed(doc, concepts, aliases, required, words, " ".join(title_words))


# Batches larger than this are analysed in parallel processes (one per core).
PARALLEL_ANALYSIS_MIN = 4000
_worker_tools: tuple[Taxonomy, Segmenter] | None = None


def _analyse_chunk(docs: list[Doc]) -> list[Analysed]:
    assert _worker_tools is not None
    return [analyse(doc, *_worker_tools) for doc in docs]


def analyse_many(docs: Sequence[Doc], taxonomy: Taxonomy, segmenter: Segmenter) -> list[Analysed]:
    """analyse() for many postings; large batches use every core (forked workers inherit
    the loaded taxonomy and segmenter, so nothing is loaded twice)."""
    import multiprocessing
    import os

    workers = os.cpu_count() or 1
    if len(docs) < PARALLEL_ANALYSIS_MIN or workers < 2 or \
            "fork" not in multiprocessing.get_all_start_methods():
        return [analyse(doc, taxonomy, segmenter) for doc in docs]
    global _worker_tools
    _worker_tools = (taxonomy, segmenter)
    size = -(-len(docs) // (workers * 4))
    chunks = [list(docs[i:i + size]) for i in range(0, len(docs), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [item for chunk in pool.map(_analyse_chunk, chunks) for item in chunk]


def _expand(concepts: dict[str, float], aliases: dict[str, str], taxonomy: Taxonomy,
            relation: str, factor: float) -> None:
    """Add the concepts related to each found one, at a reduced weight; the explanation
    names the words that brought them in."""
    for concept in list(concepts):
        for related in getattr(taxonomy.concepts[concept], relation):
            expanded = concepts[concept] * factor
            if concepts.get(related, 0.0) < expanded:
                concepts[related] = expanded
                aliases.setdefault(related, aliases[concept])


def _matrix(rows: list[dict[str, float]], vocabulary: dict[str, int],
            idf: np.ndarray) -> sparse.csr_matrix:
    """Rows of idf-weighted, log-scaled, L2-normalised sparse vectors."""
    data, indices, indptr = [], [], [0]
    for row in rows:
        for key, value in row.items():
            column = vocabulary.get(key)
            if column is not None:
                indices.append(column)
                data.append((1.0 + math.log(value)) * idf[column] if value >= 1
                            else value * idf[column])
        indptr.append(len(indices))
    matrix = sparse.csr_matrix((np.array(data, dtype=np.float32), indices, indptr),
                               shape=(len(rows), len(vocabulary)))
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


def _idf(rows: list[dict[str, float]]) -> tuple[dict[str, int], np.ndarray]:
    counts: dict[str, int] = {}
    for row in rows:
        for key in row:
            counts[key] = counts.get(key, 0) + 1
    vocabulary = {key: i for i, key in enumerate(counts)}
    n = len(rows)
    idf = np.array([math.log((1 + n) / (1 + counts[key])) + 1.0 for key in vocabulary],
                   dtype=np.float32)
    return vocabulary, idf


@dataclass
class _SupplyFacts:
    """Supply attributes as arrays, for structural factors over many candidates at once."""

    district: np.ndarray  # object array of strings ("" when unknown)
    education: np.ndarray  # float, nan when unknown
    capacity: np.ndarray  # float, nan when unknown

    @classmethod
    def of(cls, docs: Sequence[Doc]) -> _SupplyFacts:
        def number(value: int | None) -> float:
            return float(value) if value is not None else np.nan

        return cls(np.array([d.district or "" for d in docs], dtype=object),
                   np.array([number(d.education_rank) for d in docs]),
                   np.array([number(d.capacity or None) for d in docs]))


def _structure(demand: Doc, facts: _SupplyFacts, chosen: np.ndarray) -> np.ndarray:
    """0–1 per candidate: the same district, the right education level, enough capacity.
    Factors either side leaves blank do not count; with none known the factor is 0.5."""
    total = np.zeros(len(chosen))
    parts = np.zeros(len(chosen))
    if demand.district:
        known = facts.district[chosen] != ""
        total += known & (facts.district[chosen] == demand.district)
        parts += known
    if demand.education_rank is not None:
        rank_ = facts.education[chosen]
        known = ~np.isnan(rank_)
        total += np.where(known, np.where(rank_ >= demand.education_rank, 1.0, 0.3), 0.0)
        parts += known
    if demand.headcount:
        capacity = facts.capacity[chosen]
        known = ~np.isnan(capacity)
        total += np.where(known, np.minimum(1.0, np.nan_to_num(capacity) / demand.headcount),
                          0.0)
        parts += known
    return np.where(parts > 0, total / np.maximum(parts, 1), 0.5)


def _binary(rows: list[set[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    indptr, indices = [0], []
    for row in rows:
        indices.extend(vocabulary[key] for key in row if key in vocabulary)
        indptr.append(len(indices))
    return sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                             shape=(len(rows), len(vocabulary)))


class SupplyIndex:
    """The supply side analysed once: vectors, concept presence and facts, ready to rank
    any number of demands (all of them, or one just published)."""

    def __init__(self, supplies: Sequence[Doc | Analysed], taxonomy: Taxonomy,
                 segmenter: Segmenter, corpus: Sequence[Analysed] = ()) -> None:
        self.taxonomy, self.segmenter = taxonomy, segmenter
        fresh = iter(analyse_many([s for s in supplies if not isinstance(s, Analysed)],
                                  taxonomy, segmenter))
        self.supplies = [s if isinstance(s, Analysed) else next(fresh) for s in supplies]
        # Rarity is judged over the supply and any demands given with it.
        everyone = [*corpus, *self.supplies]
        self.concept_vocab, self.concept_idf = _idf([a.concepts for a in everyone])
        self.word_vocab, self.word_idf = _idf([a.words for a in everyone])
        self.concepts_t = _matrix([a.concepts for a in self.supplies], self.concept_vocab,
                                  self.concept_idf).T.tocsr()
        self.words_t = _matrix([a.words for a in self.supplies], self.word_vocab,
                               self.word_idf).T.tocsr()
        self.present_t = _binary([set(a.concepts) for a in self.supplies],
                                 self.concept_vocab).T.tocsr()
        self.kinds = np.array([a.doc.kind for a in self.supplies], dtype=object)
        self.facts = _SupplyFacts.of([a.doc for a in self.supplies])
        self.titles = [a.title_text for a in self.supplies]
        # Position of each supply in ref order: ties are broken by ref, deterministically.
        self.ref_order = np.argsort(np.argsort(np.array([a.doc.ref for a in self.supplies])))

    @staticmethod
    def _candidates(first: np.ndarray, mask: np.ndarray, candidates: int) -> np.ndarray:
        """The compatible supplies with the best first-pass scores."""
        allowed = int(mask.sum())
        if not allowed:
            return np.zeros(0, dtype=np.int64)
        row = np.where(mask, first, -1.0)
        keep = min(candidates, allowed)
        chosen = np.argpartition(-row, keep - 1)[:keep]
        return chosen[mask[chosen]]

    def _best(self, demand: Analysed, chosen: np.ndarray, top: int,
              parts: dict[str, np.ndarray]) -> list[Match]:
        """The top candidates by total score (ties by ref), explained."""
        total = np.round(sum(parts.values()), 6)
        order = np.lexsort((self.ref_order[chosen], -total))[:top]
        return [_explain(demand, self.supplies[chosen[k]],
                         {name: float(values[k]) for name, values in parts.items()})
                for k in order]

    def rank(self, demands: Sequence[Doc | Analysed], top: int = 10,
             candidates: int = CANDIDATES_PER_DEMAND) -> dict[str, list[Match]]:
        """Demands in blocks: two sparse products score a block against every supply, the
        best `candidates` per demand are re-ranked (title fuzz, coverage, structure) with
        array operations, and only the final top are explained."""
        analysed = [d if isinstance(d, Analysed) else analyse(d, self.taxonomy, self.segmenter)
                    for d in demands]
        results: dict[str, list[Match]] = {a.doc.ref: [] for a in analysed}
        if not analysed or not self.supplies:
            return results
        concept_d = _matrix([a.concepts for a in analysed], self.concept_vocab,
                            self.concept_idf)
        word_d = _matrix([a.words for a in analysed], self.word_vocab, self.word_idf)
        required_d = _binary([a.required for a in analysed], self.concept_vocab)
        required_counts = np.asarray(required_d.sum(axis=1)).ravel()
        masks = {kind: np.isin(self.kinds, COMPATIBLE.get(kind, ()))
                 for kind in {a.doc.kind for a in analysed}}
        for start in range(0, len(analysed), BLOCK):
            stop = min(start + BLOCK, len(analysed))
            concept_sim = np.power((concept_d[start:stop] @ self.concepts_t).toarray(),
                                   SIMILARITY_EXPONENT)
            word_sim = np.power((word_d[start:stop] @ self.words_t).toarray(),
                                SIMILARITY_EXPONENT)
            covered = (required_d[start:stop] @ self.present_t).toarray()
            first = W_CONCEPTS * concept_sim + W_WORDS * word_sim
            block = analysed[start:stop]
            chosen_rows = [self._candidates(first[offset], masks[demand.doc.kind], candidates)
                           for offset, demand in enumerate(block)]
            # Every (demand, candidate) title pair of the block in one parallel call.
            left = [demand.title_text for demand, chosen in zip(block, chosen_rows, strict=True)
                    for _ in chosen]
            right = [self.titles[j] for chosen in chosen_rows for j in chosen]
            titles = process.cpdist(left, right, scorer=fuzz.token_set_ratio,
                                    workers=-1) / 100.0 if left else np.zeros(0)
            position = 0
            for offset, (demand, chosen) in enumerate(zip(block, chosen_rows, strict=True)):
                title = titles[position:position + len(chosen)]
                position += len(chosen)
                if len(chosen):
                    required = required_counts[start + offset]
                    coverage = (covered[offset, chosen] / required if required
                                else concept_sim[offset, chosen])
                    results[demand.doc.ref] = self._best(demand, chosen, top, {
                        "concepts": 100 * W_CONCEPTS * concept_sim[offset, chosen],
                        "words": 100 * W_WORDS * word_sim[offset, chosen],
                        "coverage": 100 * W_COVERAGE * coverage,
                        "title": 100 * W_TITLE * title,
                        "structure": 100 * W_STRUCTURE * _structure(demand.doc, self.facts,
                                                                    chosen),
                    })
        return results


def rank(demands: Sequence[Doc], supplies: Sequence[Doc], taxonomy: Taxonomy,
         segmenter: Segmenter, top: int = 10,
         candidates: int = CANDIDATES_PER_DEMAND) -> dict[str, list[Match]]:
    """The best `top` compatible supplies for every demand, best first, explained."""
    analysed = analyse_many(demands, taxonomy, segmenter)
    index = SupplyIndex(supplies, taxonomy, segmenter, corpus=analysed)
    return index.rank(analysed, top=top, candidates=candidates)


def _explain(demand: Analysed, supply: Analysed, components: dict[str, float]) -> Match:
    shared = sorted(set(demand.concepts) & set(supply.concepts),
                    key=lambda c: (-(demand.concepts[c] * supply.concepts[c]), c))
    matched, seen = [], set()
    for concept in shared:
        words = (demand.aliases.get(concept, ""), supply.aliases.get(concept, ""))
        if concept in demand.aliases and words not in seen:  # one line per pair of words
            seen.add(words)
            matched.append((concept, *words))
    missing = sorted((c, demand.aliases.get(c, c)) for c in demand.required
                     if c not in supply.concepts)
    return Match(supply=supply.doc.ref, score=round(sum(components.values()), 2),
                 components={name: round(value, 2) for name, value in components.items()},
                 matched=matched, missing=missing)
