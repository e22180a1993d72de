"""agreements are signed once both parties uploaded their copy

Revision ID: 3c5e1f2a9b7d
Revises: 612b739f16a9
Create Date: 2026-12-01 11:30:00
"""
from alembic import op


revision = '3c5e1f2a9b7d'
down_revision = '612b739f16a9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Before, any one upload marked an agreement signed: those with one party's copy only
    # are not signed yet. (Agreements both parties signed keep their first upload's time.)
    op.execute("""
        UPDATE agreements SET signed_at = NULL
        WHERE signed_at IS NOT NULL AND (
            SELECT COUNT(DISTINCT users.organization_id)
            FROM agreement_scans JOIN users ON users.id = agreement_scans.uploaded_by_id
            WHERE agreement_scans.agreement_id = agreements.id) < 2
    """)


def downgrade() -> None:
    pass  # the earlier rule cannot be told apart from data: nothing to restore
