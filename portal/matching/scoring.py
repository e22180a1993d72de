"""Pure scoring of demand against supply postings, with explanations.

A hybrid ranker in which every component can only add evidence to the lexical base:
- lexical: BM25 over all the text (jieba search-mode words, Chinese character bigrams and
  whole Latin tokens, weighted by the field they are in), so a word the taxonomy lacks
  (PVsyst, 心电, 热失控) still counts as plain overlap;
- concepts: canonical skills and majors from the taxonomy (synonyms, abbreviations);
- majors: the majors a post names, read from its words (requirements.py), against the
  programme's place in the official catalogues: the same major, 专业类 or 门类/大类;
- degree: the programme's level within the degree floor and ceiling the post states;
- coverage, title, structure: required skills covered, title likeness, place and size.
Three sparse products (lexical, concepts, majors) give every compatible pair a first score
at once; the best candidates per demand are then scored in full with array operations.
No Python loop runs over all pairs. The weights are data (data/weights.json), fitted by
bench/fit_weights.py.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from portal.matching.catalogue import Catalogue, Major, Reference, shipped_catalogue
from portal.matching.normalise import (
    Segmenter,
    Taxonomy,
    normalise,
    simplified,
    strip_boilerplate,
)
from portal.matching.requirements import Requirements, extract
from portal.matching.weights import current_weights

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

# The score components, in the order they are reported; their weights sum to 1.
COMPONENTS = ("lexical", "concepts", "majors", "degree", "coverage", "title", "structure")

# BM25: term frequency saturation and length normalisation (the usual values), and the
# document frequency above which a term is no evidence of anything (sklearn's max_df).
BM25_K1 = 1.2
BM25_B = 0.75
MAX_DF = 0.5
# ...once the corpus is big enough for document frequency to say so: in a handful of
# postings, any word a demand shares with a programme is in half of them.
MAX_DF_MIN_COUNT = 20
# A demand's lexical query keeps its strongest terms only: bounded work per demand.
QUERY_TERMS = 200

# Education rank of a programme by its catalogue, when its posting does not say.
CATALOGUE_LEVEL = {"本科": 2, "高职": 1, "中职": 0}


def _spread(cosines: sparse.csr_matrix) -> np.ndarray:
    """Cosines of long texts crowd near zero; their square root spreads them over 0–1 so
    the lexical evidence weighs as intended beside the concept evidence."""
    dense = cosines.toarray()
    return np.sqrt(dense, out=dense)

CANDIDATES_PER_DEMAND = 200
# Demands scored together: as many as make this many similarity cells (4 bytes each, a few
# arrays of them per block), so few supplies (one new posting) mean few, large blocks.
BLOCK_CELLS = 10_000_000


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
    aliases: dict[str, str]  # concept → the poster's own words it was found in
    required: set[str]  # concepts named in skills, title or major (what a demand asks for)
    lexical: dict[str, float]  # lexical term → count weighted by field
    title_text: str  # normalised title and major, space-separated words
    requirements: Requirements = field(default_factory=Requirements)  # demands
    programme: Major | None = None  # supplies: the catalogue major they teach
    # Catalogue columns: a demand's weighted asks, a supply's own (see catalogue.py).
    majors: dict[str, float] = field(default_factory=dict)
    # Degree range asked (demands) or the level taught (supplies: low = high).
    degree_low: int | None = None
    degree_high: int | None = None
    # Required concepts from the skills field → which skill phrase they came from: a
    # phrase one of whose concepts the other side has is not reported as missing.
    phrase_of: dict[str, int] = field(default_factory=dict)
    # Its sparse rows (column numbers and values), built once per process: see _Columns.
    rows: dict[str, tuple[np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False, compare=False)


@dataclass
class Match:
    demand: str
    supply: str
    score: float  # 0–100
    components: dict[str, float]  # each component's contribution, 0–100 in total
    matched: list[tuple[str, str, str]] = field(default_factory=list)  # concept, demand, supply
    missing: list[tuple[str, str]] = field(default_factory=list)  # concept, as the demand said
    # What the post asks for against what the programme is, as plain facts for sentences:
    # ["major", "met" | "related" | "missed", words the post used, the programme's major]
    # and ["degree", "met" | "missed", the floor asked, the level taught].
    fit: list[list] = field(default_factory=list)


def analyse(doc: Doc, taxonomy: Taxonomy, segmenter: Segmenter,
            catalogue: Catalogue | None = None) -> Analysed:
    catalogue = catalogue or shipped_catalogue()
    concepts: dict[str, float] = {}
    aliases: dict[str, str] = {}
    required: set[str] = set()
    lexical: dict[str, float] = {}
    title_words: list[str] = []
    fields = {
        "title": doc.title, "major": doc.major, "skills": " ; ".join(doc.skills),
        "courses": " ; ".join(doc.courses), "description": strip_boilerplate(doc.description),
    }
    phrase_of: dict[str, int] = {}
    for name, raw in fields.items():
        text = normalise(raw)
        if not text:
            continue
        weight = FIELD_WEIGHTS[name]
        # List fields item by item: each item is a phrase in the poster's own words.
        phrases = ([(item, normalise(item)) for item in getattr(doc, name)]
                   if name in ("skills", "courses") else [(raw, text)])
        for index, (phrase, phrase_text) in enumerate(phrases):
            for concept, alias in taxonomy.find(phrase_text).items():
                concepts[concept] = max(concepts.get(concept, 0.0), weight)
                if concept not in aliases:
                    aliases[concept] = _own_words(phrase, alias, whole=name in (
                        "skills", "courses"))
                if name in ("skills", "title", "major"):
                    required.add(concept)
                if name == "skills":
                    phrase_of.setdefault(concept, index)
        if name in ("title", "major"):
            title_words.extend(segmenter.tokens(text))
        for term in segmenter.lexical_terms(text):
            lexical[term] = lexical.get(term, 0.0) + weight
    _expand(concepts, aliases, taxonomy, "teaches", MAJOR_EXPANSION_WEIGHT)
    _expand(concepts, aliases, taxonomy, "broader", BROADER_EXPANSION_WEIGHT)
    required = {c for c in required if not taxonomy.concepts[c].is_major}
    result = Analysed(doc, concepts, aliases, required, lexical, " ".join(title_words),
                      phrase_of=phrase_of)
    if doc.kind in COMPATIBLE:
        asks = extract(catalogue, title=doc.title, description=doc.description,
                       major=doc.major, skills=tuple(doc.skills),
                       title_is_a_role=doc.kind != "research_topic")
        result.requirements, result.majors = asks, asks.columns(catalogue)
        result.degree_low = asks.degree_floor(doc.education_rank)
        result.degree_high = asks.degree_max
    else:
        result.programme = catalogue.programme(doc.major, doc.title)
        if result.programme is not None:
            result.majors = catalogue.columns_of(result.programme)
        level = doc.education_rank
        if level is None and result.programme is not None:
            level = CATALOGUE_LEVEL[result.programme.level]
        result.degree_low = result.degree_high = level
    return result


# A skill phrase longer than this is shown by the words found in it, not in full.
SHOWN_PHRASE = 30


def _own_words(phrase: str, alias: str, whole: bool) -> str:
    """How the poster wrote what the taxonomy found as `alias`: a list item in full
    (PLC编程, not plc), else the span of the text it was found at (PLC, not plc)."""
    phrase = phrase.strip()
    if whole and len(phrase) <= SHOWN_PHRASE:
        return phrase
    folded = simplified(phrase).lower()
    at = folded.find(alias)
    # Folding keeps positions unless it changed the length (rare compatibility forms).
    if at < 0 or len(folded) != len(phrase):
        return alias
    return phrase[at:at + len(alias)]


# Batches larger than this are analysed in parallel processes (one per core).
PARALLEL_ANALYSIS_MIN = 1000
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


class _Columns:
    """Column numbers for keys (concepts or words), shared by every matrix this process
    builds and only ever growing, so each posting's sparse row is made once and reused by
    every later ranking."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._numbers)

    def of(self, keys: list[str]) -> np.ndarray:
        numbers = self._numbers
        if any(key not in numbers for key in keys):
            with self._lock:
                for key in keys:
                    numbers.setdefault(key, len(numbers))
        return np.fromiter((numbers[key] for key in keys), dtype=np.int64, count=len(keys))


_COLUMNS = {"concepts": _Columns(), "lexical": _Columns(), "majors": _Columns()}
# The column numbering each kind of row uses.
_NUMBERING = {"concepts": "concepts", "required": "concepts", "lexical": "lexical",
              "majors": "majors"}
_DISTRICTS = _Columns()  # districts as numbers, the same on both sides of any pair


def _row(analysed: Analysed, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The posting's concepts, required concepts, lexical terms or catalogue columns as
    column numbers and values."""
    row = analysed.rows.get(name)
    if row is None:
        values = {"concepts": analysed.concepts, "lexical": analysed.lexical,
                  "majors": analysed.majors,
                  "required": dict.fromkeys(analysed.required, 1.0)}[name]
        keys = list(values)
        columns = _COLUMNS[_NUMBERING[name]].of(keys)
        row = (columns, np.fromiter(values.values(), dtype=np.float32, count=len(keys)))
        analysed.rows[name] = row
    return row


@dataclass
class _Side:
    """One side's postings as arrays, made once per distinct list of postings: ranking one
    new posting against 20,000 reuses the 20,000's arrays from the previous ranking."""

    postings: list[Analysed]  # held, so the ids in the cache key stay theirs
    stacked: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]  # rows, columns, values
    counts: dict[str, np.ndarray]  # per column: how many of the postings use it
    ref_order: np.ndarray  # each posting's position in ref order (ties break by ref)
    kinds: np.ndarray
    titles: list[str]
    facts: dict[str, _Facts] = field(default_factory=dict)

    def facts_for(self, size: str) -> _Facts:
        if size not in self.facts:
            self.facts[size] = _Facts.of(self.postings, size)
        return self.facts[size]


_SIDES: OrderedDict[tuple[int, ...], _Side] = OrderedDict()
_SIDES_KEPT = 4
_sides_lock = threading.Lock()


def _side(postings: Sequence[Analysed]) -> _Side:
    key = tuple(map(id, postings))
    with _sides_lock:
        side = _SIDES.get(key)
        if side is not None:
            _SIDES.move_to_end(key)
            return side
    postings = list(postings)
    stacked = {name: _stack(postings, name) for name in _NUMBERING}
    counts = {name: np.bincount(stacked[name][1], minlength=len(_COLUMNS[name]))
              for name in ("concepts", "lexical")}
    side = _Side(postings, stacked, counts, _ref_order(postings),
                 np.array([a.doc.kind for a in postings], dtype=object),
                 [a.title_text for a in postings])
    with _sides_lock:
        _SIDES[key] = side
        while len(_SIDES) > _SIDES_KEPT:
            _SIDES.popitem(last=False)
    return side


def _stack(postings: Sequence[Analysed],
           name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row numbers, columns and values of many postings' rows, end to end."""
    rows = [_row(a, name) for a in postings]
    if not rows:
        return (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
                np.zeros(0, dtype=np.float32))
    return (np.repeat(np.arange(len(rows)), [len(r[0]) for r in rows]),
            np.concatenate([r[0] for r in rows]), np.concatenate([r[1] for r in rows]))


def _document_frequency(sides: Sequence[_Side], name: str) -> tuple[np.ndarray, int]:
    """Per column: how many of these postings use it; and how many postings there are."""
    counts = np.zeros(len(_COLUMNS[name]), dtype=np.int64)
    for side in sides:
        counts[:len(side.counts[name])] += side.counts[name]
    return counts, sum(len(side.postings) for side in sides)


def _idf(sides: Sequence[_Side], name: str) -> np.ndarray:
    """Rarity weight per column over these postings; 0 for columns none of them uses (a
    word only the ranked posting has cannot match, and must not weigh in its norm)."""
    counts, n = _document_frequency(sides, name)
    idf = np.log((1 + n) / (1 + counts)) + 1.0
    return np.where(counts > 0, idf, 0.0).astype(np.float32)


def _bm25_idf(sides: Sequence[_Side]) -> np.ndarray:
    """BM25's rarity weight per lexical column (Lucene's form, never negative); 0 for a
    term in more than MAX_DF of the postings (and MAX_DF_MIN_COUNT), or in none."""
    counts, n = _document_frequency(sides, "lexical")
    idf = np.log1p((n - counts + 0.5) / (counts + 0.5))
    common = counts > max(MAX_DF * n, MAX_DF_MIN_COUNT)
    return np.where((counts > 0) & ~common, idf, 0.0).astype(np.float32)


def _normalised(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """The rows scaled to unit length (empty rows stay empty)."""
    matrix.eliminate_zeros()
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


def _bm25_documents(side: _Side, idf: np.ndarray) -> sparse.csr_matrix:
    """The supplies' lexical rows: BM25 term weights (saturated, length-normalised),
    L2-normalised so a pair's product is a cosine in 0–1."""
    row_ids, columns, values = _known(side, "lexical", len(idf))
    lengths = np.bincount(row_ids, weights=values, minlength=len(side.postings))
    average = lengths.mean() if len(lengths) and lengths.mean() > 0 else 1.0
    saturated = values * (BM25_K1 + 1) / (
        values + BM25_K1 * (1 - BM25_B + BM25_B * lengths[row_ids] / average))
    return _normalised(sparse.csr_matrix(
        (saturated * idf[columns], (row_ids, columns)),
        shape=(len(side.postings), len(idf)), dtype=np.float32))


def _bm25_queries(side: _Side, idf: np.ndarray) -> sparse.csr_matrix:
    """The demands' lexical rows: idf × log-scaled counts, each row cut to its
    QUERY_TERMS strongest terms (bounded work per demand), L2-normalised."""
    row_ids, columns, values = _known(side, "lexical", len(idf))
    weights = (1.0 + np.log(np.maximum(values, 1.0))) * idf[columns]
    keep = weights > 0
    row_ids, columns, weights = row_ids[keep], columns[keep], weights[keep]
    # Only the entries of rows longer than the limit are sorted (most rows are shorter).
    long_rows = np.bincount(row_ids, minlength=len(side.postings)) > QUERY_TERMS
    keep = ~long_rows[row_ids]
    if not keep.all():
        cut = np.flatnonzero(~keep)
        order = cut[np.lexsort((-weights[cut], row_ids[cut]))]
        keep[order[_places(row_ids[order]) < QUERY_TERMS]] = True
    return _normalised(sparse.csr_matrix(
        (weights[keep], (row_ids[keep], columns[keep])),
        shape=(len(side.postings), len(idf)), dtype=np.float32))


def _weighted(side: _Side, name: str, size: int) -> sparse.csr_matrix:
    """The rows' own values, unscaled (a demand's catalogue asks)."""
    row_ids, columns, values = _known(side, name, size)
    return sparse.csr_matrix((values, (row_ids, columns)), shape=(len(side.postings), size),
                             dtype=np.float32)


def _known(side: _Side, name: str, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    row_ids, columns, values = side.stacked[name]
    known = columns < size  # columns numbered after the idf was made are unused by it
    return row_ids[known], columns[known], values[known]


def _matrix(side: _Side, name: str, idf: np.ndarray) -> sparse.csr_matrix:
    """Rows of idf-weighted, log-scaled, L2-normalised sparse vectors."""
    row_ids, columns, values = _known(side, name, len(idf))
    # Repeats count logarithmically; expanded concepts (weight below 1) as they are.
    weights = np.where(values >= 1, 1.0 + np.log(np.maximum(values, 1.0)), values)
    return _normalised(sparse.csr_matrix((weights * idf[columns], (row_ids, columns)),
                                         shape=(len(side.postings), len(idf)),
                                         dtype=np.float32))


def _binary(side: _Side, name: str, size: int) -> sparse.csr_matrix:
    """1 where a posting has the concept (name "concepts") or requires it ("required")."""
    row_ids, columns, _values = _known(side, name, size)
    return sparse.csr_matrix((np.ones(len(columns), dtype=np.float32), (row_ids, columns)),
                             shape=(len(side.postings), size))


@dataclass
class _Facts:
    """Structured attributes of one side as arrays, for many pairs at once. `size` is a
    demand's headcount or a supply's capacity; districts are codes shared by both sides."""

    district: np.ndarray  # int, -1 when unknown
    degree_low: np.ndarray  # float, nan when unknown: the floor asked, or the level taught
    degree_high: np.ndarray  # float, nan when no ceiling (or unknown)
    size: np.ndarray  # float, nan when unknown or zero

    @classmethod
    def of(cls, postings: Sequence[Analysed], size: str) -> _Facts:
        def number(value: int | None) -> float:
            return float(value) if value else np.nan

        def rank(value: int | None) -> float:
            return np.nan if value is None else float(value)

        docs = [a.doc for a in postings]
        named = [d.district for d in docs if d.district]
        codes = iter(_DISTRICTS.of(named).tolist())
        return cls(np.array([next(codes) if d.district else -1 for d in docs], dtype=np.int32),
                   np.array([rank(a.degree_low) for a in postings]),
                   np.array([rank(a.degree_high) for a in postings]),
                   np.array([number(getattr(d, size)) for d in docs]))


def _degree(demands: _Facts, supplies: _Facts, d: np.ndarray, s: np.ndarray) -> np.ndarray:
    """1 per pair where the programme's level is known and within the range the post
    asks for; 0 where it is outside, or either side does not say (no evidence)."""
    floor, ceiling = demands.degree_low[d], demands.degree_high[d]
    level = supplies.degree_low[s]
    known = ~np.isnan(floor) & ~np.isnan(level)
    within = (level >= np.nan_to_num(floor)) & (np.isnan(ceiling) | (level <= np.nan_to_num(
        ceiling, nan=99.0)))
    return (known & within).astype(np.float64)


def _structure(demands: _Facts, supplies: _Facts, d: np.ndarray, s: np.ndarray) -> np.ndarray:
    """0–1 per pair: the same district, enough capacity. Factors either side leaves blank
    do not count; with none known the factor is 0.5."""
    total = np.zeros(len(d))
    parts = np.zeros(len(d))
    wanted, offered = demands.district[d], supplies.district[s]
    known = (wanted >= 0) & (offered >= 0)
    total += known & (wanted == offered)
    parts += known
    wanted, offered = demands.size[d], supplies.size[s]
    known = ~np.isnan(wanted) & ~np.isnan(offered)
    total += np.where(known, np.minimum(1.0, np.nan_to_num(offered) / np.nan_to_num(wanted,
                                                                                  nan=1.0)), 0.0)
    parts += known
    return np.where(parts > 0, total / np.maximum(parts, 1), 0.5)


def _best_per_group(group: np.ndarray, tiebreak: np.ndarray, total: np.ndarray,
                    top: int) -> np.ndarray:
    """Positions of the `top` best pairs of each group (ties by the other side's ref),
    grouped, best first."""
    if len(group) and group.max() < 1 << 23 and tiebreak.max() < 1 << 20:
        # One int64 key (group, score to 1e-4, tiebreak) sorts ten times faster than a
        # three-key lexsort over millions of pairs.
        score = 1_000_000 - np.round(total * 1e4).astype(np.int64)
        order = np.argsort((group.astype(np.int64) << 40) | (score << 20) | tiebreak)
    else:
        order = np.lexsort((tiebreak, -total, group))
    return order[_places(group[order]) < top]


def _places(grouped: np.ndarray) -> np.ndarray:
    """Each entry's place (0, 1, 2…) within its run of equal values in `grouped`."""
    if not len(grouped):
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    return np.arange(len(grouped)) - np.repeat(starts, np.diff(np.r_[starts, len(grouped)]))


@dataclass
class Ranking:
    """Best matches both ways: supplies for each demand and demands for each supply,
    best first. A pair in both lists is the same Match."""

    by_demand: dict[str, list[Match]]
    by_supply: dict[str, list[Match]]


@dataclass
class _Pairs:
    """Scored candidate pairs as flat arrays: demand and supply positions and each score
    component (0–100 in total)."""

    demand: np.ndarray
    supply: np.ndarray
    parts: dict[str, np.ndarray]

    @property
    def total(self) -> np.ndarray:
        return np.round(sum(self.parts.values()), 6)

    @classmethod
    def join(cls, pieces: list[_Pairs]) -> _Pairs:
        return cls(np.concatenate([p.demand for p in pieces]),
                   np.concatenate([p.supply for p in pieces]),
                   {name: np.concatenate([p.parts[name] for p in pieces])
                    for name in pieces[0].parts})


class SupplyIndex:
    """The supply side analysed once: vectors, concept presence and facts, ready to rank
    any number of demands (all of them, or one just published). `weights` (component →
    weight) default to the fitted ones; an ablation passes its own."""

    def __init__(self, supplies: Sequence[Doc | Analysed], taxonomy: Taxonomy,
                 segmenter: Segmenter, corpus: Sequence[Analysed] = (),
                 weights: dict[str, float] | None = None) -> None:
        self.taxonomy, self.segmenter = taxonomy, segmenter
        self.weights = {name: 0.0 for name in COMPONENTS} | (weights or current_weights())
        fresh = iter(analyse_many([s for s in supplies if not isinstance(s, Analysed)],
                                  taxonomy, segmenter))
        self.supplies = [s if isinstance(s, Analysed) else next(fresh) for s in supplies]
        side = _side(self.supplies)
        # Rarity is judged over the supply and any demands given with it.
        sides = [_side(corpus), side] if corpus else [side]
        self.concept_idf = _idf(sides, "concepts")
        self.lexical_idf = _bm25_idf(sides)
        self.majors_size = len(_COLUMNS["majors"])
        self.concepts_t = _matrix(side, "concepts", self.concept_idf).T.tocsr()
        self.lexical_t = _bm25_documents(side, self.lexical_idf).T.tocsr()
        self.majors_t = _binary(side, "majors", self.majors_size).T.tocsr()
        self.present = _binary(side, "concepts", len(self.concept_idf))
        self.kinds, self.titles, self.ref_order = side.kinds, side.titles, side.ref_order
        self.facts = side.facts_for("capacity")

    def rank(self, demands: Sequence[Doc | Analysed], top: int = 10,
             candidates: int = CANDIDATES_PER_DEMAND) -> dict[str, list[Match]]:
        """The best `top` supplies for each demand."""
        return self.rank_both(demands, top, candidates).by_demand

    def rank_both(self, demands: Sequence[Doc | Analysed], top: int = 10,
                  candidates: int = CANDIDATES_PER_DEMAND, *, demand_lists: bool = True,
                  supply_lists: bool = True) -> Ranking:
        """Demands in blocks: three sparse products score a block against every supply,
        the best `candidates` per demand are scored in full (degree, title fuzz, coverage,
        structure) with array operations. The same scored pairs give each supply its best
        demands; only the pairs that make a top list are explained. A side whose lists are
        not wanted (one new posting needs only its own) is left empty."""
        analysed = [d if isinstance(d, Analysed) else analyse(d, self.taxonomy, self.segmenter)
                    for d in demands]
        # Only the wanted side's lists: 20,000 empty ones cost more than ranking one posting.
        ranking = Ranking({a.doc.ref: [] for a in analysed} if demand_lists else {},
                          {a.doc.ref: [] for a in self.supplies} if supply_lists else {})
        if not analysed or not self.supplies:
            return ranking
        pairs = self._score_candidates(analysed, candidates)
        if not len(pairs.demand):
            return ranking
        total = pairs.total
        none = np.zeros(0, dtype=np.int64)
        for_demands = (_best_per_group(pairs.demand, self.ref_order[pairs.supply], total, top)
                       if demand_lists else none)
        for_supplies = (_best_per_group(pairs.supply, _side(analysed).ref_order[pairs.demand],
                                        total, top) if supply_lists else none)
        # Only the pairs that make a list are explained, each once.
        shown = np.unique(np.concatenate([for_demands, for_supplies]))
        names = list(pairs.parts)
        components = zip(*[np.round(pairs.parts[name][shown], 2).tolist() for name in names],
                         strict=True)
        explained = {
            position: _explain(analysed[d], self.supplies[s], score,
                               dict(zip(names, parts, strict=True)))
            for position, d, s, score, parts in zip(
                shown.tolist(), pairs.demand[shown].tolist(), pairs.supply[shown].tolist(),
                np.round(total[shown], 2).tolist(), components, strict=True)}
        for position in for_demands.tolist():
            ranking.by_demand[analysed[pairs.demand[position]].doc.ref].append(
                explained[position])
        for position in for_supplies.tolist():
            ranking.by_supply[self.supplies[pairs.supply[position]].doc.ref].append(
                explained[position])
        return ranking

    def _score_candidates(self, analysed: list[Analysed], candidates: int) -> _Pairs:
        side = _side(analysed)
        weights = self.weights
        concept_d = _matrix(side, "concepts", self.concept_idf)
        lexical_d = _bm25_queries(side, self.lexical_idf)
        majors_d = _weighted(side, "majors", self.majors_size)
        required_d = _binary(side, "required", len(self.concept_idf))
        required_counts = np.asarray(required_d.sum(axis=1)).ravel()
        demand_facts = side.facts_for("headcount")
        # Demands of one kind are scored against the compatible supplies only.
        by_kind: dict[str, list[int]] = {}
        for position, demand in enumerate(analysed):
            by_kind.setdefault(demand.doc.kind, []).append(position)
        pieces = []
        for kind, members in by_kind.items():
            columns = np.flatnonzero(np.isin(self.kinds, COMPATIBLE.get(kind, ())))
            if not len(columns):
                continue
            concepts_t, lexical_t = self.concepts_t[:, columns], self.lexical_t[:, columns]
            majors_t = self.majors_t[:, columns]
            keep = min(candidates, len(columns))
            rows_per_block = max(64, BLOCK_CELLS // len(columns))
            for start in range(0, len(members), rows_per_block):
                block = np.array(members[start:start + rows_per_block])
                similar = {
                    "concepts": _spread(concept_d[block] @ concepts_t),
                    "lexical": _spread(lexical_d[block] @ lexical_t),
                    # A programme's fit is the sum of its catalogue levels' weights.
                    "majors": np.minimum((majors_d[block] @ majors_t).toarray(), 1.0),
                }
                # The best `keep` supplies of each row by the first-pass score.
                first = similar["lexical"] * weights["lexical"]
                first += similar["concepts"] * weights["concepts"]
                first += similar["majors"] * weights["majors"]
                chosen = (np.argpartition(-first, keep - 1, axis=1)[:, :keep]
                          if keep < len(columns) else np.broadcast_to(
                              np.arange(len(columns)), first.shape))
                rows = np.repeat(np.arange(len(block)), chosen.shape[1])
                chosen = chosen.ravel()
                pieces.append(self._score_pairs(
                    analysed, block[rows], columns[chosen],
                    {name: values[rows, chosen] for name, values in similar.items()},
                    required_d, required_counts, demand_facts))
        if not pieces:
            return _Pairs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), {})
        return _Pairs.join(pieces)

    def _score_pairs(self, analysed: list[Analysed], demand: np.ndarray, supply: np.ndarray,
                     similar: dict[str, np.ndarray], required_d: sparse.csr_matrix,
                     required_counts: np.ndarray, demand_facts: _Facts) -> _Pairs:
        """Every component of the given pairs (0–1 each, times its weight, as points out
        of 100), from their first-pass similarities."""
        covered = np.asarray(required_d[demand].multiply(self.present[supply]).sum(axis=1)
                             ).ravel() if required_d.nnz else np.zeros(len(demand))
        required = required_counts[demand]
        # Every title pair in one parallel call.
        title = process.cpdist([analysed[i].title_text for i in demand.tolist()],
                               [self.titles[j] for j in supply.tolist()],
                               scorer=fuzz.token_set_ratio, workers=-1) / 100.0
        values = {
            **similar,
            "degree": _degree(demand_facts, self.facts, demand, supply),
            "coverage": np.where(required > 0, covered / np.maximum(required, 1),
                                 similar["concepts"]),
            "title": title,
            "structure": _structure(demand_facts, self.facts, demand, supply),
        }
        return _Pairs(demand, supply, {name: 100 * self.weights[name] * values[name]
                                       for name in COMPONENTS})


def _ref_order(postings: Sequence[Analysed]) -> np.ndarray:
    """Each posting's position in ref order."""
    return np.argsort(np.argsort(np.array([a.doc.ref for a in postings])))


def rank(demands: Sequence[Doc], supplies: Sequence[Doc], taxonomy: Taxonomy,
         segmenter: Segmenter, top: int = 10, candidates: int = CANDIDATES_PER_DEMAND,
         weights: dict[str, float] | None = None) -> dict[str, list[Match]]:
    """The best `top` compatible supplies for every demand, best first, explained."""
    return rank_both(demands, supplies, taxonomy, segmenter, top, candidates,
                     weights).by_demand


def rank_both(demands: Sequence[Doc], supplies: Sequence[Doc], taxonomy: Taxonomy,
              segmenter: Segmenter, top: int = 10, candidates: int = CANDIDATES_PER_DEMAND,
              weights: dict[str, float] | None = None) -> Ranking:
    """The best `top` matches of every demand and of every supply."""
    analysed = analyse_many(demands, taxonomy, segmenter)
    index = SupplyIndex(supplies, taxonomy, segmenter, corpus=analysed, weights=weights)
    return index.rank_both(analysed, top=top, candidates=candidates)


def _explain(demand: Analysed, supply: Analysed, score: float,
             components: dict[str, float]) -> Match:
    wanted, offered = demand.concepts, supply.concepts
    said, given = demand.aliases, supply.aliases
    shared = [c for c in wanted if c in offered]
    if len(shared) > 1:
        shared.sort()
        shared.sort(key=lambda c: -wanted[c] * offered[c])  # stable: ties stay by name
    matched, seen = [], set()
    for concept in shared:
        words = (said[concept], given[concept])
        if words not in seen:  # one line per pair of words
            seen.add(words)
            matched.append((concept, *words))
    # A phrase is covered when any concept in it is: "PLC编程" is not missing 编程 when the
    # programme teaches PLC.
    covered = {demand.phrase_of[c] for c in shared if c in demand.phrase_of}
    missing = sorted([(c, said[c]) for c in demand.required
                      if c not in offered and demand.phrase_of.get(c, -1) not in covered])
    return Match(demand=demand.doc.ref, supply=supply.doc.ref, score=score,
                 components=components, matched=matched, missing=missing,
                 fit=_fit(demand, supply))


def _fit(demand: Analysed, supply: Analysed) -> list[list]:
    """The post's stated requirements against the programme, as facts for sentences."""
    facts: list[list] = []
    asks = demand.requirements.required_majors or demand.requirements.majors
    programme = supply.programme
    if asks and programme is not None and not demand.requirements.any_major:
        verdicts = {_verdict(named.reference, named.widened, programme) for named in asks}
        verdict = next(v for v in ("met", "related", "missed") if v in verdicts)
        facts.append(["major", verdict, "、".join(named.words for named in asks[:4]),
                      programme.name])
    floor, level = demand.degree_low, supply.degree_low
    if floor is not None and level is not None:
        high = demand.degree_high
        met = level >= floor and (high is None or level <= high)
        facts.append(["degree", "met" if met else "missed", floor, level])
    return facts


def _verdict(reference: Reference, widened: bool, programme: Major) -> str:
    """Whether a programme is what a named major asks for ("met"), of its 专业类 or
    门类 ("related"), or neither."""
    if reference.kind == "category":
        return "met" if programme.category_key in reference.key.split("|") else "missed"
    field_key = (reference.key if reference.kind == "field"
                 else shipped_catalogue().majors[reference.key].field)
    if reference.kind == "major" and reference.key == programme.name:
        return "met"
    if programme.field == field_key:
        return "met" if widened or reference.kind == "field" else "related"
    if reference.kind == "major" and \
            shipped_catalogue().majors[reference.key].category_key == programme.category_key:
        return "related"
    return "missed"
