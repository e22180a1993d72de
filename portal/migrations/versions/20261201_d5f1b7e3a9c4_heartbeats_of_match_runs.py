"""match runs keep a heartbeat

Revision ID: d5f1b7e3a9c4
Revises: c3d8a1f4e6b2
Create Date: 2026-12-01 15:30:00
"""
import sqlalchemy as sa
from alembic import op

import portal.db


revision = 'd5f1b7e3a9c4'
down_revision = 'c3d8a1f4e6b2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('match_runs') as batch:
        batch.add_column(sa.Column('heartbeat_at', portal.db.UTCDateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('match_runs') as batch:
        batch.drop_column('heartbeat_at')
