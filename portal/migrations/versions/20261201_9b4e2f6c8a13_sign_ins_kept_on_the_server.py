"""sign-ins kept on the server, in place of one token per user

Revision ID: 9b4e2f6c8a13
Revises: 7d2a4c9e1b05
Create Date: 2026-12-01 14:00:00
"""
import secrets

import sqlalchemy as sa
from alembic import op

import portal.db


revision = '9b4e2f6c8a13'
down_revision = '7d2a4c9e1b05'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Everybody signs in again once: a session carried the user's token, which goes.
    op.create_table(
        'sign_ins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('remembered', sa.Boolean(), nullable=False),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_sign_ins_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_ins')),
        sa.UniqueConstraint('token', name=op.f('uq_sign_ins_token')),
    )
    op.create_index(op.f('ix_sign_ins_user_id'), 'sign_ins', ['user_id'], unique=False)
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint(op.f('uq_users_session_token'), type_='unique')
        batch.drop_column('session_token')


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id).values(
            session_token=secrets.token_urlsafe(32)))
    with op.batch_alter_table('users') as batch:
        batch.alter_column('session_token', nullable=False)
        batch.create_unique_constraint(op.f('uq_users_session_token'), ['session_token'])
    op.drop_index(op.f('ix_sign_ins_user_id'), table_name='sign_ins')
    op.drop_table('sign_ins')
