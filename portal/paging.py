"""Which slice of a result a page shows: a page number kept within what exists (small
lists), or a keyset cursor (lists that grow with the city)."""
from __future__ import annotations

import base64
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Window:
    total: int
    page: int  # 1-based, between 1 and pages
    pages: int  # at least 1, so an empty result still has a page
    size: int

    @classmethod
    def of(cls, total: int, requested: int, size: int) -> Window:
        pages = max(1, math.ceil(total / size))
        return cls(total, min(max(1, requested), pages), pages, size)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


@dataclass
class Page:
    """One page of results, as the pagination macro reads it."""

    items: Sequence
    total: int
    page: int
    pages: int

    @classmethod
    def of(cls, items: Sequence, window: Window) -> Page:
        return cls(items, window.total, window.page, window.pages)


def numbered_page(session: Session, statement: Select, requested: int, size: int) -> Page:
    """Page `requested` (kept within those that exist) of an ordered ORM select of small
    lists: counted without its order, then that page's rows read."""
    total = session.scalar(select(func.count()).select_from(
        statement.order_by(None).subquery())) or 0
    window = Window.of(total, requested, size)
    return Page.of(session.scalars(statement.limit(window.size).offset(window.offset)).all(),
                   window)


# Lists that grow with the city (postings, matches) are read by keyset: each page starts
# after (or before) the sort key of a row the reader saw, found through an index, so the
# hundredth page costs what the first does. Their counts stop at COUNT_LIMIT.
COUNT_LIMIT = 1000
CURSOR_MAX = 300  # characters of a cursor in a query string


@dataclass(frozen=True)
class SortKey:
    column: Any  # a mapped column (or an aliased entity's)
    descending: bool = False
    nulls_last: bool = False  # the column may be empty; empty values sort after the rest
    kind: type = int  # how a cursor's value is read back: int, float, str, date, datetime


@dataclass(frozen=True)
class Sort:
    """An order whose last key is unique (an id) and runs the same way as the first."""

    keys: tuple[SortKey, ...]

    def order(self, *, reverse: bool = False) -> list[Any]:
        clauses = []
        for key in self.keys:
            descending = key.descending != reverse
            clause = key.column.desc() if descending else key.column.asc()
            if key.nulls_last:
                clause = clause.nulls_first() if reverse else clause.nulls_last()
            clauses.append(clause)
        return clauses

    def _beyond(self, values: Sequence[Any], *, reverse: bool) -> Any:  # noqa: ANN401
        """Rows after (or, reversed, before) the row whose keys are `values`."""
        first, rest = self.keys[0], self.keys[1:]
        downwards = first.descending != reverse
        later_rest = self._compare([key.column for key in rest], values[1:], downwards)
        if values[0] is None:  # among the empty values, which come last
            if first.nulls_last and reverse:
                return or_(first.column.is_not(None), and_(first.column.is_(None), later_rest))
            return and_(first.column.is_(None), later_rest)
        later = self._compare([key.column for key in self.keys], values, downwards)
        if first.nulls_last and not reverse:
            return or_(later, first.column.is_(None))
        return later

    @staticmethod
    def _compare(columns: list[Any], values: Sequence[Any], downwards: bool) -> Any:  # noqa: ANN401
        """A row-value comparison, which both databases serve from an index range."""
        left, right = tuple_(*columns), tuple_(*[literal(value, column.type)
                                                  for value, column in zip(values, columns,
                                                                           strict=True)])
        return left < right if downwards else left > right

    def after(self, values: Sequence[Any]) -> Any:  # noqa: ANN401
        return self._beyond(values, reverse=False)

    def key_of(self, item: Any) -> tuple[Any, ...]:  # noqa: ANN401 - an ORM object
        """The sort key of an ORM object whose attributes are the keys' columns."""
        return tuple(getattr(item, key.column.key) for key in self.keys)

    def before(self, values: Sequence[Any]) -> Any:  # noqa: ANN401
        return self._beyond(values, reverse=True)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: a row's sort key and the row's position in the list."""

    values: tuple[Any, ...]
    position: int  # 1-based

    def encode(self) -> str:
        plain = [value.isoformat() if isinstance(value, date) else value
                 for value in self.values]
        data = json.dumps([self.position, plain], ensure_ascii=False).encode()
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, sort: Sort) -> Cursor | None:
        """The cursor in `text`, or None when it is not one of `sort`'s (a malformed or
        stale link starts the list afresh instead of failing)."""
        if not text or len(text) > CURSOR_MAX:
            return None
        try:
            position, plain = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            if not isinstance(position, int) or position < 1 or len(plain) != len(sort.keys):
                return None
            return cls(tuple(_read(value, key.kind) for value, key in zip(plain, sort.keys,
                                                                          strict=True)),
                       position)
        except (ValueError, TypeError):
            return None


def _read(value: Any, kind: type) -> Any:  # noqa: ANN401
    if value is None:
        return None
    if kind is datetime:
        read = datetime.fromisoformat(value)
        if read.tzinfo is None:
            raise ValueError("a cursor's time has its zone")
        return read
    if kind is date:
        return date.fromisoformat(value)
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(f"expected {kind.__name__}")
    return value


@dataclass
class KeysetPage:
    """One page of a keyset list, as the keyset_pagination macro reads it."""

    items: Sequence[Any]
    total: int  # counted up to COUNT_LIMIT
    total_is_more: bool  # more than COUNT_LIMIT
    first: int  # position of the first item shown
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1


# Counts found past COUNT_LIMIT, by statement and its values, with when (monotonic
# seconds). They are the costly ones (every hit of a common word: 7-10 ms of an 18 ms
# search on PostgreSQL), and "more than 1,000" stays true for a while. Per process.
_over_limit: dict[tuple[Any, str], float] = {}
OVER_LIMIT_KEPT = 60.0  # seconds a "more than" answer is reused
OVER_LIMIT_KEYS = 512  # statements remembered at most


def _now() -> float:
    return time.monotonic()


def _count_key(counting: Select) -> tuple[Any, str] | None:
    """The statement's shape and values: SQLAlchemy's cache key, which executing the
    statement computes anyway (compiling it only for a key cost 0.4 ms a list page).
    None for a statement SQLAlchemy cannot cache: its counts are not remembered."""
    cache_key = counting._generate_cache_key()  # as SQLAlchemy's own caching recipes do
    if cache_key is None:
        return None
    return cache_key.key, repr([bind.effective_value for bind in cache_key.bindparams])


def bounded_count(session: Session, statement: Select) -> tuple[int, bool]:
    """How many rows `statement` (never DISTINCT) gives, counting no further than
    COUNT_LIMIT. The rows counted carry no columns: reading each row's text only to count
    it cost as much as the page itself. A count past the limit is remembered for
    OVER_LIMIT_KEPT seconds; one within it is always exact."""
    counting = select(func.count()).select_from(
        statement.with_only_columns(literal(1), maintain_column_froms=True)
        .order_by(None).limit(COUNT_LIMIT + 1).subquery())
    key = _count_key(counting)
    seen = _over_limit.get(key) if key is not None else None
    if seen is not None and _now() - seen < OVER_LIMIT_KEPT:
        return COUNT_LIMIT, True
    counted = session.scalar(counting) or 0
    if counted > COUNT_LIMIT and key is not None:
        if len(_over_limit) >= OVER_LIMIT_KEYS:
            _over_limit.clear()
        _over_limit[key] = _now()
    return min(counted, COUNT_LIMIT), counted > COUNT_LIMIT


def keyset_page(session: Session, statement: Select, sort: Sort, *, size: int,
                after: str = "", before: str = "",
                rows: Callable[[Select], Sequence[Any]],
                key_of: Callable[[Any], tuple[Any, ...]]) -> KeysetPage:
    """The page of `statement` after the cursor `after`, before `before`, or the first.

    `rows` runs a statement (scalars or rows), `key_of` gives an item's sort key."""
    total, total_is_more = bounded_count(session, statement)
    forward, backward = Cursor.decode(after, sort), Cursor.decode(before, sort)
    if backward is not None and forward is None:
        found = list(rows(statement.where(sort.before(backward.values))
                          .order_by(*sort.order(reverse=True)).limit(size + 1)))
        has_previous = len(found) > size
        items = found[:size][::-1]
        first = max(1, backward.position - len(items)) if has_previous else 1
        has_next = True
    else:
        if forward is not None:
            statement = statement.where(sort.after(forward.values))
        found = list(rows(statement.order_by(*sort.order()).limit(size + 1)))
        items, has_next = found[:size], len(found) > size
        has_previous = forward is not None
        first = forward.position + 1 if forward is not None else 1
    if not items:
        has_next = False
    next_cursor = (Cursor(key_of(items[-1]), first + len(items) - 1).encode()
                   if has_next else None)
    previous_cursor = Cursor(key_of(items[0]), first).encode() if has_previous and items \
        else None
    return KeysetPage(items, total, total_is_more, first, next_cursor, previous_cursor)
