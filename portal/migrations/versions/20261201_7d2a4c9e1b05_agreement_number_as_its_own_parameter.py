"""the agreement_issued notification names its agreement as %(number)s

Revision ID: 7d2a4c9e1b05
Revises: 3c5e1f2a9b7d
Create Date: 2026-12-01 13:00:00
"""
import sqlalchemy as sa
from alembic import op


revision = '7d2a4c9e1b05'
down_revision = '3c5e1f2a9b7d'
branch_labels = None
depends_on = None

notifications = sa.table("notifications", sa.column("id", sa.Integer),
                         sa.column("event", sa.String), sa.column("params", sa.JSON))


def _rename(old: str, new: str) -> None:
    # JSON functions differ between SQLite and PostgreSQL: rewrite the rows in Python.
    connection = op.get_bind()
    rows = connection.execute(sa.select(notifications.c.id, notifications.c.params).where(
        notifications.c.event == "agreement_issued")).all()
    for row_id, params in rows:
        if old in (params or {}):
            params = {**params, new: params[old]}
            del params[old]
            connection.execute(notifications.update().where(notifications.c.id == row_id)
                               .values(params=params))


def upgrade() -> None:
    # The number used to travel as "org", which the words then called an organisation.
    _rename("org", "number")


def downgrade() -> None:
    _rename("number", "org")
