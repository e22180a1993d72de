"""an index answering "live postings of these kinds published before a day" by itself

Revision ID: e6a8c0d2f4b5
Revises: d5f7b9c1e3a4
Create Date: 2026-12-03 20:00:00
"""
from alembic import op

revision = 'e6a8c0d2f4b5'
down_revision = 'd5f7b9c1e3a4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_postings_kind_live', 'postings',
                    ['kind', 'status', 'published_at', 'deadline', 'id'])


def downgrade() -> None:
    op.drop_index('ix_postings_kind_live', table_name='postings')
