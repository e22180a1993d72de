"""An organisation's logo: a PNG or JPEG checked by its bytes, drawn afresh as a PNG no
larger than LOGO_SIDE pixels (so nothing else the file carried survives), stored under
a generated name; the previous file is removed once the change is committed."""
from __future__ import annotations

import io
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image
from sqlalchemy.orm import Session

from portal.accounts.models import Organization, User
from portal.errors import PermissionDenied
from portal.storage import remove_after_commit, replace
from portal.uploads import FileRefused, image_type

LOGO_SIDE = 400


def logo_png(data: bytes) -> bytes:
    """The uploaded image as the PNG the portal serves, or FileRefused with the reason."""
    limit = current_app.config["LOGO_MAX_BYTES"]
    if len(data) > limit:
        raise FileRefused(_l("The logo is larger than %(mb)d MB; please upload a smaller "
                             "image.", mb=limit // (1024 * 1024)), field="file")
    image_type(data)
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        picture = image.convert("RGBA")
    picture.thumbnail((LOGO_SIDE, LOGO_SIDE))
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    return out.getvalue()


def _check_editable(org: Organization, actor: User) -> None:
    if not org.can_edit(actor):
        raise PermissionDenied(_l("You cannot change this organisation."))


def set_logo(session: Session, org: Organization, actor: User, data: bytes) -> None:
    _check_editable(org, actor)
    org.logo_name = replace(session, org.logo_name, f"logo-{secrets.token_hex(16)}.png",
                            logo_png(data))


def remove_logo(session: Session, org: Organization, actor: User) -> None:
    _check_editable(org, actor)
    if org.logo_name:
        remove_after_commit(session, org.logo_name)
        org.logo_name = None
