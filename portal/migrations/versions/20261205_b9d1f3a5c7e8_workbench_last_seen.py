"""when each person last opened the workbench (new matches are those after it)

Revision ID: b9d1f3a5c7e8
Revises: a8c0e2f4b6d7
Create Date: 2026-12-05 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.db

revision = 'b9d1f3a5c7e8'
down_revision = 'a8c0e2f4b6d7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('workbench_seen_at', portal.db.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('workbench_seen_at')
