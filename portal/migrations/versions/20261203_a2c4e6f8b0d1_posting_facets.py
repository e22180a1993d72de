"""what each posting counts under in monitoring (majors, 专业类, skills)

Revision ID: a2c4e6f8b0d1
Revises: f4b6d8e2a3c7
Create Date: 2026-12-03 09:00:00

Existing postings get their facets from `flask init-db` (or `flask monitoring-rebuild`):
deriving them needs the catalogue and the taxonomy, which a migration should not import.
"""
import sqlalchemy as sa
from alembic import op

revision = 'a2c4e6f8b0d1'
down_revision = 'f4b6d8e2a3c7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'posting_facets',
        sa.Column('posting_id', sa.Integer(), nullable=False),
        sa.Column('dimension', sa.Enum('major', 'field', 'skill', name='dimension',
                                       native_enum=False, create_constraint=True, length=5),
                  nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['posting_id'], ['postings.id'],
                                name=op.f('fk_posting_facets_posting_id_postings'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('posting_id', 'dimension', 'key',
                                name=op.f('pk_posting_facets')),
    )
    op.create_index('ix_posting_facets_dimension_key', 'posting_facets', ['dimension', 'key'])


def downgrade() -> None:
    op.drop_index('ix_posting_facets_dimension_key', table_name='posting_facets')
    op.drop_table('posting_facets')
