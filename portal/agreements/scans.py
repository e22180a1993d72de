"""Signed and sealed scans of an agreement, checked as every upload is (portal.uploads) and
stored under a generated name with the uploader's name kept."""
from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.agreements.events import SIGNED_SCAN
from portal.agreements.models import Agreement, SignedScan
from portal.cooperation.services import record_event
from portal.db import utcnow
from portal.errors import PermissionDenied, WorkflowError
from portal.signals import agreement_signed
from portal.storage import write
from portal.uploads import EXTENSIONS, accepted, display_name


def upload_scan(session: Session, agreement: Agreement, actor: User, data: bytes,
                filename: str) -> SignedScan:
    """Keep a party's signed scan of the agreement in force; the agreement is signed once
    both parties' are in."""
    if not agreement.can_upload_scan(actor):
        if not agreement.proposal.is_party(actor):
            raise PermissionDenied(_l("Only the two organisations in this agreement can "
                                      "upload its signed copy."))
        raise WorkflowError(_l("Signed copies are uploaded for the version in force only."))
    kind, data = accepted(data, current_app.config["SCAN_MAX_BYTES"])
    scan = SignedScan(agreement_id=agreement.id, original_name=display_name(filename, kind),
                      stored_name=f"scan-{secrets.token_hex(16)}{EXTENSIONS[kind][0]}",
                      content_type=kind, size=len(data),
                      sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=actor.id)
    session.add(scan)
    session.flush()
    session.refresh(agreement, ["scans"])
    if agreement.signed_at is None and agreement.is_signed_by_both:
        agreement.signed_at = utcnow()  # signed once both parties' copies are in
        agreement_signed.send(agreement, session=session)
    record_event(session, agreement.proposal, actor, SIGNED_SCAN, agreement.proposal.status,
                 f"{agreement.number} v{agreement.version}: {scan.original_name}")
    write(session, scan.stored_name, data)  # last: a refusal above leaves no file behind
    return scan
