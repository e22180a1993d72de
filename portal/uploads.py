"""Uploaded files checked by their bytes, not their names: PDF, JPEG or PNG; files that
are also something else (HTML, script, ZIP, active PDF content) are refused; images are
drawn afresh so nothing else they carried survives; the uploader's file name is tidied."""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from portal.errors import DomainError
from portal.pdf_check import Unreadable, active_content

# Each type's extensions; the first is the one given when the name has another.
EXTENSIONS = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg"),
              "image/png": (".png",)}
NAME_MAX = 200
# What would make a browser, an unzipper or a PDF reader treat the file as something else
# or run it: markup near the start, a ZIP directory at the end, active PDF content.
MARKUP = re.compile(rb"<\s*(?:!doctype|html|script|svg|iframe|object|embed)\b", re.I)
ZIP_DIRECTORY_END = b"PK\x05\x06"
# A scan at 600 dpi on A3 is ~7,000 × 10,000 pixels; beyond that is no scan or logo.
MAX_PIXELS = 80_000_000


class FileRefused(DomainError):
    pass


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: its bytes and the name it had on the sender's disk."""

    data: bytes
    filename: str


def content_type(data: bytes) -> str:
    """The file's type as its bytes show it, or FileRefused with the reason."""
    if MARKUP.search(data[:4096]) or ZIP_DIRECTORY_END in data[-65_600:]:
        raise FileRefused(_l("This file also contains web page or archive content; please "
                             "upload a plain PDF or image of the scan."), field="file")
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise FileRefused(_l("This PDF is incomplete or damaged."), field="file")
        try:
            active = active_content(data)
        except Unreadable:
            raise FileRefused(_l("This PDF cannot be read through (damaged, or protected "
                                 "by a password); please upload the plain scan."),
                              field="file") from None
        if active:
            raise FileRefused(_l("This PDF contains scripts or attached files; please upload "
                                 "the scan as a plain PDF."), field="file")
        return "application/pdf"
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return _image_type(data)
    raise FileRefused(_l("Please upload the scan as a PDF, JPEG or PNG file."), field="file")


def _image_type(data: bytes) -> str:
    damaged = FileRefused(_l("This image is incomplete or damaged."), field="file")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise FileRefused(_l("This image has more than %(mp)d million pixels; please "
                                     "upload a smaller one.", mp=MAX_PIXELS // 1_000_000),
                                  field="file")
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


def display_name(uploaded: str, kind: str, fallback: str = "signed-agreement") -> str:
    """The uploader's file name without folders or control characters, ending in an
    extension of what the file really is."""
    name = PureWindowsPath(PurePosixPath(uploaded or "").name).name
    name = "".join(ch for ch in unicodedata.normalize("NFC", name)
                   if unicodedata.category(ch)[0] != "C").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    extension = f".{ext}" if f".{ext.lower()}" in EXTENSIONS[kind] else EXTENSIONS[kind][0]
    stem = stem[:NAME_MAX - len(extension)].strip(" .") or fallback
    return stem + extension


def accepted(data: bytes, limit: int) -> tuple[str, bytes]:
    """An uploaded scan's type and the bytes to store (images drawn afresh), or
    FileRefused with the reason: empty, over `limit` bytes, or not a plain PDF or image."""
    if not data:
        raise FileRefused(_l("The file is empty."), field="file")
    if len(data) > limit:
        raise FileRefused(_l("The file is larger than %(mb)d MB; please scan at a lower "
                             "resolution.", mb=limit // (1024 * 1024)), field="file")
    kind = content_type(data)
    return kind, data if kind == "application/pdf" else reencoded(data, kind)


def image_type(data: bytes) -> str:
    """A JPEG's or PNG's type, or FileRefused: for uploads that must be a picture."""
    if not data:
        raise FileRefused(_l("The file is empty."), field="file")
    if not data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        raise FileRefused(_l("Please upload a PNG or JPEG image."), field="file")
    return _image_type(data)
