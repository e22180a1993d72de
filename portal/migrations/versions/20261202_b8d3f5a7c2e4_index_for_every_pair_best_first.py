"""an index that serves the coordinators' list of every pair, best first

Revision ID: b8d3f5a7c2e4
Revises: a4c7e2b9d1f6
Create Date: 2026-12-02 10:00:00
"""
from alembic import op


revision = 'b8d3f5a7c2e4'
down_revision = 'a4c7e2b9d1f6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_posting_matches_score', 'posting_matches', ['score', 'id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_posting_matches_score', table_name='posting_matches')
