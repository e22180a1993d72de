"""accounts and organisations

Revision ID: c7c4712eefa5
Revises: 
Create Date: 2026-11-23 15:30:55.217791
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = 'c7c4712eefa5'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_key_created', ['key', 'created_at'], unique=False)

    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('enterprise', 'university', name='orgkind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('school_code', sa.String(length=10), nullable=True),
    sa.Column('district', sa.String(length=50), nullable=False),
    sa.Column('industry', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Enum('micro', 'small', 'medium', 'large', name='enterprisesize', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('level', sa.Enum('undergraduate', 'higher_vocational', 'secondary_vocational', 'technician', 'graduate_school', name='universitylevel', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('representative', sa.String(length=100), nullable=False),
    sa.Column('contact_phone', sa.String(length=30), nullable=False),
    sa.Column('status', sa.Enum('pending', 'verified', 'rejected', name='orgstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('verified_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("(status = 'verified') = (verified_at IS NOT NULL AND verified_by_id IS NOT NULL)", name=op.f('ck_organizations_verified_has_verifier')),
    sa.CheckConstraint("kind != 'enterprise' OR (credit_code IS NOT NULL AND size IS NOT NULL)", name=op.f('ck_organizations_enterprise_fields')),
    sa.CheckConstraint("kind != 'university' OR level IS NOT NULL", name=op.f('ck_organizations_university_fields')),
    sa.CheckConstraint("status != 'rejected' OR rejection_reason IS NOT NULL", name=op.f('ck_organizations_rejected_has_reason')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_organizations_verified_by_id_users'), use_alter=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_organizations_credit_code')),
    sa.UniqueConstraint('school_code', name=op.f('uq_organizations_school_code'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('enterprise_hr', 'university_staff', 'coordinator', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(role = 'coordinator') = (organization_id IS NULL)", name=op.f('ck_users_coordinator_has_no_org')),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_users_email_lower_case')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_users_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('session_token', name=op.f('uq_users_session_token'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_organization_id'), ['organization_id'], unique=False)

    # users and organizations refer to each other: where ALTER exists (PostgreSQL) the
    # organizations -> users key is added now; SQLite took it inline above.
    if op.get_bind().dialect.supports_alter:
        op.create_foreign_key(op.f('fk_organizations_verified_by_id_users'), 'organizations', 'users',
                              ['verified_by_id'], ['id'])

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_invitations_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_organization_id'), ['organization_id'], unique=False)

    op.create_table('organization_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.Enum('submitted', 'verified', 'rejected', name='reviewdecision', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_organization_reviews_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_organization_reviews_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization_reviews'))
    )
    with op.batch_alter_table('organization_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_reviews_organization_id'), ['organization_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('organization_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_reviews_organization_id'))

    op.drop_table('organization_reviews')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_organization_id'))

    op.drop_table('invitations')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_organization_id'))

    if op.get_bind().dialect.supports_alter:
        op.drop_constraint(op.f('fk_organizations_verified_by_id_users'), 'organizations', type_='foreignkey')
    op.drop_table('users')
    op.drop_table('organizations')
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_key_created')

    op.drop_table('login_failures')
