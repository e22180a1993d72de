"""Engine, one ORM session per request (or CLI command), and the declarative base."""
from __future__ import annotations

import enum
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator
from werkzeug.local import LocalProxy

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone, so restore it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use portal.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def contains(column: Any, text: str, *, ignore_case: bool = False) -> Any:  # noqa: ANN401
    """`column` contains `text` as typed: % and _ are matched as themselves, never as
    wildcards (the one way every search builds a LIKE)."""
    if ignore_case:
        return column.icontains(text, autoescape=True)
    return column.contains(text, autoescape=True)


def enum_type(enum_cls: type[enum.Enum], name: str | None = None) -> SAEnum:
    """Store an enum by its value as a short string guarded by a CHECK constraint (named
    after the enum, or `name` when one table has two columns of it)."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda members: [m.value for m in members],
        name=name or enum_cls.__name__.lower(),
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime}


def normalise_url(url: str) -> str:
    """Plain postgresql:// URLs mean psycopg 3 here, not SQLAlchemy's psycopg2 default."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


SQLITE_MMAP_BYTES = 1 << 30  # address space, not memory: pages are mapped as they are read


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, foreign keys and a busy timeout on every connection; we emit BEGIN ourselves.

    pysqlite's own transaction handling starts a deferred transaction lazily. A deferred
    transaction that reads and then writes cannot wait for a lock (SQLite returns
    "database is locked" at once), so write sessions begin with BEGIN IMMEDIATE instead.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Read the file through the OS page cache, shared by every connection and worker,
        # instead of a read() call per page into each connection's 2 MB cache: a search
        # touching 6,000 postings at 20k spent most of its time in those calls.
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@dataclass
class DatabaseState:
    engine: Engine
    write_engine: Engine
    session_factory: sessionmaker[Session]


def _json_dumps(value: object) -> str:
    """JSON columns keep Chinese as it is: a third of the size of \\u escapes, and faster."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def build_engine(url: str, *, echo: bool = False, busy_timeout_ms: int = 15_000) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        connect_args = {"timeout": busy_timeout_ms / 1000, "check_same_thread": False}
        engine = create_engine(url, echo=echo, connect_args=connect_args,
                               json_serializer=_json_dumps)
        _configure_sqlite(engine, busy_timeout_ms)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, json_serializer=_json_dumps)


def init_app(app: Flask) -> None:
    engine = build_engine(
        app.config["DATABASE_URL"],
        echo=app.config["DATABASE_ECHO"],
        busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"],
    )
    # Same pool; only the BEGIN differs (IMMEDIATE on SQLite, a no-op option elsewhere).
    write_engine = engine.execution_options(sqlite_immediate=True)
    app.extensions["portal_db"] = DatabaseState(
        engine=engine,
        write_engine=write_engine,
        session_factory=sessionmaker(bind=engine, expire_on_commit=False),
    )
    app.teardown_appcontext(_close_session)


def state(app: Flask | None = None) -> DatabaseState:
    return (app or current_app).extensions["portal_db"]


def _wants_write() -> bool:
    return not has_request_context() or request.method not in SAFE_METHODS


def get_session() -> Session:
    """The session of this request or CLI command, created on first use."""
    if "db_session" not in g:
        app_state = state()
        bind = app_state.write_engine if _wants_write() else app_state.engine
        g.db_session = app_state.session_factory(bind=bind)
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


db_session: Session = LocalProxy(get_session)  # type: ignore[assignment]


@contextmanager
def write_session(app: Flask | None = None) -> Iterator[Session]:
    """A standalone write transaction (threads, background jobs): commit or roll back."""
    app_state = state(app)
    with app_state.session_factory(bind=app_state.write_engine) as session:
        with session.begin():
            yield session


@contextmanager
def batch_session(app: Flask | None = None) -> Iterator[Session]:
    """A standalone session for long work that commits in batches itself (imports); what
    is not committed when it ends, or fails, is rolled back."""
    app_state = state(app)
    with app_state.session_factory(bind=app_state.write_engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session(app: Flask | None = None) -> Iterator[Session]:
    """A standalone session for long reads that must not hold SQLite's write lock."""
    app_state = state(app)
    with app_state.session_factory(bind=app_state.engine) as session:
        yield session


def refresh_statistics(session: Session, *tables: Any) -> None:  # noqa: ANN401 - Tables
    """Let the query planner see `tables` as they now are, after bulk writes (imports,
    recomputes). On PostgreSQL with autovacuum off or behind, never-analysed tables made
    the planner loop postings × postings (the all-matches page ran past 30 s)."""
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        session.execute(text(f"ANALYZE {names}"))
    else:
        for table in tables:
            session.execute(text(f'ANALYZE "{table.name}"'))
