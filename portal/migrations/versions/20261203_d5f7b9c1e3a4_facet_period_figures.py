"""posting facets carry their posting's publication time, side and people

Revision ID: d5f7b9c1e3a4
Revises: c4e6a8b0d2f3
Create Date: 2026-12-03 18:00:00

The balance of a period then reads one index range of the facets instead of looking up
every posting of the period (at 100,000 postings: about 100 ms a query, before).
"""
import sqlalchemy as sa
from alembic import op

import portal.db

revision = 'd5f7b9c1e3a4'
down_revision = 'c4e6a8b0d2f3'
branch_labels = None
depends_on = None

# The facets' copies, filled from the postings (the rule of portal.monitoring.facets.people).
BACKFILL = """
UPDATE posting_facets SET
  published_at = (SELECT p.published_at FROM postings p WHERE p.id = posting_facets.posting_id),
  is_demand = (SELECT p.kind IN ('talent_demand', 'training_order') FROM postings p
               WHERE p.id = posting_facets.posting_id),
  people = (SELECT CASE WHEN p.kind IN ('talent_demand', 'training_order')
                        THEN COALESCE(p.headcount, 1) ELSE COALESCE(p.capacity, 0) END
            FROM postings p WHERE p.id = posting_facets.posting_id)
"""


def upgrade() -> None:
    with op.batch_alter_table('posting_facets') as batch_op:
        batch_op.add_column(sa.Column('published_at', portal.db.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('is_demand', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('people', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.create_index('ix_posting_facets_period', ['dimension', 'published_at', 'key',
                                                           'is_demand', 'people', 'label'])
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table('posting_facets') as batch_op:
        batch_op.drop_index('ix_posting_facets_period')
        batch_op.drop_column('people')
        batch_op.drop_column('is_demand')
        batch_op.drop_column('published_at')
