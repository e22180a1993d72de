"""skill synonyms

Revision ID: 40222106572d
Revises: 76428d26f382
Create Date: 2026-11-23 17:15:07.166455
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = '40222106572d'
down_revision = '76428d26f382'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('skill_synonyms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.String(length=50), nullable=False),
    sa.Column('alias', sa.String(length=50), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_skill_synonyms_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill_synonyms')),
    sa.UniqueConstraint('alias', name=op.f('uq_skill_synonyms_alias'))
    )
    with op.batch_alter_table('skill_synonyms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_synonyms_concept_id'), ['concept_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('skill_synonyms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_synonyms_concept_id'))

    op.drop_table('skill_synonyms')
