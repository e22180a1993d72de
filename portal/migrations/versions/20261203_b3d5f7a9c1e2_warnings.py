"""coordinators' warning rules, the warnings they fire and the invitations answering them

Revision ID: b3d5f7a9c1e2
Revises: a2c4e6f8b0d1
Create Date: 2026-12-03 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.db

revision = 'b3d5f7a9c1e2'
down_revision = 'a2c4e6f8b0d1'
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True,
                   length=max(len(v) for v in values))


def upgrade() -> None:
    op.create_table(
        'warning_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', _enum('rulekind', 'ratio_above', 'unmatched_for', 'hires_below'), nullable=False),
        sa.Column('dimension', _enum('dimension', 'major', 'field', 'skill'), nullable=True),
        sa.Column('period_kind', _enum('periodkind', 'month', 'quarter', 'year'),
                  nullable=False),
        sa.Column('threshold', sa.Double(), nullable=False),
        sa.Column('span', sa.Integer(), nullable=False),
        sa.Column('is_active', sa.Boolean(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint('span >= 1', name=op.f('ck_warning_rules_span_positive')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_warning_rules_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_warning_rules')),
    )
    op.create_table(
        'monitoring_warnings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('rule_id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=140), nullable=False),
        sa.Column('episode', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=300), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('state', _enum('warningstate', 'new', 'acknowledged', 'responded', 'closed'),
                  nullable=False),
        sa.Column('holds', sa.Boolean(), nullable=False),
        sa.Column('fired_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('checked_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('acknowledged_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('responded_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('response', sa.Text(), nullable=False),
        sa.Column('closed_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('handled_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'],
                                name=op.f('fk_monitoring_warnings_handled_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['rule_id'], ['warning_rules.id'],
                                name=op.f('fk_monitoring_warnings_rule_id_warning_rules'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_warnings')),
        sa.UniqueConstraint('rule_id', 'subject', 'episode',
                            name=op.f('uq_monitoring_warnings_rule_id')),
    )
    op.create_index(op.f('ix_monitoring_warnings_fired_at'), 'monitoring_warnings',
                    ['fired_at'])
    op.create_index(op.f('ix_monitoring_warnings_rule_id'), 'monitoring_warnings',
                    ['rule_id'])
    op.create_table(
        'warning_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('warning_id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('invited_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'],
                                name=op.f('fk_warning_invitations_invited_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(
            ['organization_id'], ['organizations.id'],
            name=op.f('fk_warning_invitations_organization_id_organizations'),
            ondelete='CASCADE'),
        sa.ForeignKeyConstraint(
            ['warning_id'], ['monitoring_warnings.id'],
            name=op.f('fk_warning_invitations_warning_id_monitoring_warnings'),
            ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_warning_invitations')),
        sa.UniqueConstraint('warning_id', 'organization_id',
                            name=op.f('uq_warning_invitations_warning_id')),
    )


def downgrade() -> None:
    op.drop_table('warning_invitations')
    op.drop_index(op.f('ix_monitoring_warnings_rule_id'), table_name='monitoring_warnings')
    op.drop_index(op.f('ix_monitoring_warnings_fired_at'), table_name='monitoring_warnings')
    op.drop_table('monitoring_warnings')
    op.drop_table('warning_rules')
