"""an index answering "flagged live postings, oldest first" for coordinators' workbench

Revision ID: c0e2a4b6d8f9
Revises: b9d1f3a5c7e8
Create Date: 2026-12-05 10:00:00
"""
from alembic import op

revision = 'c0e2a4b6d8f9'
down_revision = 'b9d1f3a5c7e8'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_postings_flagged_live', 'postings',
                    ['is_flagged', 'status', 'published_at', 'deadline', 'id'])


def downgrade() -> None:
    op.drop_index('ix_postings_flagged_live', table_name='postings')
