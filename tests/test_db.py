"""The database layer: SQLite settings, concurrent writers, migrations in step with models."""
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import LoginFailure
from portal.db import Base, normalise_url, utcnow, write_session
from portal.db import state as db_state
from portal.migrate import include_name


@pytest.fixture
def sqlite_only(app):
    if db_state(app).engine.dialect.name != "sqlite":
        pytest.skip("SQLite connection settings")


def test_sqlite_connections_use_wal_foreign_keys_busy_timeout_and_mmap(app, sqlite_only):
    with db_state(app).engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
        assert connection.exec_driver_sql("PRAGMA mmap_size").scalar() == 1 << 30


def test_postgres_urls_use_psycopg3():
    assert normalise_url("postgresql://h/db") == "postgresql+psycopg://h/db"
    assert normalise_url("postgres://h/db") == "postgresql+psycopg://h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_concurrent_read_then_write_transactions_all_succeed(app):
    """Eight writers each read a value and write it back plus one, twenty times.

    With SQLite's default deferred transactions the upgrade from read to write fails
    at once with "database is locked"; write sessions begin IMMEDIATE and wait instead.
    On PostgreSQL the row lock (FOR UPDATE) serialises them. No update may be lost.
    """
    with write_session(app) as session:
        session.add(LoginFailure(key="counter:0", created_at=utcnow()))
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(20):
                with write_session(app) as session:
                    row = session.scalars(
                        select(LoginFailure).where(LoginFailure.key.like("counter:%"))
                        .with_for_update()).one()
                    row.key = f"counter:{int(row.key.split(':')[1]) + 1}"
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    with write_session(app) as session:
        assert session.scalar(select(LoginFailure.key)) == "counter:160"


def test_write_session_rolls_back_on_error(app):
    with pytest.raises(RuntimeError), write_session(app) as session:
        session.add(LoginFailure(key="never-saved", created_at=utcnow()))
        session.flush()
        raise RuntimeError("stop")
    with write_session(app) as session:
        assert session.scalar(select(LoginFailure).where(LoginFailure.key == "never-saved")) is None


def test_migrations_match_the_models(app):
    """The migrated schema is what the models declare (no forgotten migration)."""
    with db_state(app).engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                             "include_name": include_name})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_datetimes_come_back_timezone_aware(app, db):
    db.add(LoginFailure(key="aware", created_at=utcnow()))
    db.commit()
    stored = db.scalar(select(LoginFailure.created_at))
    assert stored.tzinfo is not None and stored.utcoffset().total_seconds() == 0


def test_naive_datetimes_are_refused(db):
    from datetime import datetime

    db.add(LoginFailure(key="naive", created_at=datetime(2026, 1, 1)))
    with pytest.raises(Exception, match="naive datetime"):
        db.flush()
    db.rollback()


def test_check_constraints_hold_in_the_database(db):
    """A verified organisation without its verifier cannot be stored, whatever the code does."""
    from tests import factories

    org = factories.organization(db)
    db.commit()
    with pytest.raises(IntegrityError):
        db.execute(text("UPDATE organizations SET status = 'verified' WHERE id = :id"),
                   {"id": org.id})
        db.flush()
    db.rollback()


def test_upgrading_a_database_with_data_keeps_it(tmp_path):
    """Every migration from the first on, applied to a database that already holds rows."""
    from alembic.script import ScriptDirectory

    from portal import create_app
    from portal.migrate import alembic_config, upgrade
    from tests import factories

    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'old.db'}",
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1})
    first = ScriptDirectory.from_config(alembic_config(app)).get_base()
    upgrade(app, first)
    engine = db_state(app).engine
    code = factories.valid_credit_code(424242)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO users (id, email, name, phone, password_hash, role, active, "
            "session_token, created_at) VALUES (1, 'c@x.example', 'C', '', 'h', 'coordinator',"
            " 1, 't1', '2026-01-01 00:00:00')"))
        connection.execute(text(
            "INSERT INTO organizations (id, kind, name, credit_code, district, industry, size, "
            "address, representative, contact_phone, status, verified_at, verified_by_id, "
            "submitted_at, created_at, version) VALUES (1, 'enterprise', 'E', :code, '', '', "
            "'small', '', '', '', 'verified', '2026-01-01 00:00:00', 1, '2026-01-01 00:00:00', "
            "'2026-01-01 00:00:00', 1)"), {"code": code})
        connection.execute(text(
            "INSERT INTO users (id, email, name, phone, password_hash, role, organization_id, "
            "active, session_token, created_at) VALUES (2, 'hr@x.example', 'H', '', 'h', "
            "'enterprise_hr', 1, 1, 't2', '2026-01-01 00:00:00')"))
    upgrade(app)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 2
        assert connection.execute(text("SELECT credit_code FROM organizations")).scalar() == code
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_the_signing_migration_unsigns_agreements_with_one_copy(app, db, people):
    """Data migration 3c5e1f2a9b7d (issue 13, defect 10), run against real rows."""
    from alembic import command

    from portal.agreements.models import Agreement, SignedScan
    from portal.db import utcnow
    from portal.migrate import alembic_config
    from tests import factories

    one = factories.partnership(db)
    both = factories.partnership(db, title="第二个订单班")
    db.commit()  # the agreements are issued after the commit
    for proposal, uploaders in ((one, [one.partner]), (both, [both.partner, both.proposer])):
        agreement = db.scalar(select(Agreement).where(Agreement.proposal_id == proposal.id))
        for org in uploaders:
            db.add(SignedScan(agreement_id=agreement.id,
                              stored_name=f"scan-{org.id}-{agreement.id}",
                              original_name="x.pdf", content_type="application/pdf", size=1,
                              sha256="0" * 64, uploaded_by_id=org.members[0].id))
        agreement.signed_at = utcnow()  # as the old rule left it
    db.commit()
    config = alembic_config(app)
    command.downgrade(config, "612b739f16a9")
    command.upgrade(config, "3c5e1f2a9b7d")
    db.expire_all()
    signed = {a.proposal_id: a.signed_at is not None for a in db.scalars(select(Agreement))}
    assert signed == {one.id: False, both.id: True}
    command.upgrade(config, "head")


def test_the_agreement_number_migration_renames_its_parameter_both_ways(app, db):
    """Data migration 7d2a4c9e1b05 (issue 13): the number travelled as "org"."""
    from alembic import command

    from portal.migrate import alembic_config
    from portal.notifications.models import Notification
    from tests import factories

    factories.partnership(db)
    db.commit()  # the agreement, and its notifications, are issued after the commit

    def issued() -> list[dict]:
        db.rollback()  # a fresh snapshot: the migration writes on its own connection
        # The column alone: the old schema lacks columns the model has gained since.
        found = list(db.scalars(select(Notification.params).where(
            Notification.event == "agreement_issued")))
        db.rollback()  # no lock held on the table while a migration alters it (PostgreSQL)
        return found

    number = issued()[0]["number"]
    config = alembic_config(app)
    command.downgrade(config, "3c5e1f2a9b7d")
    assert {p.get("org") for p in issued()} == {number}
    command.upgrade(config, "head")
    assert all(p["number"] == number and "org" not in p for p in issued())
