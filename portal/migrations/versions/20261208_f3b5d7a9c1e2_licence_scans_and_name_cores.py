"""the licence scan attached at registration, and the name core that finds one
organisation registered twice under names differing in place or legal form

Revision ID: f3b5d7a9c1e2
Revises: e2a4c6b8d0f1
Create Date: 2026-12-08 09:00:00
"""
import sqlalchemy as sa
from alembic import op

from portal.accounts.lookalike import name_core

revision = 'f3b5d7a9c1e2'
down_revision = 'e2a4c6b8d0f1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organizations') as batch_op:
        batch_op.add_column(sa.Column('name_core', sa.String(length=400), server_default='',
                                      nullable=False))
        batch_op.create_index('ix_organizations_name_core', ['name_core'], unique=False)
        batch_op.add_column(sa.Column('licence_name', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('licence_original_name', sa.String(length=200),
                                      nullable=True))
        batch_op.add_column(sa.Column('licence_content_type', sa.String(length=40),
                                      nullable=True))
    table = sa.table('organizations', sa.column('id', sa.Integer),
                     sa.column('name', sa.String), sa.column('name_core', sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(table.c.id, table.c.name)).all()
    if rows:
        connection.execute(
            table.update().where(table.c.id == sa.bindparam('row_id'))
            .values(name_core=sa.bindparam('core')),
            [{'row_id': row_id, 'core': name_core(name or '')} for row_id, name in rows])


def downgrade() -> None:
    with op.batch_alter_table('organizations') as batch_op:
        batch_op.drop_column('licence_content_type')
        batch_op.drop_column('licence_original_name')
        batch_op.drop_column('licence_name')
        batch_op.drop_index('ix_organizations_name_core')
        batch_op.drop_column('name_core')
