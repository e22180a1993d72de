"""Alembic, driven from the app's configuration (no alembic.ini needed)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
FILE_TEMPLATE = "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s"


# What the database keeps beside the models, by kind of object and name prefix: the
# full-text index of postings (SQLite's FTS5 table with its shadow tables, PostgreSQL's
# generated tsvector columns and their GIN indexes), made by a migration for one database
# and written by the database itself.
UNMODELLED = {"table": ("postings_fts",), "column": ("search_vector", "skill_vector"),
              "index": ("ix_postings_search_vector", "ix_postings_skill_vector")}


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """What Alembic compares with the models: everything but the unmodelled objects."""
    return not (name and name.startswith(UNMODELLED.get(type_, ())))


def alembic_config(app: Flask) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", FILE_TEMPLATE)
    config.attributes["flask_app"] = app
    return config


def upgrade(app: Flask, revision: str = "head") -> None:
    command.upgrade(alembic_config(app), revision)


def revision(app: Flask, message: str) -> None:
    command.revision(alembic_config(app), message=message, autogenerate=True)
