"""organisation refs and postings

Revision ID: 76428d26f382
Revises: c7c4712eefa5
Create Date: 2026-11-23 16:03:06.244450
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '76428d26f382'
down_revision = 'c7c4712eefa5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('postings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('talent_demand', 'training_order', 'research_topic', 'curriculum', 'mentor_offer', name='postingkind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'closed', 'expired', name='postingstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('external_ref', sa.String(length=100), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('courses', sa.JSON(), nullable=False),
    sa.Column('major', sa.String(length=200), nullable=False),
    sa.Column('district', sa.String(length=50), nullable=False),
    sa.Column('industry', sa.String(length=100), nullable=False),
    sa.Column('education', sa.Enum('secondary_vocational', 'higher_vocational', 'bachelor', 'master', 'doctorate', name='educationlevel', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('headcount', sa.Integer(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('budget', sa.Integer(), nullable=True),
    sa.Column('hire_count', sa.Integer(), nullable=True),
    sa.Column('salary_min', sa.Integer(), nullable=True),
    sa.Column('salary_max', sa.Integer(), nullable=True),
    sa.Column('duration_months', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('diagnosis', sa.JSON(), nullable=False),
    sa.Column('is_flagged', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("(status = 'draft') = (published_at IS NULL)", name=op.f('ck_postings_published_has_time')),
    sa.CheckConstraint('budget IS NULL OR budget >= 0', name=op.f('ck_postings_budget_not_negative')),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_postings_capacity_not_negative')),
    sa.CheckConstraint('headcount IS NULL OR headcount >= 0', name=op.f('ck_postings_headcount_not_negative')),
    sa.CheckConstraint('hire_count IS NULL OR hire_count >= 0', name=op.f('ck_postings_hires_not_negative')),
    sa.CheckConstraint('salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max', name=op.f('ck_postings_salary_range')),
    sa.CheckConstraint('start_date IS NULL OR end_date IS NULL OR start_date <= end_date', name=op.f('ck_postings_date_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_postings_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_postings_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_postings')),
    sa.UniqueConstraint('external_ref', name=op.f('uq_postings_external_ref'))
    )
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postings_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_postings_is_flagged'), ['is_flagged'], unique=False)
        batch_op.create_index('ix_postings_kind_status', ['kind', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_postings_organization_id'), ['organization_id'], unique=False)

    op.create_table('posting_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_posting_revisions_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_posting_revisions_posting_id_postings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posting_revisions'))
    )
    with op.batch_alter_table('posting_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posting_revisions_posting_id'), ['posting_id'], unique=False)

    op.create_table('posting_skills',
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_posting_skills_posting_id_postings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('posting_id', 'tag', name=op.f('pk_posting_skills'))
    )
    with op.batch_alter_table('posting_skills', schema=None) as batch_op:
        batch_op.create_index('ix_posting_skills_tag', ['tag'], unique=False)

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_ref', sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_organizations_external_ref'), ['external_ref'])
        # Imported enterprises are identified by their source reference until they register.
        batch_op.drop_constraint(op.f('ck_organizations_enterprise_fields'), type_='check')
        batch_op.drop_constraint(op.f('ck_organizations_university_fields'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_organizations_enterprise_identified'),
            "kind != 'enterprise' OR credit_code IS NOT NULL OR external_ref IS NOT NULL")



def downgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_organizations_enterprise_identified'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_organizations_enterprise_fields'),
            "kind != 'enterprise' OR (credit_code IS NOT NULL AND size IS NOT NULL)")
        batch_op.create_check_constraint(
            op.f('ck_organizations_university_fields'), "kind != 'university' OR level IS NOT NULL")
        batch_op.drop_constraint(batch_op.f('uq_organizations_external_ref'), type_='unique')
        batch_op.drop_column('external_ref')

    with op.batch_alter_table('posting_skills', schema=None) as batch_op:
        batch_op.drop_index('ix_posting_skills_tag')

    op.drop_table('posting_skills')
    with op.batch_alter_table('posting_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posting_revisions_posting_id'))

    op.drop_table('posting_revisions')
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_postings_organization_id'))
        batch_op.drop_index('ix_postings_kind_status')
        batch_op.drop_index(batch_op.f('ix_postings_is_flagged'))
        batch_op.drop_index(batch_op.f('ix_postings_deadline'))

    op.drop_table('postings')
