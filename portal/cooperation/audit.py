"""The audit trail as a spreadsheet for coordinators (CSV, UTF-8 with BOM for Excel)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import to_user_timezone
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.cooperation.models import ProposalEvent
from portal.spreadsheets import csv_bytes
from portal.templating import time_zone_name


def audit_csv(session: Session) -> bytes:
    events = session.scalars(select(ProposalEvent).options(
        selectinload(ProposalEvent.proposal), selectinload(ProposalEvent.actor))
        .order_by(ProposalEvent.id)).all()
    rows = [[_("Proposal"), _("Cooperation"), _("Kind"), _("Action"), _("From"), _("To"),
             _("Who"), _("Role"), _("When (%(zone)s)", zone=time_zone_name()), _("Version"),
             _("Comment")]]
    for e in events:
        # The portal's one time zone, as on its pages (the header names it).
        when = to_user_timezone(e.created_at).strftime("%Y-%m-%d %H:%M:%S")
        rows.append([e.proposal_id, e.proposal.title, str(e.proposal.kind.label), e.action,
                     str(e.from_status.label) if e.from_status else "", str(e.to_status.label),
                     e.actor.name if e.actor else "", str(e.actor_role.label) if e.actor_role
                     else "", when, e.version_number, e.comment])
    return csv_bytes(rows)
