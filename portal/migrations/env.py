"""Alembic environment: the app's engine and the models' metadata."""
from alembic import context

from portal import db
from portal.migrate import include_name
from portal.models import Base

app = context.config.attributes["flask_app"]


def run_migrations() -> None:
    with app.app_context():
        engine = db.state(app).write_engine
        with engine.connect() as connection:
            is_sqlite = connection.dialect.name == "sqlite"
            if is_sqlite:
                # Batch mode rebuilds tables (copy, drop, rename); with foreign keys on, the
                # drop could cascade into referring rows. Off for the migration (it must be
                # set outside a transaction), then checked once the migration is done.
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=is_sqlite,
                compare_type=True,
                include_name=include_name,
            )
            with context.begin_transaction():
                context.run_migrations()
                if is_sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
            connection.commit()
            if is_sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


run_migrations()
