"""imports run as background jobs

Revision ID: e7a2c9d4f1b8
Revises: d5f1b7e3a9c4
Create Date: 2026-12-01 16:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.db


revision = 'e7a2c9d4f1b8'
down_revision = 'd5f1b7e3a9c4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'import_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('stored_name', sa.String(length=80), nullable=False),
        sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed',
                                    name='importstatus', native_enum=False,
                                    create_constraint=True, length=7), nullable=False),
        sa.Column('records', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('report', sa.JSON(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('started_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('finished_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('heartbeat_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_import_runs_requested_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_runs')),
    )
    op.create_index(op.f('ix_import_runs_requested_at'), 'import_runs', ['requested_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_import_runs_requested_at'), table_name='import_runs')
    op.drop_table('import_runs')
