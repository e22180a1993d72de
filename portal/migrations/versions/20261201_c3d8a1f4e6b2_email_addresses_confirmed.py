"""users confirm their e-mail address

Revision ID: c3d8a1f4e6b2
Revises: 9b4e2f6c8a13
Create Date: 2026-12-01 15:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.db


revision = 'c3d8a1f4e6b2'
down_revision = '9b4e2f6c8a13'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('email_confirmed_at', portal.db.UTCDateTime(timezone=True),
                                   nullable=True))
    # Accounts from before were trusted as they are: count them confirmed.
    op.execute("UPDATE users SET email_confirmed_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('email_confirmed_at')
