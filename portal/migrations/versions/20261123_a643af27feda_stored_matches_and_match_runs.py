"""stored matches and match runs

Revision ID: a643af27feda
Revises: 534daac4015e
Create Date: 2026-11-23 18:10:21.586065
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = 'a643af27feda'
down_revision = '534daac4015e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('match_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='matchrunstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('stage', sa.String(length=30), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('postings', sa.Integer(), nullable=False),
    sa.Column('pairs', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_match_runs_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_runs'))
    )
    op.create_table('posting_matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=False),
    sa.Column('supply_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('computed_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['demand_id'], ['postings.id'], name=op.f('fk_posting_matches_demand_id_postings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supply_id'], ['postings.id'], name=op.f('fk_posting_matches_supply_id_postings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posting_matches')),
    sa.UniqueConstraint('demand_id', 'supply_id', name=op.f('uq_posting_matches_demand_id'))
    )
    with op.batch_alter_table('posting_matches', schema=None) as batch_op:
        batch_op.create_index('ix_posting_matches_demand_score', ['demand_id', 'score'], unique=False)
        batch_op.create_index('ix_posting_matches_supply_score', ['supply_id', 'score'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('posting_matches', schema=None) as batch_op:
        batch_op.drop_index('ix_posting_matches_supply_score')
        batch_op.drop_index('ix_posting_matches_demand_score')

    op.drop_table('posting_matches')
    op.drop_table('match_runs')
