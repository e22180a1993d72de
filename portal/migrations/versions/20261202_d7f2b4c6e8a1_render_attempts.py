"""document jobs that failed or were asked for again, shown with a retry

Revision ID: d7f2b4c6e8a1
Revises: c1e4a7b9d3f5
Create Date: 2026-12-02 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.db

revision = 'd7f2b4c6e8a1'
down_revision = 'c1e4a7b9d3f5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'render_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document', sa.String(length=20), nullable=False),
        sa.Column('object_id', sa.Integer(), nullable=False),
        sa.Column('failed_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('retried_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_render_attempts')),
        sa.UniqueConstraint('document', 'object_id',
                            name=op.f('uq_render_attempts_document')),
    )


def downgrade() -> None:
    op.drop_table('render_attempts')
