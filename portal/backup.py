"""Backup and restore: a consistent snapshot of the database with every stored file, and a
manifest of SHA-256 hashes that a restore checks before it touches anything.

The database: SQLite through its online backup API (a consistent copy while the portal
runs); PostgreSQL through pg_dump (custom format, one snapshot) and pg_restore. The
files: the instance's stored documents (agreements, signed scans, certificates) and the
matching weights a coordinator saved. Restore with the portal stopped.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine, make_url

from portal import db
from portal.models import Base
from portal.storage import storage_dir

FORMAT = "portal-backup/1"
MANIFEST = "manifest.json"
FILES = "files"
# Instance files besides the stored documents that a restore must bring back.
INSTANCE_FILES = ("match-weights.json", "match-weights.previous.json")
SAFE_NAME = re.compile(r"documents/[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}|instance/(?:"
                       + "|".join(re.escape(name) for name in INSTANCE_FILES) + ")")


class BackupError(Exception):
    """The backup cannot be made, or a restore is refused; the message says why."""


@dataclass
class Summary:
    rows: dict[str, int]
    files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {table.name: connection.scalar(select(func.count()).select_from(table)) or 0
                for table in Base.metadata.sorted_tables}


def _libpq(engine: Engine) -> tuple[str, dict[str, str], str]:
    """A URL for pg_dump/pg_restore (the password in the environment, not on the command
    line) and the schema the portal's tables are in."""
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    with engine.connect() as connection:
        schema = connection.scalar(text("SELECT current_schema()"))
    return plain.render_as_string(hide_password=False), env, str(schema)


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed arguments, no shell
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _instance_files(app: Flask) -> list[tuple[str, Path]]:
    """(name in the backup, path) of every file to keep."""
    with app.app_context():
        stored = storage_dir()
    found = [(f"documents/{path.name}", path) for path in sorted(stored.iterdir())
             if path.is_file()]
    found += [(f"instance/{name}", Path(app.instance_path) / name) for name in INSTANCE_FILES
              if (Path(app.instance_path) / name).is_file()]
    return found


def backup(app: Flask, target: Path) -> Summary:
    """Write a backup into `target`, which must not exist yet or be empty."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: a backup goes into a folder of its own")
    (target / FILES).mkdir(parents=True, exist_ok=True)
    engine = db.state(app).write_engine
    if engine.dialect.name == "sqlite":
        database = "portal.db"
        source = sqlite3.connect(str(engine.url.database))
        copy = sqlite3.connect(str(target / database))
        with copy:
            source.backup(copy)  # the online backup API: one consistent snapshot
        source.close()
        copy.close()
    else:
        database = "portal.dump"
        url, env, schema = _libpq(engine)
        _run(["pg_dump", "--format=custom", "--no-owner", f"--schema={schema}",
              f"--file={target / database}", url], env)
    rows = row_counts(engine)  # what the restore must give back, as counted just after
    files = {}
    for name, path in _instance_files(app):
        destination = target / FILES / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        files[name] = _sha256(destination)
    with db.state(app).engine.connect() as connection:
        revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    manifest = {"format": FORMAT, "database": {"kind": engine.dialect.name, "file": database,
                                               "sha256": _sha256(target / database)},
                "revision": revision, "rows": rows, "files": files}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True),
                                   encoding="utf-8")
    return Summary(rows, len(files))


def _verified_manifest(source: Path, engine: Engine) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"no readable {MANIFEST} in {source}: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a {FORMAT} backup")
    database = manifest["database"]
    if database["kind"] != engine.dialect.name:
        raise BackupError(f"this is a {database['kind']} backup; the portal runs on "
                          f"{engine.dialect.name}")
    for name in manifest["files"]:
        if not SAFE_NAME.fullmatch(name):  # it would reach outside the folders it restores
            raise BackupError(f"unexpected file name in the manifest: {name!r}")
    checks = [(source / database["file"], database["sha256"])]
    checks += [(source / FILES / name, digest) for name, digest in manifest["files"].items()]
    for path, digest in checks:
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{path} is missing or does not match the manifest: the backup "
                              "is damaged, nothing was restored")
    return manifest


def restore(app: Flask, source: Path) -> Summary:
    """Replace the database and the stored files with the backup's, once every hash in
    its manifest has been checked; then check the row counts came back."""
    engine = db.state(app).write_engine
    manifest = _verified_manifest(source, engine)
    database = source / manifest["database"]["file"]
    db.state(app).engine.dispose()
    engine.dispose()
    if engine.dialect.name == "sqlite":
        snapshot = sqlite3.connect(str(database))
        live = sqlite3.connect(str(engine.url.database))
        with live:
            snapshot.backup(live)
        snapshot.close()
        live.close()
    else:
        _pg_restore(engine, database)
    _restore_files(app, source, manifest["files"])
    rows = row_counts(engine)
    if rows != manifest["rows"]:
        raise BackupError(f"the restored row counts differ from the backup's: {rows}")
    return Summary(rows, len(manifest["files"]))


def _pg_restore(engine: Engine, dump: Path) -> None:
    """The schema emptied (whatever a later migration added goes too), then everything of
    the dump restored into it but the schema itself, which stays as the server has it."""
    url, env, schema = _libpq(engine)
    listing = subprocess.run(["pg_restore", "--list", str(dump)], env=env,  # noqa: S603, S607
                             capture_output=True, text=True, check=False)
    if listing.returncode != 0:
        raise BackupError(f"pg_restore cannot read {dump}: {listing.stderr.strip()[-500:]}")
    with tempfile.NamedTemporaryFile("w", suffix=".list", encoding="utf-8") as entries:
        entries.write("\n".join(line for line in listing.stdout.splitlines()
                                if " SCHEMA - " not in line))
        entries.flush()
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        _run(["pg_restore", "--no-owner", "--exit-on-error", f"--use-list={entries.name}",
              f"--dbname={url}", str(dump)], env)


def _restore_files(app: Flask, source: Path, files: dict[str, str]) -> None:
    with app.app_context():
        stored = storage_dir()
    instance = Path(app.instance_path)
    # A file the backup does not hold belongs to no record of the restored database.
    for path in stored.iterdir():
        if path.is_file() and f"documents/{path.name}" not in files:
            path.unlink()
    for name in INSTANCE_FILES:
        if f"instance/{name}" not in files:
            (instance / name).unlink(missing_ok=True)
    for name in files:  # names checked against SAFE_NAME with the manifest
        kind, _, base = name.partition("/")
        folder = stored if kind == "documents" else instance
        partial = folder / f".{base}.restoring"
        shutil.copy2(source / FILES / name, partial)
        partial.replace(folder / base)  # whole, or not at all
