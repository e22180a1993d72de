"""match dismissals

Revision ID: 534daac4015e
Revises: 40222106572d
Create Date: 2026-11-23 17:23:16.549515
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '534daac4015e'
down_revision = '40222106572d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('match_dismissals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('other_posting_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('dismissed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dismissed_by_id'], ['users.id'], name=op.f('fk_match_dismissals_dismissed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['other_posting_id'], ['postings.id'], name=op.f('fk_match_dismissals_other_posting_id_postings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_match_dismissals_posting_id_postings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_dismissals')),
    sa.UniqueConstraint('posting_id', 'other_posting_id', name=op.f('uq_match_dismissals_posting_id'))
    )
    with op.batch_alter_table('match_dismissals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_dismissals_posting_id'), ['posting_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('match_dismissals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_dismissals_posting_id'))

    op.drop_table('match_dismissals')
