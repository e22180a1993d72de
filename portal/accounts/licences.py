"""The 营业执照 / 办学许可证 scan an organisation attaches for its review: checked as every
upload is (portal.uploads), stored under a generated name, seen by the coordinators and
the organisation's members only. It can be replaced until the organisation is verified."""
from __future__ import annotations

import secrets

from flask import abort, current_app, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from portal import storage
from portal.accounts.models import Organization, User
from portal.errors import PermissionDenied, WorkflowError
from portal.uploads import EXTENSIONS, FileRefused, Upload, accepted, display_name


def checked(upload: Upload, field: str = "file") -> tuple[str, bytes]:
    """The scan's type and the bytes to store, or FileRefused with the reason, shown on
    the form's `field`."""
    try:
        return accepted(upload.data, current_app.config["SCAN_MAX_BYTES"])
    except FileRefused as refused:
        refused.field = field
        raise


def store(session: Session, org: Organization, upload: Upload,
          kind_and_data: tuple[str, bytes] | None = None) -> None:
    """Keep `upload` as `org`'s licence scan, in place of any earlier one."""
    kind, data = kind_and_data or checked(upload)
    org.licence_name = storage.replace(
        session, org.licence_name, f"licence-{secrets.token_hex(16)}{EXTENSIONS[kind][0]}",
        data)
    org.licence_original_name = display_name(upload.filename, kind, fallback="licence")
    org.licence_content_type = kind


def replace(session: Session, org: Organization, actor: User, upload: Upload) -> None:
    """A member attaches or replaces the scan while the organisation awaits review or was
    returned; a verified organisation's scan is the one its verification rests on."""
    if not org.can_edit(actor):
        raise PermissionDenied(_l("You cannot change this organisation."))
    if org.identity_locked:
        raise WorkflowError(_l("Your organisation is verified; its licence scan stays the "
                               "one the coordinators checked."))
    store(session, org, upload)


def download(org: Organization) -> Response:
    """The scan as an attachment under the name it was uploaded with."""
    if org.licence_name is None:
        abort(404)
    return send_file(storage.storage_dir() / org.licence_name, mimetype=org.licence_content_type,
                     as_attachment=True, download_name=org.licence_original_name)
