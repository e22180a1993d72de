"""fulfilment of order-based training

Revision ID: 200dde5ca61f
Revises: 812f64326bf7
Create Date: 2026-11-23 19:58:42.294795
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '200dde5ca61f'
down_revision = '812f64326bf7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fulfilments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('enrolled', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.Column('hired', sa.Integer(), nullable=False),
    sa.Column('retained', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('completed <= enrolled AND hired <= completed AND retained <= hired', name=op.f('ck_fulfilments_funnel')),
    sa.CheckConstraint('enrolled >= 0 AND completed >= 0 AND hired >= 0 AND retained >= 0', name=op.f('ck_fulfilments_not_negative')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_fulfilments_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_fulfilments_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfilments')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_fulfilments_proposal_id'))
    )


def downgrade() -> None:
    op.drop_table('fulfilments')
