"""proposals may be terminated early

Revision ID: a5b7d9b433db
Revises: ef834065c9f8
Create Date: 2026-11-23 21:36:22.645649
"""
from alembic import op

revision = 'a5b7d9b433db'
down_revision = 'ef834065c9f8'
branch_labels = None
depends_on = None

BEFORE = ("proposed", "pending_approval", "returned", "active", "suspended", "completed",
          "declined", "withdrawn", "rejected")
AFTER = (*BEFORE, "terminated")
# (table, column, constraint name before the naming convention's ck_<table>_ prefix)
COLUMNS = (("proposals", "status", "proposalstatus"),
           ("proposal_events", "from_status", "from_status"),
           ("proposal_events", "to_status", "to_status"))


def _allow(statuses: tuple[str, ...]) -> None:
    # A status CHECK constraint cannot be altered in place: replace it (SQLite: the
    # batch copies the table).
    listed = ", ".join(f"'{status}'" for status in statuses)
    for table, column, name in COLUMNS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            batch_op.create_check_constraint(name, f"{column} IN ({listed})")


def upgrade() -> None:
    _allow(AFTER)


def downgrade() -> None:
    _allow(BEFORE)
