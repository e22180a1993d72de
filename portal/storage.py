"""The files the portal keeps (issued documents, signed scans, logos) in
instance/agreements/ (named after its first use), under generated names. A file is
written inside the transaction that records it, before the commit, so a record never
lacks its file; if that transaction rolls back, the files it wrote are removed again, so
no file is left that no record names."""
from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.errors import DomainError

WRITTEN = "agreement_files_written"
REPLACED = "stored_files_replaced"


class AlteredFile(RuntimeError):
    """A stored document no longer matches the SHA-256 recorded when it was issued."""


def storage_dir() -> Path:
    path = Path(current_app.instance_path) / "agreements"
    path.mkdir(parents=True, exist_ok=True)
    return path


class StorageFull(DomainError):
    """The disk refused the file (full, or gone): nothing was stored."""


def write(session: Session, name: str, data: bytes) -> None:
    """Store `data` as `name`, kept only if `session` commits. The file appears whole or
    not at all: it is written under a temporary name, then renamed."""
    session.connection()  # begin the transaction the file belongs to, if none has begun
    path = storage_dir() / name
    partial = path.with_name(f".{name}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise StorageFull(_l("The portal could not store the file: its disk is full or "
                             "unavailable. Nothing was saved; please try again later, and "
                             "tell the city's coordinators if it happens again.")) from error
    session.info.setdefault(WRITTEN, []).append(path)


def store_pdf(session: Session, pdf: bytes) -> tuple[str, str, int]:
    """Store an issued PDF under a generated name: (name, SHA-256, size)."""
    name = f"{secrets.token_hex(16)}.pdf"
    write(session, name, pdf)
    return name, hashlib.sha256(pdf).hexdigest(), len(pdf)


def read_checked(name: str, digest: str) -> bytes:
    """A stored document, if it still matches the SHA-256 recorded when it was issued."""
    data = (storage_dir() / name).read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        raise AlteredFile(f"the stored file {name} does not match its recorded SHA-256")
    return data


def replace(session: Session, previous: str | None, name: str, data: bytes) -> str:
    """Store `data` as `name` in place of the file `previous` (if any), which goes once
    the change commits; returns `name`."""
    write(session, name, data)
    if previous:
        remove_after_commit(session, previous)
    return name


def remove_after_commit(session: Session, name: str) -> None:
    """Remove the stored file `name` once `session` commits the change that stopped using
    it; if the change rolls back, the file stays."""
    session.info.setdefault(REPLACED, []).append(storage_dir() / name)


@event.listens_for(Session, "after_commit")
def _keep_written(session: Session) -> None:
    if not session.in_nested_transaction():  # a released SAVEPOINT is no commit yet
        session.info.pop(WRITTEN, None)
        for path in session.info.pop(REPLACED, []):
            path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _remove_written(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.info.pop(REPLACED, None)
    for path in session.info.pop(WRITTEN, []):
        path.unlink(missing_ok=True)
