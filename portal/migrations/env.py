"""Alembic environment: the app's engine and the models' metadata."""
from alembic import context

from portal import db
from portal.models import Base

app = context.config.attributes["flask_app"]


def run_migrations() -> None:
    with app.app_context():
        engine = db.state(app).write_engine
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()


run_migrations()
