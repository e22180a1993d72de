"""the live-postings index also holds capacity, so unanswered curricula with graduates
are counted from the index alone

Revision ID: a8c0e2f4b6d7
Revises: f7b9d1e3a5c6
Create Date: 2026-12-04 12:00:00
"""
from alembic import op

revision = 'a8c0e2f4b6d7'
down_revision = 'f7b9d1e3a5c6'
branch_labels = None
depends_on = None

BEFORE = ['kind', 'status', 'published_at', 'deadline', 'id']


def upgrade() -> None:
    op.drop_index('ix_postings_kind_live', table_name='postings')
    op.create_index('ix_postings_kind_live', 'postings', [*BEFORE, 'capacity'])


def downgrade() -> None:
    op.drop_index('ix_postings_kind_live', table_name='postings')
    op.create_index('ix_postings_kind_live', 'postings', BEFORE)
