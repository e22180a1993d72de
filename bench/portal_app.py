"""The portal as the benchmarks run it: a throwaway instance folder and database."""
from __future__ import annotations

import sys
from pathlib import Path

from flask import Flask

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def portal_app(instance: str, database_url: str | None = None, migrate: bool = True,
               **config: object) -> Flask:
    """An app on `database_url` (default: SQLite in `instance`), migrated unless told not."""
    from portal import create_app
    from portal.migrate import upgrade

    app = create_app({"DATABASE_URL": database_url or f"sqlite:///{instance}/bench.db",
                      "INSTANCE_PATH": instance, "SECRET_KEY": "bench", **config})
    if migrate:
        upgrade(app)
    return app
