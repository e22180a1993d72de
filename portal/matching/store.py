"""Stored matches: each posting's best pairs, refreshed when it changes, read by pages.

A pair row serves both postings' lists. A posting keeps its own best TOP_STORED pairs;
when it is published or edited it also joins the lists of the postings it fits best, so
their pages show it at once. The full recompute (CLI or background job) rebuilds all.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    Date,
    Float,
    Integer,
    Select,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased, selectinload

from portal.db import utcnow
from portal.matching.models import MatchBlockPair, MatchDismissal, PostingMatch
from portal.matching.scoring import Match, Ranking
from portal.matching.services import (
    MIN_RECOMMENDATION_SCORE,
    match_all,
    match_one,
)
from portal.postings.models import Posting, PostingStatus
from portal.signals import posting_changed

# Kept per posting: more than any page shows, so a posting closed since the last full
# recompute leaves the lists around it full.
TOP_STORED = 20
# A refreshed posting joins at most this many other postings' lists at once (the best
# fits); the full recompute places it everywhere it belongs.
MAX_JOINED_LISTS = 200
INSERT_CHUNK = 2000

Progress = Callable[[str, int], None]  # stage, percent


@dataclass
class Recommendation:
    posting: Posting  # the posting on the other side
    match: Match  # scored as demand → supply, whichever side `posting` is


def _explanation(match: Match) -> dict:
    return {"components": match.components, "matched": match.matched,
            "missing": match.missing, "fit": match.fit}  # tuples are stored as JSON lists


def as_match(row: PostingMatch | MatchBlockPair) -> Match:
    explanation = row.explanation
    return Match(demand=str(row.demand_id), supply=str(row.supply_id), score=row.score,
                 components=explanation.get("components", {}),
                 matched=[tuple(m) for m in explanation.get("matched", [])],
                 missing=[tuple(m) for m in explanation.get("missing", [])],
                 fit=explanation.get("fit", []))


def _insert(session: Session, matches: Iterable[Match]) -> int:
    now = utcnow()
    rows = [{"demand_id": int(m.demand), "supply_id": int(m.supply), "score": m.score,
             "explanation": _explanation(m), "computed_at": now} for m in matches]
    for start in range(0, len(rows), INSERT_CHUNK):
        # Core executemany: the ORM's bulk path costs more than the insert itself here.
        session.execute(insert(PostingMatch.__table__), rows[start:start + INSERT_CHUNK])
    return len(rows)


def _pairs(lists: Iterable[list[Match]]) -> dict[tuple[str, str], Match]:
    return {(m.demand, m.supply): m for matches in lists for m in matches}


def forget_posting(session: Session, posting: Posting) -> None:
    session.execute(delete(PostingMatch).where(or_(
        PostingMatch.demand_id == posting.id, PostingMatch.supply_id == posting.id)))


def refresh_posting(session: Session, posting: Posting) -> int:
    """Score one posting (just created, edited, published or closed) against the live
    postings of the other side and store the result; returns the pairs stored."""
    forget_posting(session, posting)
    status = posting.effective_status(date.today())
    if status not in (PostingStatus.PUBLISHED, PostingStatus.DRAFT):
        return 0
    best = match_one(session, posting, top=MAX_JOINED_LISTS)
    kept = best[:TOP_STORED]  # its own list
    if status is PostingStatus.PUBLISHED:
        # The postings it fits best see it at once (a draft stays out of their lists).
        kept += [m for m in best[TOP_STORED:] if m.score >= MIN_RECOMMENDATION_SCORE]
    return _insert(session, kept)


def _on_posting_changed(posting: Posting, session: Session) -> None:
    refresh_posting(session, posting)


def init_app() -> None:
    """Keep each posting's matches fresh as it changes (synchronously, same transaction)."""
    posting_changed.connect(_on_posting_changed)


def recompute_all(read: Session, write: Session, top: int = TOP_STORED,
                  progress: Progress | None = None) -> Ranking:
    """Every live posting's best matches both ways, stored (replacing what was there);
    drafts are refreshed one by one after. Returns the ranking of the live postings.
    Scoring reads through `read`; only storing takes `write` (SQLite's write lock)."""
    report = progress or (lambda stage, percent: None)
    report("scoring", 5)
    ranking = match_all(read, top=max(top, TOP_STORED))
    report("saving", 70)  # nothing is reported after this: the write transaction is open
    store_all(write, _pairs([*ranking.by_demand.values(), *ranking.by_supply.values()]).values())
    return ranking


def store_all(write: Session, matches: Iterable[Match]) -> None:
    """Replace every stored pair with `matches` (the live postings'), then refresh the
    drafts one by one."""
    write.execute(delete(PostingMatch))
    _insert(write, matches)
    drafts = list(write.scalars(select(Posting).where(Posting.status == PostingStatus.DRAFT)))
    for draft in drafts:
        refresh_posting(write, draft)


def stage_block(write: Session, run_id: int, block: int, ranking: Ranking) -> None:
    """Keep what one block of a split recompute found, replacing what an earlier delivery
    of the same block kept (a block is idempotent)."""
    write.execute(delete(MatchBlockPair).where(MatchBlockPair.run_id == run_id,
                                               MatchBlockPair.block == block))
    for_demand = _pairs(ranking.by_demand.values())
    for_supply = _pairs(ranking.by_supply.values())
    rows = [{"run_id": run_id, "block": block, "demand_id": int(m.demand),
             "supply_id": int(m.supply), "score": m.score, "explanation": _explanation(m),
             "for_demand": key in for_demand, "for_supply": key in for_supply}
            for key, m in {**for_supply, **for_demand}.items()]
    for start in range(0, len(rows), INSERT_CHUNK):
        write.execute(insert(MatchBlockPair.__table__), rows[start:start + INSERT_CHUNK])


def merged_blocks(read: Session, run_id: int, top: int = TOP_STORED) -> list[Match]:
    """Every block's demand lists, and each supply's best `top` demands over all blocks
    (ties by the demand's ref, as one whole recompute orders them)."""
    demand_lists: list[Match] = []
    by_supply: dict[int, list[MatchBlockPair]] = {}
    for row in read.scalars(select(MatchBlockPair).where(MatchBlockPair.run_id == run_id)):
        if row.for_demand:
            demand_lists.append(as_match(row))
        if row.for_supply:
            by_supply.setdefault(row.supply_id, []).append(row)
    supply_lists = [as_match(row) for rows in by_supply.values()
                    for row in sorted(rows, key=lambda r: (-r.score, str(r.demand_id)))[:top]]
    return list(_pairs([demand_lists, supply_lists]).values())


def recommendations(session: Session, posting: Posting,
                    top: int = 5) -> list[Recommendation]:
    """The stored best live postings on the other side for `posting`, leaving out the ones
    its owners dismissed and the ones too weak to be worth a person's attention."""
    return recommendations_for(session, [posting], top)[posting.id]


def recommendations_for(session: Session, postings: list[Posting],
                        top: int = 5) -> dict[int, list[Recommendation]]:
    """recommendations() of several postings in a fixed number of queries, however many
    postings and recommendations there are (a page of them costs no query per row)."""
    found: dict[int, list[Recommendation]] = {posting.id: [] for posting in postings}
    for is_demand in (True, False):
        ids = [p.id for p in postings if p.kind.is_demand is is_demand]
        if not ids:
            continue
        rows = session.execute(_best_pairs(is_demand), {
            "ids": ids, "today": date.today(), "top": top,
            "floor": MIN_RECOMMENDATION_SCORE})
        for row, posting in rows:
            owner = row.demand_id if is_demand else row.supply_id
            found[owner].append(Recommendation(posting, as_match(row)))
    return found


@functools.cache
def _best_pairs(is_demand: bool) -> Select:
    """The statement behind recommendations_for() for demands or for supplies, built once:
    building it (an aliased posting, a window) cost more than running it."""
    mine, theirs = ((PostingMatch.demand_id, PostingMatch.supply_id) if is_demand
                    else (PostingMatch.supply_id, PostingMatch.demand_id))
    other = aliased(Posting)
    rank = func.row_number().over(partition_by=mine, order_by=(
        PostingMatch.score.desc(), other.id)).label("rank")
    ranked = (select(PostingMatch.demand_id, PostingMatch.supply_id, rank)
              .join(other, other.id == theirs)
              .where(mine.in_(bindparam("ids", expanding=True)),
                     other.is_live_on(bindparam("today", type_=Date)),
                     PostingMatch.score >= bindparam("floor", type_=Float),
                     ~exists().where(MatchDismissal.posting_id == mine,
                                     MatchDismissal.other_posting_id == theirs))
              .subquery())
    return (select(PostingMatch, other)
            .join(ranked, and_(ranked.c.demand_id == PostingMatch.demand_id,
                               ranked.c.supply_id == PostingMatch.supply_id))
            .join(other, other.id == theirs)
            .where(ranked.c.rank <= bindparam("top", type_=Integer))
            .options(selectinload(other.organization))
            .order_by(mine, ranked.c.rank))


def stored_pairs(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PostingMatch)) or 0
