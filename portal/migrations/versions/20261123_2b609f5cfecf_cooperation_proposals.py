"""cooperation proposals

Revision ID: 2b609f5cfecf
Revises: a643af27feda
Create Date: 2026-11-23 19:29:48.414362
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '2b609f5cfecf'
down_revision = 'a643af27feda'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('order_training', 'talent_pipeline', 'dual_mentor', 'joint_research', name='cooperationkind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'pending_approval', 'returned', 'active', 'suspended', 'completed', 'declined', 'withdrawn', 'rejected', name='proposalstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('proposer_org_id', sa.Integer(), nullable=False),
    sa.Column('partner_org_id', sa.Integer(), nullable=False),
    sa.Column('awaiting_org_id', sa.Integer(), nullable=True),
    sa.Column('demand_posting_id', sa.Integer(), nullable=True),
    sa.Column('supply_posting_id', sa.Integer(), nullable=True),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('approved_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("(status = 'proposed') = (awaiting_org_id IS NOT NULL)", name=op.f('ck_proposals_awaiting_only_when_proposed')),
    sa.CheckConstraint('proposer_org_id != partner_org_id', name=op.f('ck_proposals_two_parties')),
    sa.ForeignKeyConstraint(['awaiting_org_id'], ['organizations.id'], name=op.f('fk_proposals_awaiting_org_id_organizations')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_proposals_created_by_id_users')),
    sa.ForeignKeyConstraint(['demand_posting_id'], ['postings.id'], name=op.f('fk_proposals_demand_posting_id_postings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_org_id'], ['organizations.id'], name=op.f('fk_proposals_partner_org_id_organizations')),
    sa.ForeignKeyConstraint(['proposer_org_id'], ['organizations.id'], name=op.f('fk_proposals_proposer_org_id_organizations')),
    sa.ForeignKeyConstraint(['supply_posting_id'], ['postings.id'], name=op.f('fk_proposals_supply_posting_id_postings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_partner_org_id'), ['partner_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_proposer_org_id'), ['proposer_org_id'], unique=False)

    op.create_table('proposal_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.Enum('proposed', 'pending_approval', 'returned', 'active', 'suspended', 'completed', 'declined', 'withdrawn', 'rejected', name='from_status', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('to_status', sa.Enum('proposed', 'pending_approval', 'returned', 'active', 'suspended', 'completed', 'declined', 'withdrawn', 'rejected', name='to_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.Enum('enterprise_hr', 'university_staff', 'coordinator', name='role', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_proposal_events_actor_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_events_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_events'))
    )
    with op.batch_alter_table('proposal_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_events_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_proposal_messages_author_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_messages_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_messages'))
    )
    with op.batch_alter_table('proposal_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_messages_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('author_org_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_proposal_versions_author_id_users')),
    sa.ForeignKeyConstraint(['author_org_id'], ['organizations.id'], name=op.f('fk_proposal_versions_author_org_id_organizations')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_versions_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_versions')),
    sa.UniqueConstraint('proposal_id', 'number', name=op.f('uq_proposal_versions_proposal_id'))
    )


def downgrade() -> None:
    op.drop_table('proposal_versions')
    with op.batch_alter_table('proposal_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_messages_proposal_id'))

    op.drop_table('proposal_messages')
    with op.batch_alter_table('proposal_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_events_proposal_id'))

    op.drop_table('proposal_events')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_proposer_org_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_partner_org_id'))

    op.drop_table('proposals')
