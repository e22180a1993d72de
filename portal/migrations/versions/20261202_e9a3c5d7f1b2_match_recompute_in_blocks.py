"""a full match recompute split into blocks that several workers score

Revision ID: e9a3c5d7f1b2
Revises: d7f2b4c6e8a1
Create Date: 2026-12-02 13:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.db

revision = 'e9a3c5d7f1b2'
down_revision = 'd7f2b4c6e8a1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'match_run_blocks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('block', sa.Integer(), nullable=False),
        sa.Column('done', sa.Boolean(), nullable=False),
        sa.Column('finished_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['run_id'], ['match_runs.id'],
                                name=op.f('fk_match_run_blocks_run_id_match_runs'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_match_run_blocks')),
        sa.UniqueConstraint('run_id', 'block', name=op.f('uq_match_run_blocks_run_id')),
    )
    op.create_table(
        'match_block_pairs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('block', sa.Integer(), nullable=False),
        sa.Column('demand_id', sa.Integer(), nullable=False),
        sa.Column('supply_id', sa.Integer(), nullable=False),
        sa.Column('score', sa.Double(), nullable=False),
        sa.Column('explanation', sa.JSON(), nullable=False),
        sa.Column('for_demand', sa.Boolean(), nullable=False),
        sa.Column('for_supply', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['match_runs.id'],
                                name=op.f('fk_match_block_pairs_run_id_match_runs'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_match_block_pairs')),
    )
    op.create_index('ix_match_block_pairs_run_block', 'match_block_pairs',
                    ['run_id', 'block'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_match_block_pairs_run_block', table_name='match_block_pairs')
    op.drop_table('match_block_pairs')
    op.drop_table('match_run_blocks')
