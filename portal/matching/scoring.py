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
        for word in segmenter.tokens(text):
            words[word] = words.get(word, 0.0) + weight
    _expand(concepts, aliases, taxonomy, "teaches", MAJOR_EXPANSION_WEIGHT)
    _expand(concepts, aliases, taxonomy, "broader", BROADER_EXPANSION_WEIGHT)
    required = {c for c in required if not taxonomy.concepts[c].is_major}
    title_text = " ".join(segmenter.tokens(normalise(f"{doc.title} {doc.major}")))
    return Analysed(doc, concepts, aliases, required, words, title_text)


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


def _structure(demand: Doc, supply: Doc) -> float:
    """0–1: the same district, the right education level, enough capacity."""
    score, parts = 0.0, 0
    if demand.district and supply.district:
        parts += 1
        score += 1.0 if demand.district == supply.district else 0.0
    if demand.education_rank is not None and supply.education_rank is not None:
        parts += 1
        score += 1.0 if supply.education_rank >= demand.education_rank else 0.3
    if demand.headcount and supply.capacity:
        parts += 1
        score += min(1.0, supply.capacity / demand.headcount)
    return score / parts if parts else 0.5


def rank(demands: Sequence[Doc], supplies: Sequence[Doc], taxonomy: Taxonomy,
         segmenter: Segmenter, top: int = 10,
         candidates: int = CANDIDATES_PER_DEMAND) -> dict[str, list[Match]]:
    """The best `top` compatible supplies for every demand, best first, explained."""
    analysed_d = [analyse(doc, taxonomy, segmenter) for doc in demands]
    analysed_s = [analyse(doc, taxonomy, segmenter) for doc in supplies]
    everyone = analysed_d + analysed_s
    concept_vocab, concept_idf = _idf([a.concepts for a in everyone])
    word_vocab, word_idf = _idf([a.words for a in everyone])
    concept_d = _matrix([a.concepts for a in analysed_d], concept_vocab, concept_idf)
    concept_s = _matrix([a.concepts for a in analysed_s], concept_vocab, concept_idf)
    word_d = _matrix([a.words for a in analysed_d], word_vocab, word_idf)
    word_s = _matrix([a.words for a in analysed_s], word_vocab, word_idf)

    # First pass for every pair at once: two sparse products.
    concept_sim = np.power((concept_d @ concept_s.T).toarray(), SIMILARITY_EXPONENT)
    word_sim = np.power((word_d @ word_s.T).toarray(), SIMILARITY_EXPONENT)
    kinds = np.array([a.doc.kind for a in analysed_s])
    compatible = np.stack([np.isin(kinds, COMPATIBLE.get(a.doc.kind, ())) for a in analysed_d]) \
        if analysed_d else np.zeros((0, len(analysed_s)), dtype=bool)
    first = np.where(compatible, W_CONCEPTS * concept_sim + W_WORDS * word_sim, -1.0)

    results: dict[str, list[Match]] = {}
    for i, demand in enumerate(analysed_d):
        row = first[i]
        allowed = int(compatible[i].sum())
        if not allowed:
            results[demand.doc.ref] = []
            continue
        keep = min(candidates, allowed)
        chosen = np.argpartition(-row, keep - 1)[:keep]
        chosen = chosen[row[chosen] > -1.0]
        titles = process.cdist([demand.title_text], [analysed_s[j].title_text for j in chosen],
                               scorer=fuzz.token_set_ratio, workers=-1)[0] / 100.0
        matches = [_explain(demand, analysed_s[j], concept_sim[i, j], word_sim[i, j],
                            float(title)) for j, title in zip(chosen, titles, strict=True)]
        matches.sort(key=lambda match: (-match.score, match.supply))
        results[demand.doc.ref] = matches[:top]
    return results


def _explain(demand: Analysed, supply: Analysed, concept_sim: float, word_sim: float,
             title_sim: float) -> Match:
    covered = [c for c in demand.required if c in supply.concepts]
    coverage = len(covered) / len(demand.required) if demand.required else concept_sim
    structure = _structure(demand.doc, supply.doc)
    components = {
        "concepts": 100 * W_CONCEPTS * float(concept_sim),
        "words": 100 * W_WORDS * float(word_sim),
        "coverage": 100 * W_COVERAGE * float(coverage),
        "title": 100 * W_TITLE * title_sim,
        "structure": 100 * W_STRUCTURE * structure,
    }
    shared = sorted(set(demand.concepts) & set(supply.concepts),
                    key=lambda c: -(demand.concepts[c] * supply.concepts[c]))
    matched = [(c, demand.aliases.get(c, ""), supply.aliases.get(c, "")) for c in shared
               if c in demand.aliases]
    missing = sorted((c, demand.aliases.get(c, c)) for c in demand.required
                     if c not in supply.concepts)
    return Match(supply=supply.doc.ref, score=round(float(sum(components.values())), 2),
                 components={k: round(float(v), 2) for k, v in components.items()},
                 matched=matched, missing=missing)
