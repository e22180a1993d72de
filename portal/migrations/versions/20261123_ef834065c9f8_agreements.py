"""agreements

Revision ID: ef834065c9f8
Revises: 200dde5ca61f
Create Date: 2026-11-23 20:24:34.470193
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = 'ef834065c9f8'
down_revision = '200dde5ca61f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('active', 'superseded', 'terminated', name='agreementstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('verification_code', sa.String(length=20), nullable=False),
    sa.Column('stored_name', sa.String(length=60), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('issued_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_agreements_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements')),
    sa.UniqueConstraint('number', name=op.f('uq_agreements_number')),
    sa.UniqueConstraint('proposal_id', 'version', name=op.f('uq_agreements_proposal_id')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_agreements_verification_code'))
    )
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreements_proposal_id'), ['proposal_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreements_proposal_id'))

    op.drop_table('agreements')
