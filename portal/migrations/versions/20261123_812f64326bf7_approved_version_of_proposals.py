"""approved version of proposals

Revision ID: 812f64326bf7
Revises: 94b8c614fbd1
Create Date: 2026-11-23 19:53:31.150222
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '812f64326bf7'
down_revision = '94b8c614fbd1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_version', sa.Integer(), nullable=True))
    # Partnerships approved before this column existed: their current terms are in force.
    op.execute("UPDATE proposals SET approved_version = current_version "
               "WHERE status IN ('active', 'suspended', 'completed')")


def downgrade() -> None:
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('approved_version')

