"""an organisation's logo, stored under a generated name

Revision ID: e2a4c6b8d0f1
Revises: d1f3b5c7e9a0
Create Date: 2026-12-07 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'e2a4c6b8d0f1'
down_revision = 'd1f3b5c7e9a0'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organizations') as batch_op:
        batch_op.add_column(sa.Column('logo_name', sa.String(length=60), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('organizations') as batch_op:
        batch_op.drop_column('logo_name')
