"""Alembic, driven from the app's configuration (no alembic.ini needed)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
FILE_TEMPLATE = "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s"


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
