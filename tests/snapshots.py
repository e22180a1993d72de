"""Build a costly test world once per run, then lay it down again for each test that wants
it: the rows of every modelled table and the instance folder's stored files, copied back
as they were (the same ids, the same PDFs), far faster than building it through the
services again. Derived tables (search indexes) follow the restored rows through their
triggers or generated columns.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import literal, select, text, union_all
from sqlalchemy.orm import Session

from portal.db import Base

_taken: dict[tuple[str, str], Snapshot] = {}


@dataclass
class Snapshot:
    rows: dict[str, list[dict[str, Any]]]  # table name → rows, in dependency order
    files: Path  # a copy of the instance folder
    result: Any  # what the builder returned, with ORM objects replaced by (class, id)


def _tables() -> list:
    return list(Base.metadata.sorted_tables)


def _is_empty(session: Session) -> bool:
    """One query for every table (one each cost 60 ms a world on PostgreSQL)."""
    probes = [select(literal(1)).select_from(table).limit(1).subquery().select()
              for table in _tables()]
    return session.execute(union_all(*probes).limit(1)).first() is None


def _take(session: Session, result: Any) -> Snapshot:  # noqa: ANN401 - the builder's value
    session.commit()
    rows = {table.name: [dict(row) for row in session.execute(select(table)).mappings()]
            for table in _tables()}
    session.commit()
    files = Path(tempfile.mkdtemp(prefix="snapshot-"))
    atexit.register(shutil.rmtree, files, True)
    shutil.copytree(current_app.instance_path, files, dirs_exist_ok=True)
    return Snapshot(rows, files, _detach(result))


def _restore(session: Session, snapshot: Snapshot) -> None:
    """Insert each row once the rows it refers to are in: table order alone cannot do it,
    as organisations and users refer to each other (a verified organisation names the
    coordinator who verified it)."""
    waiting = {table.name: list(snapshot.rows[table.name]) for table in _tables()}
    inserted: set[tuple[str, Any]] = set()
    while any(waiting.values()):
        progress = False
        for table in _tables():
            references = [(column.name, foreign.column.table.name)
                          for column in table.columns for foreign in column.foreign_keys]
            ready = [row for row in waiting[table.name]
                     if all(row[name] is None or (target, row[name]) in inserted
                            or target == table.name for name, target in references)]
            if not ready:
                continue
            session.execute(table.insert(), ready)
            inserted.update((table.name, row.get("id")) for row in ready)
            waiting[table.name] = [row for row in waiting[table.name] if row not in ready]
            progress = True
        if not progress:
            raise RuntimeError(f"rows that refer to each other: {waiting}")
    if session.get_bind().dialect.name == "postgresql":
        # The rows came with their ids: the sequences must go on after them (one
        # statement for them all).
        lasts = {table.name: max(row["id"] for row in snapshot.rows[table.name])
                 for table in _tables() if "id" in table.c and snapshot.rows[table.name]}
        if lasts:
            calls = ", ".join(f"setval(pg_get_serial_sequence(:t{n}, 'id'), :v{n})"
                              for n in range(len(lasts)))
            values = {key: value for n, (name, last) in enumerate(lasts.items())
                      for key, value in ((f"t{n}", name), (f"v{n}", last))}
            session.execute(text(f"SELECT {calls}"), values)
    session.commit()
    shutil.copytree(snapshot.files, current_app.instance_path, dirs_exist_ok=True)


def _detach(value: Any) -> Any:  # noqa: ANN401
    if isinstance(value, dict):
        return {key: _detach(item) for key, item in value.items()}
    if isinstance(value, Base):
        return (type(value), value.id)
    return value


def _attach(session: Session, value: Any) -> Any:  # noqa: ANN401
    if isinstance(value, dict):
        return {key: _attach(session, item) for key, item in value.items()}
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], type) \
            and issubclass(value[0], Base):
        return session.get(*value)
    return value


def built_once(name: str, build: Callable[[Session], Any], session: Session) -> Any:  # noqa: ANN401
    """`build(session)` on an empty database, or the same world laid down again from the
    first time it was built in this run (on this database). A database that already holds
    rows gets the world built for it."""
    key = (name, str(session.get_bind().url))
    if not _is_empty(session):
        return build(session)
    snapshot = _taken.get(key)
    if snapshot is None:
        snapshot = _taken[key] = _take(session, build(session))
    else:
        _restore(session, snapshot)
    return _attach(session, snapshot.result)

