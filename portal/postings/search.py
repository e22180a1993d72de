"""Finding postings: who sees what, filters, text search, sorting and pages."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import User
from portal.db import contains
from portal.paging import Window
from portal.postings.models import EducationLevel, Posting, PostingKind, PostingSkill, PostingStatus
from portal.postings.text import normalise_tag, query_terms

# Other words for what a query names: (the words as found in the query, their other
# names). Matching supplies it from its taxonomy, so search and matching read alike.
Expand = Callable[[str], list[tuple[str, list[str]]]]

PAGE_SIZE = 20
EXPORT_LIMIT = 50_000

SORTS = {
    # Only drafts lack published_at, and they all do: no NULLS placement is needed, which
    # lets both databases walk ix_postings_status_published backwards.
    "newest": (Posting.published_at.desc(), Posting.id.desc()),
    "updated": (Posting.updated_at.desc(), Posting.id.desc()),
    "deadline": (Posting.deadline.asc().nulls_last(), Posting.id.desc()),
    "headcount": (Posting.headcount.desc().nulls_last(), Posting.id.desc()),
    "title": (Posting.title.asc(), Posting.id.asc()),
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
    sort: str = "newest"
    page: int = 1


@dataclass
class PostingPage:
    items: Sequence[Posting]
    total: int
    page: int
    pages: int
    query: PostingQuery = field(repr=False)


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
    return statement.where(Posting.is_live_on(today))


def _others(term: str, expansions: list[tuple[str, list[str]]]) -> list[str]:
    """The other names of what this query term is part of ("machine" of "machine
    learning", or 可编程控制器 itself)."""
    others: list[str] = []
    for found, names in expansions:
        if term == found or term in found.split(" ") or found in term:
            others += [name for name in names if name not in others]
    return others


def filtered(viewer: User, query: PostingQuery, today: date | None = None,
             expand: Expand | None = None) -> Select:
    """SELECT of the postings `viewer` may see that match `query` (unsorted). Each query
    term is found as written, as all its words, or (with `expand`) by another name."""
    today = today or date.today()
    statement = _visible(select(Posting), viewer, query, today)
    if query.kind is not None:
        statement = statement.where(Posting.kind == query.kind)
    terms = query_terms(query.text)
    expansions = expand(query.text) if expand and terms else []
    for term in terms:
        statement = statement.where(or_(
            contains(Posting.search_text, term.phrase),
            and_(*[contains(Posting.search_text, word) for word in term.words]),
            *[contains(Posting.search_text, name)
              for name in _others(term.phrase, expansions)]))
    if query.skill:
        tag = normalise_tag(query.skill)
        statement = statement.where(exists().where(
            PostingSkill.posting_id == Posting.id, contains(PostingSkill.tag, tag)))
    for column, value in ((Posting.major, query.major), (Posting.district, query.district),
                          (Posting.industry, query.industry)):
        if value:
            statement = statement.where(contains(func.lower(column), value.lower()))
    if query.education is not None:
        statement = statement.where(Posting.education == query.education)
    if query.flagged and viewer.is_coordinator:
        statement = statement.where(Posting.is_flagged.is_(True))
    if query.organization_id is not None:
        statement = statement.where(Posting.organization_id == query.organization_id)
    return statement


def search_postings(session: Session, viewer: User, query: PostingQuery,
                    today: date | None = None, expand: Expand | None = None) -> PostingPage:
    statement = filtered(viewer, query, today, expand)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    window = Window.of(total, query.page, PAGE_SIZE)
    items = session.scalars(
        statement.options(selectinload(Posting.organization))
        .order_by(*SORTS.get(query.sort, SORTS["newest"]))
        .limit(window.size).offset(window.offset)
    ).all()
    return PostingPage(items=items, total=window.total, page=window.page, pages=window.pages,
                       query=query)


def all_results(session: Session, viewer: User, query: PostingQuery,
                today: date | None = None, expand: Expand | None = None) -> Sequence[Posting]:
    """Every match (for export), capped so one request cannot exhaust the server."""
    statement = filtered(viewer, query, today, expand).options(
        selectinload(Posting.organization))
    return session.scalars(
        statement.order_by(*SORTS.get(query.sort, SORTS["newest"])).limit(EXPORT_LIMIT)).all()


def count_flagged_live(session: Session, today: date | None = None) -> int:
    """Live postings the diagnosis flagged, for the coordinators' overview."""
    return session.scalar(select(func.count()).where(
        Posting.is_flagged.is_(True), Posting.is_live_on(today or date.today()))) or 0
