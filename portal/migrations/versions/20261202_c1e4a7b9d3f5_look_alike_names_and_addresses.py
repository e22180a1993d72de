"""what organisation names and e-mail addresses look like, to flag look-alikes

Revision ID: c1e4a7b9d3f5
Revises: b8d3f5a7c2e4
Create Date: 2026-12-02 11:00:00
"""
import sqlalchemy as sa
from alembic import op

from portal.accounts.lookalike import skeleton

revision = 'c1e4a7b9d3f5'
down_revision = 'b8d3f5a7c2e4'
branch_labels = None
depends_on = None

COLUMNS = (('organizations', 'name', 'name_skeleton'), ('users', 'email', 'email_skeleton'))


def upgrade() -> None:
    connection = op.get_bind()
    for table_name, source, target in COLUMNS:
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.add_column(sa.Column(target, sa.String(length=400), server_default='',
                                          nullable=False))
            batch_op.create_index(f'ix_{table_name}_{target}', [target], unique=False)
        table = sa.table(table_name, sa.column('id', sa.Integer), sa.column(source, sa.String),
                         sa.column(target, sa.String))
        rows = connection.execute(sa.select(table.c.id, table.c[source])).all()
        if rows:
            connection.execute(
                table.update().where(table.c.id == sa.bindparam('row_id'))
                .values({target: sa.bindparam('shape')}),
                [{'row_id': row_id, 'shape': skeleton(text or '')} for row_id, text in rows])


def downgrade() -> None:
    for table_name, _source, target in COLUMNS:
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table_name}_{target}')
            batch_op.drop_column(target)
