"""published quarterly supply–demand reports

Revision ID: c4e6a8b0d2f3
Revises: b3d5f7a9c1e2
Create Date: 2026-12-03 15:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.db

revision = 'c4e6a8b0d2f3'
down_revision = 'b3d5f7a9c1e2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'monitoring_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('district', sa.String(length=50), nullable=False),
        sa.Column('stored_name', sa.String(length=80), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.Column('published_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['published_by_id'], ['users.id'],
                                name=op.f('fk_monitoring_reports_published_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_reports')),
    )
    op.create_index(op.f('ix_monitoring_reports_published_at'), 'monitoring_reports',
                    ['published_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_monitoring_reports_published_at'), table_name='monitoring_reports')
    op.drop_table('monitoring_reports')
