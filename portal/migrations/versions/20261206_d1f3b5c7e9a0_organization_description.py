"""what an organisation says about itself on its profile page

Revision ID: d1f3b5c7e9a0
Revises: c0e2a4b6d8f9
Create Date: 2026-12-06 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'd1f3b5c7e9a0'
down_revision = 'c0e2a4b6d8f9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organizations') as batch_op:
        batch_op.add_column(sa.Column('description', sa.Text(), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('organizations') as batch_op:
        batch_op.drop_column('description')
