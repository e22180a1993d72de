"""an index that serves browsing live postings newest first

Revision ID: f3b6d8a1c2e9
Revises: e7a2c9d4f1b8
Create Date: 2026-12-01 16:30:00
"""
from alembic import op


revision = 'f3b6d8a1c2e9'
down_revision = 'e7a2c9d4f1b8'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_postings_status_published', 'postings',
                    ['status', 'published_at', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_postings_status_published', table_name='postings')
