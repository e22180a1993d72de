"""mentor certificates

Revision ID: ca1a7db4c268
Revises: b1f27d7e99d4
Create Date: 2026-11-23 21:54:53.928391
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = 'ca1a7db4c268'
down_revision = 'b1f27d7e99d4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mentor_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=True),
    sa.Column('mentor_name', sa.String(length=100), nullable=False),
    sa.Column('mentor_title', sa.String(length=100), nullable=False),
    sa.Column('term', sa.String(length=60), nullable=False),
    sa.Column('courses', sa.JSON(), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'countersigned', 'declined', name='certificatestatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.Column('filed_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('countersigned_by_id', sa.Integer(), nullable=True),
    sa.Column('countersigned_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('verification_code', sa.String(length=20), nullable=True),
    sa.Column('stored_name', sa.String(length=60), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.CheckConstraint("status != 'countersigned' OR (countersigned_by_id IS NOT NULL AND countersigned_at IS NOT NULL)", name=op.f('ck_mentor_certificates_countersigned_by_someone')),
    sa.CheckConstraint('hours > 0', name=op.f('ck_mentor_certificates_hours_positive')),
    sa.ForeignKeyConstraint(['countersigned_by_id'], ['users.id'], name=op.f('fk_mentor_certificates_countersigned_by_id_users')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_mentor_certificates_filed_by_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_mentor_certificates_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_certificates')),
    sa.UniqueConstraint('number', name=op.f('uq_mentor_certificates_number')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_mentor_certificates_verification_code'))
    )
    with op.batch_alter_table('mentor_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_certificates_proposal_id'), ['proposal_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('mentor_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_certificates_proposal_id'))

    op.drop_table('mentor_certificates')
