"""alerts: saved searches, match alert settings, what was told, daily digests

Revision ID: ec441c57cce3
Revises: f3b5d7a9c1e2
Create Date: 2026-12-09 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.db

revision = 'ec441c57cce3'
down_revision = 'f3b5d7a9c1e2'
branch_labels = None
depends_on = None

DELIVERIES = ('immediate', 'daily', 'none')


def _delivery(name: str) -> sa.Enum:
    return sa.Enum(*DELIVERIES, name=name, native_enum=False, create_constraint=True)


def _user(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                   name=op.f(f'fk_{table}_user_id_users'))


def _when(name: str) -> sa.Column:
    return sa.Column(name, portal.db.UTCDateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        'alert_settings',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('match_delivery', _delivery('match_delivery'), nullable=False),
        sa.Column('match_min_score', sa.Integer(), nullable=False),
        _user('alert_settings'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_alert_settings')))
    op.create_table(
        'digests_sent',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('items', sa.Integer(), nullable=False),
        _when('sent_at'),
        _user('digests_sent'),
        sa.PrimaryKeyConstraint('user_id', 'day', name=op.f('pk_digests_sent')))
    op.create_table(
        'saved_searches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('filters', sa.JSON(), nullable=False),
        sa.Column('delivery', _delivery('delivery'), nullable=False),
        _when('created_at'),
        _user('saved_searches'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches')))
    with op.batch_alter_table('saved_searches') as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_searches_user_id'), ['user_id'],
                              unique=False)
    op.create_table(
        'alerts_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('posting_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=False),
        _when('created_at'),
        sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], ondelete='CASCADE',
                                name=op.f('fk_alerts_sent_posting_id_postings')),
        _user('alerts_sent'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts_sent')),
        sa.UniqueConstraint('user_id', 'posting_id', 'reason',
                            name=op.f('uq_alerts_sent_user_id')))
    with op.batch_alter_table('notifications') as batch_op:
        batch_op.add_column(sa.Column('digest', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('notifications') as batch_op:
        batch_op.drop_column('digest')
    op.drop_table('alerts_sent')
    with op.batch_alter_table('saved_searches') as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_searches_user_id'))
    op.drop_table('saved_searches')
    op.drop_table('digests_sent')
    op.drop_table('alert_settings')
