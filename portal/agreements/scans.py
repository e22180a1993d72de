"""Signed and sealed scans of an agreement: the type is read from the bytes (PDF, JPEG or
PNG), files that are also something else (HTML, script, ZIP, active PDF content) are
refused, and each is stored under a generated name with the uploader's name kept."""
from __future__ import annotations

import hashlib
import io
import re
import secrets
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.agreements.events import SIGNED_SCAN
from portal.agreements.models import Agreement, SignedScan
from portal.agreements.pdf_check import Unreadable, active_content
from portal.agreements.storage import write
from portal.cooperation.services import record_event
from portal.db import utcnow
from portal.errors import DomainError, PermissionDenied, WorkflowError

# Each type's extensions; the first is the one given when the name has another.
EXTENSIONS = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg"),
              "image/png": (".png",)}
NAME_MAX = 200
# What would make a browser, an unzipper or a PDF reader treat the file as something else
# or run it: markup near the start, a ZIP directory at the end, active PDF content.
MARKUP = re.compile(rb"<\s*(?:!doctype|html|script|svg|iframe|object|embed)\b", re.I)
ZIP_DIRECTORY_END = b"PK\x05\x06"
# A scan at 600 dpi on A3 is ~7,000 × 10,000 pixels; beyond that is no scan.
MAX_PIXELS = 80_000_000


class ScanRefused(DomainError):
    pass


def content_type(data: bytes) -> str:
    """The file's type as its bytes show it, or ScanRefused with the reason."""
    if MARKUP.search(data[:4096]) or ZIP_DIRECTORY_END in data[-65_600:]:
        raise ScanRefused(_l("This file also contains web page or archive content; please "
                             "upload a plain PDF or image of the scan."), field="file")
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ScanRefused(_l("This PDF is incomplete or damaged."), field="file")
        try:
            active = active_content(data)
        except Unreadable:
            raise ScanRefused(_l("This PDF cannot be read through (damaged, or protected "
                                 "by a password); please upload the plain scan."),
                              field="file") from None
        if active:
            raise ScanRefused(_l("This PDF contains scripts or attached files; please upload "
                                 "the scan as a plain PDF."), field="file")
        return "application/pdf"
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return _image_type(data)
    raise ScanRefused(_l("Please upload the scan as a PDF, JPEG or PNG file."), field="file")


def _image_type(data: bytes) -> str:
    damaged = ScanRefused(_l("This image is incomplete or damaged."), field="file")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ScanRefused(_l("This image is too large to be a scan."), field="file")
            kind = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(image.format or "")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise damaged from None
    if kind is None:
        raise damaged
    return kind


def reencoded(data: bytes, kind: str) -> bytes:
    """The image drawn afresh from its pixels: whatever else the file carried (metadata,
    a second file appended, comments a browser might sniff) does not survive."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        out = io.BytesIO()
        if kind == "image/jpeg":
            image.convert("RGB" if image.mode not in ("L", "RGB") else image.mode).save(
                out, "JPEG", quality=92)
        else:
            image.save(out, "PNG")
    return out.getvalue()


def display_name(uploaded: str, kind: str) -> str:
    """The uploader's file name without folders or control characters, ending in an
    extension of what the file really is."""
    name = PureWindowsPath(PurePosixPath(uploaded or "").name).name
    name = "".join(ch for ch in unicodedata.normalize("NFC", name)
                   if unicodedata.category(ch)[0] != "C").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    extension = f".{ext}" if f".{ext.lower()}" in EXTENSIONS[kind] else EXTENSIONS[kind][0]
    stem = stem[:NAME_MAX - len(extension)].strip(" .") or "signed-agreement"
    return stem + extension


def upload_scan(session: Session, agreement: Agreement, actor: User, data: bytes,
                filename: str) -> SignedScan:
    """Keep a party's signed scan of the agreement in force; the agreement is signed once
    both parties' are in."""
    if not agreement.can_upload_scan(actor):
        if not agreement.proposal.is_party(actor):
            raise PermissionDenied(_l("Only the two organisations in this agreement can "
                                      "upload its signed copy."))
        raise WorkflowError(_l("Signed copies are uploaded for the version in force only."))
    if not data:
        raise ScanRefused(_l("The file is empty."), field="file")
    limit = current_app.config["SCAN_MAX_BYTES"]
    if len(data) > limit:
        raise ScanRefused(_l("The file is larger than %(mb)d MB; please scan at a lower "
                             "resolution.", mb=limit // (1024 * 1024)), field="file")
    kind = content_type(data)
    if kind != "application/pdf":
        data = reencoded(data, kind)
    scan = SignedScan(agreement_id=agreement.id, original_name=display_name(filename, kind),
                      stored_name=f"scan-{secrets.token_hex(16)}{EXTENSIONS[kind][0]}",
                      content_type=kind, size=len(data),
                      sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=actor.id)
    session.add(scan)
    session.flush()
    session.refresh(agreement, ["scans"])
    if agreement.signed_at is None and agreement.is_signed_by_both:
        agreement.signed_at = utcnow()  # signed once both parties' copies are in
    record_event(session, agreement.proposal, actor, SIGNED_SCAN, agreement.proposal.status,
                 f"{agreement.number} v{agreement.version}: {scan.original_name}")
    write(session, scan.stored_name, data)  # last: a refusal above leaves no file behind
    return scan
