"""words demands list beside known skills that the vocabulary lacks (candidate vocabulary)

The facets are emptied so that `init-db` derives facets and terms anew (rebuild_if_missing).

Revision ID: f7b9d1e3a5c6
Revises: e6a8c0d2f4b5
Create Date: 2026-12-04 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.db

revision = 'f7b9d1e3a5c6'
down_revision = 'e6a8c0d2f4b5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'posting_terms',
        sa.Column('posting_id', sa.Integer(), nullable=False),
        sa.Column('term', sa.String(length=50), nullable=False),
        sa.Column('published_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['posting_id'], ['postings.id'],
                                name=op.f('fk_posting_terms_posting_id_postings'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('posting_id', 'term', name=op.f('pk_posting_terms')),
    )
    op.create_index('ix_posting_terms_published_term', 'posting_terms',
                    ['published_at', 'term'])
    op.execute('DELETE FROM posting_facets')


def downgrade() -> None:
    op.drop_index('ix_posting_terms_published_term', table_name='posting_terms')
    op.drop_table('posting_terms')
