"""Fixtures: a real database per test run (SQLite file, or a PostgreSQL schema of its own),
emptied after every test; the app, its client and CLI runner, and `login_as(role)`."""
from __future__ import annotations

import os
import secrets
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from portal import PROJECT_ROOT, create_app
from portal.accounts.models import Role, User
from portal.agreements import document_font
from portal.catalogues import compile_all
from portal.db import Base, normalise_url
from portal.db import state as db_state
from portal.migrate import upgrade
from tests import factories

POSTGRES_URL_VARIABLE = "PORTAL_TEST_POSTGRES_URL"


def pytest_report_header(config: pytest.Config) -> str:
    return f"database: {'postgresql' if os.environ.get(POSTGRES_URL_VARIABLE) else 'sqlite'}"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """Tests see the catalogues as they are in the working tree."""
    compile_all()


@pytest.fixture(scope="session")
def font_dir() -> Path:
    """The document fonts where the portal keeps them (instance/fonts), built there by
    scripts/bootstrap.sh and reused: building the serif faces takes close to a minute."""
    directory = PROJECT_ROOT / "instance" / "fonts"
    try:
        document_font.build(directory)
    except FileNotFoundError:
        pass  # no source font installed: documents use the system fonts
    return directory


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for this run: a temp SQLite file, or a fresh PostgreSQL schema."""
    postgres_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not postgres_url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    schema = f"test_{secrets.token_hex(6)}"
    admin = create_engine(normalise_url(postgres_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in postgres_url else "?"
    try:
        yield f"{postgres_url}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Run the real migrations once per test run."""
    app = create_app(_test_config(database_url, tmp_path_factory.mktemp("instance"),
                                  tmp_path_factory.mktemp("no-fonts")))
    upgrade(app)
    db_state(app).engine.dispose()
    return database_url


def _test_config(database_url: str, instance: Path, font_dir: Path) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "FONT_DIR": str(font_dir),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-" + secrets.token_hex(8),
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
        # Cheap hashing keeps the suite fast; the algorithm (argon2id) is the same.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
        # Background jobs run at once, in the process that queues them.
        "TASKS_IMMEDIATE": True,
    }


@pytest.fixture
def app_config(migrated_database: str, tmp_path: Path, font_dir: Path) -> dict:
    """Override in a test module (or per test via indirect use) to change settings."""
    return _test_config(migrated_database, tmp_path / "instance", font_dir)


class IsolatedClient(FlaskClient):
    """Each request gets an app context of its own (its own `g`, DB session, signed-in user),
    as in production, even though the test itself holds one open.

    Around each request the test's session hands over: it commits first (the request sees
    what the test wrote, and no lock or old snapshot is held), and is expired after (the
    test sees what the request wrote).
    """

    def open(self, *args, **kwargs):  # type: ignore[override]
        test_session = g.get("db_session") if has_app_context() else None
        if test_session is not None:
            test_session.commit()
        try:
            with self.application.app_context():
                return super().open(*args, **kwargs)
        finally:
            if test_session is not None:
                test_session.expire_all()


@pytest.fixture(scope="session")
def shared_app(migrated_database: str, tmp_path_factory: pytest.TempPathFactory,
               font_dir: Path) -> Iterator[Flask]:
    """One app for the whole run, handed to each test as it was made (see `app`): building
    an app compiles every URL rule, 150 ms that per test made a quarter of the suite."""
    app = create_app(_test_config(migrated_database, tmp_path_factory.mktemp("instance"),
                                  font_dir))
    app.test_client_class = IsolatedClient
    yield app
    db_state(app).engine.dispose()


@pytest.fixture
def app(shared_app: Flask) -> Iterator[Flask]:
    """The app, in an app context of the test's own; afterwards its rows, files, settings,
    rate-limit counters and queue are put back as they were."""
    config = dict(shared_app.config)
    try:
        with shared_app.app_context():
            yield shared_app
    finally:
        _empty_all_tables(shared_app)
        _restore(shared_app, config)


def _restore(app: Flask, config: dict) -> None:
    app.config.clear()
    app.config.update(config)
    for entry in Path(app.instance_path).iterdir():
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for limiter in app.extensions.get("limiter", ()):
        limiter.reset()
    app.extensions["huey"].flush()


def _empty_all_tables(app: Flask) -> None:
    """Delete every row, whatever the foreign keys (users and organisations refer to each other)."""
    engine = db_state(app).engine
    tables = [table.name for table in Base.metadata.sorted_tables]
    if engine.dialect.name == "postgresql":
        # One statement deleting from every table: foreign keys are checked at its end, so
        # the order does not matter. TRUNCATE took 130 ms a test; this takes 1 ms.
        deletes = ", ".join(f"emptied_{n} AS (DELETE FROM {table})"
                            for n, table in enumerate(tables))
        with engine.begin() as connection:
            connection.execute(text(f"WITH {deletes} SELECT 1"))
        return
    raw = engine.raw_connection()  # autocommit: PRAGMA foreign_keys cannot change in a transaction
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        raw.close()


@pytest.fixture
def db(app: Flask) -> Session:
    """The ORM session of the test's own app context (services called by the test use it).

    It begins transactions the deferred way, so reading holds no write lock; the test
    client commits it before each request and expires it after (see IsolatedClient).
    """
    session = db_state(app).session_factory()
    g.db_session = session
    return session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def login_as(client: FlaskClient, db: Session) -> Callable[..., User]:
    """login_as(Role.X | "coordinator" | user, verified=True) → a signed-in user."""

    def sign_in(who: Role | str | User, *, verified: bool = True) -> User:
        if isinstance(who, User):
            user = who
        else:
            user = factories.user(db, Role(who) if isinstance(who, str) else who,
                                  verified=verified)
        db.commit()  # the request must see the user, and find no lock held by the test
        with client.session_transaction() as session:
            session["_user_id"] = factories.sign_in_token(db, user)
            session["_fresh"] = True
        return user

    return sign_in


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served over real HTTP by a threaded server (one thread per request)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


@pytest.fixture
def people(db: Session) -> dict[str, User]:
    """A cooperation's cast: an enterprise proposer, a university partner, a member of a
    third organisation and a coordinator."""
    from portal.accounts.models import OrgKind

    return {"proposer": factories.member(db, OrgKind.ENTERPRISE),
            "partner": factories.member(db, OrgKind.UNIVERSITY),
            "outsider": factories.member(db, OrgKind.UNIVERSITY),
            "coordinator": factories.coordinator(db)}
