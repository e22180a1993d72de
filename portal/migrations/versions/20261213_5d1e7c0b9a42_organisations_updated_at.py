"""organisations updated_at

Revision ID: 5d1e7c0b9a42
Revises: a2e8931bca3f
Create Date: 2026-12-04 19:55:00
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '5d1e7c0b9a42'
down_revision = 'a2e8931bca3f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', portal.db.UTCDateTime(timezone=True),
                                      nullable=True))
    # An organisation changed last when it was made, as far as anyone knows.
    op.execute("UPDATE organizations SET updated_at = created_at")
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.alter_column('updated_at', existing_type=portal.db.UTCDateTime(timezone=True),
                              nullable=False)
        batch_op.create_index(batch_op.f('ix_organizations_updated_at'), ['updated_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizations_updated_at'))
        batch_op.drop_column('updated_at')
