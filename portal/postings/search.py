"""Finding postings: who sees what, filters, text search, sorting and pages."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    column,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session, selectinload
from werkzeug.datastructures import MultiDict

from portal.accounts.models import User
from portal.db import contains
from portal.paging import KeysetPage, Sort, SortKey, keyset_page
from portal.postings import fulltext
from portal.postings.models import EducationLevel, Posting, PostingKind, PostingStatus
from portal.postings.text import QUERY_MAX, QueryTerm, normalise_tag, query_terms
from portal.views import enum_arg

# Other words for what a query names: (the words as found in the query, their other
# names). Matching supplies it from its taxonomy, so search and matching read alike.
Expand = Callable[[str], list[tuple[str, list[str]]]]

PAGE_SIZE = 20
EXPORT_LIMIT = 50_000

SORTS = {
    # Only drafts lack published_at, and then all of them do: no NULLS placement is
    # needed, which lets both databases walk ix_postings_status_published backwards.
    "newest": Sort((SortKey(Posting.published_at, descending=True, kind=datetime),
                    SortKey(Posting.id, descending=True))),
    "updated": Sort((SortKey(Posting.updated_at, descending=True, kind=datetime),
                     SortKey(Posting.id, descending=True))),
    "deadline": Sort((SortKey(Posting.deadline, nulls_last=True, kind=date),
                      SortKey(Posting.id))),
    "headcount": Sort((SortKey(Posting.headcount, descending=True, nulls_last=True),
                       SortKey(Posting.id, descending=True))),
    "title": Sort((SortKey(Posting.title, kind=str), SortKey(Posting.id))),
    # Oldest change first: a mirror reads on from where it stopped (the API's sync).
    "changes": Sort((SortKey(Posting.updated_at, kind=datetime), SortKey(Posting.id))),
}


@dataclass
class PostingQuery:
    kind: PostingKind | None = None
    text: str = ""
    skill: str = ""
    major: str = ""
    district: str = ""
    industry: str = ""
    education: EducationLevel | None = None
    # Coordinators only: a status to look at (drafts, closed…) and flagged postings.
    status: PostingStatus | None = None
    flagged: bool = False
    organization_id: int | None = None
    # Changed since then, closed and expired ones too (a mirror must hear of those).
    updated_since: datetime | None = None
    sort: str = "newest"
    # Keyset cursors of the page wanted (see portal.paging); neither means the first.
    after: str = ""
    before: str = ""

    @property
    def order(self) -> Sort:
        return SORTS.get(self.sort, SORTS["newest"])


def query_from_args(args: MultiDict) -> PostingQuery:
    """Filters from a query string (the search page's, a saved search's); anything
    malformed is ignored, never an error page."""
    return PostingQuery(
        kind=enum_arg(args, "kind", PostingKind),
        text=args.get("q", "")[:QUERY_MAX],
        skill=args.get("skill", "")[:100],
        major=args.get("major", "")[:100],
        district=args.get("district", "")[:50],
        industry=args.get("industry", "")[:100],
        education=enum_arg(args, "education", EducationLevel),
        status=enum_arg(args, "status", PostingStatus),
        flagged=args.get("flagged") == "1",
        sort=args.get("sort", "newest"),
        after=args.get("after", ""),
        before=args.get("before", ""),
    )


def _visible(statement: Select, viewer: User, query: PostingQuery, today: date) -> Select:
    """Coordinators may look at any status; everyone else sees live postings only
    (their own organisation's other postings are on its own page)."""
    if viewer.is_coordinator and query.status is not None:
        if query.status is PostingStatus.EXPIRED:
            return statement.where(or_(
                Posting.status == PostingStatus.EXPIRED,
                and_(Posting.status == PostingStatus.PUBLISHED, Posting.deadline < today)))
        if query.status is PostingStatus.PUBLISHED:
            return statement.where(Posting.is_live_on(today))
        return statement.where(Posting.status == query.status)
    if query.updated_since is not None:
        return statement.where(Posting.status != PostingStatus.DRAFT)
    return statement.where(Posting.is_live_on(today))


def _others(term: str, expansions: list[tuple[str, list[str]]]) -> list[str]:
    """The other names of what this query term is part of ("machine" of "machine
    learning", or 可编程控制器 itself)."""
    others: list[str] = []
    for found, names in expansions:
        if term == found or term in found.split(" ") or found in term:
            others += [name for name in names if name not in others]
    return others


def text_expression(text: str, terms: list[QueryTerm],
                    expand: Expand | None = None) -> fulltext.Expression | None:
    """What a text query looks for: every term, each as written, as all its words, or
    (with `expand`) by another name. None when no term has letters or digits."""
    expansions = expand(text) if expand else []
    return fulltext.all_of([
        fulltext.any_of([
            fulltext.phrase(term.phrase),
            fulltext.all_of([fulltext.phrase(word) for word in term.words]),
            *[fulltext.phrase(name) for name in _others(term.phrase, expansions)]])
        for term in terms])


# SQLite, newest first: a query found in at least this many postings is answered by
# walking the newest-first index and testing each posting against the hits, which stops
# after a page; fewer hits are looked up one by one and sorted.
CROWDED = 1000
_FTS_HITS = "SELECT rowid FROM postings_fts WHERE postings_fts MATCH :fts"
_FTS_HITS_UP_TO = ("SELECT count(*) FROM (SELECT rowid FROM postings_fts "
                   "WHERE postings_fts MATCH :fts LIMIT :most)")


def matching_text(expression: fulltext.Expression, dialect: str,
                  tokens: str = "search_tokens",
                  crowded: Callable[[str], bool] | None = None) -> ColumnElement[bool]:
    """Postings whose `tokens` (search_tokens or skill_tokens) match, found through the
    database's full-text index. On SQLite `crowded(fts)` says whether to walk the sort's
    index rather than the hits (PostgreSQL's planner weighs that itself)."""
    if dialect == "postgresql":  # the tsvector kept beside the tokens, GIN-indexed
        vector = literal_column(f"postings.{tokens.replace('_tokens', '_vector')}")
        return vector.op("@@")(
            func.to_tsquery(literal_column("'simple'"), fulltext.to_tsquery(expression)))
    fts = f"{tokens} : ({fulltext.to_fts5(expression)})"
    hits = text(_FTS_HITS).bindparams(fts=fts).columns(column("rowid"))
    # `id + 0` cannot be looked up by rowid, so SQLite leads with the index instead.
    return (Posting.id + 0 if crowded and crowded(fts) else Posting.id).in_(hits)


def crowded_on(session: Session) -> Callable[[str], bool]:
    """Whether an FTS5 query finds at least CROWDED postings (counting no further)."""
    def crowded(fts: str) -> bool:
        return (session.scalar(text(_FTS_HITS_UP_TO),
                               {"fts": fts, "most": CROWDED}) or 0) >= CROWDED
    return crowded


def filtered(viewer: User, query: PostingQuery, today: date | None = None,
             expand: Expand | None = None, *, dialect: str = "sqlite",
             crowded: Callable[[str], bool] | None = None) -> Select:
    """SELECT of the postings `viewer` may see that match `query` (unsorted; `crowded`:
    see matching_text)."""
    today = today or date.today()
    statement = _visible(select(Posting), viewer, query, today)
    if query.kind is not None:
        statement = statement.where(Posting.kind == query.kind)
    terms = query_terms(query.text)
    if terms:
        expression = text_expression(query.text, terms, expand)
        statement = statement.where(
            false() if expression is None else matching_text(expression, dialect,
                                                             crowded=crowded))
    if query.skill:
        skill = fulltext.phrase(normalise_tag(query.skill))
        statement = statement.where(
            false() if skill is None else matching_text(skill, dialect, "skill_tokens",
                                                        crowded))
    for field_column, value in ((Posting.major, query.major),
                                (Posting.district, query.district),
                                (Posting.industry, query.industry)):
        if value:
            statement = statement.where(contains(func.lower(field_column), value.lower()))
    if query.education is not None:
        statement = statement.where(Posting.education == query.education)
    if query.flagged and viewer.is_coordinator:
        statement = statement.where(Posting.is_flagged.is_(True))
    if query.organization_id is not None:
        statement = statement.where(Posting.organization_id == query.organization_id)
    if query.updated_since is not None:
        statement = statement.where(Posting.updated_at > query.updated_since)
    return statement


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def search_postings(session: Session, viewer: User, query: PostingQuery,
                    today: date | None = None, expand: Expand | None = None,
                    size: int = PAGE_SIZE) -> KeysetPage:
    """One page of what `query` finds: Posting items, their organisations loaded."""
    dialect = _dialect(session)
    walkable = dialect == "sqlite" and query.order is SORTS["newest"]
    statement = filtered(viewer, query, today, expand, dialect=dialect,
                         crowded=crowded_on(session) if walkable else None)
    return keyset_page(
        session, statement, query.order, size=size, after=query.after,
        before=query.before, rows=lambda page: _postings_of(session, page),
        key_of=query.order.key_of)


def postings_by_id(session: Session, ids: Iterable[int]) -> dict[int, Posting]:
    """The postings with these ids, their organisations loaded (one page's worth)."""
    return {posting.id: posting for posting in session.scalars(
        select(Posting).where(Posting.id.in_(list(ids)))
        .options(selectinload(Posting.organization)))}


def _postings_of(session: Session, page: Select) -> list[Posting]:
    """The postings of a page query, in its order. The page is chosen by id first: sorting
    thousands of search hits by date then moves their ids, not their whole rows."""
    ids = session.scalars(page.with_only_columns(Posting.id)).all()
    found = postings_by_id(session, ids)
    return [found[posting_id] for posting_id in ids]


def all_results(session: Session, viewer: User, query: PostingQuery,
                today: date | None = None, expand: Expand | None = None) -> Sequence[Posting]:
    """Every match (for export), capped so one request cannot exhaust the server."""
    statement = filtered(viewer, query, today, expand, dialect=_dialect(session)).options(
        selectinload(Posting.organization))
    return session.scalars(statement.order_by(*query.order.order()).limit(EXPORT_LIMIT)).all()


def count_flagged_live(session: Session, today: date | None = None) -> int:
    """Live postings the diagnosis flagged, for the coordinators' overview."""
    return session.scalar(select(func.count()).where(
        Posting.is_flagged.is_(True), Posting.is_live_on(today or date.today()))) or 0
