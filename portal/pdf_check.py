"""Whether an uploaded PDF could run something in its reader's hands. The file is parsed
(pypdf), so names written in escapes (/J#61vaScript) and objects compressed inside
object streams are read as the reader will read them; every object is looked at."""
from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Keys that carry scripts, launchers, attachments, forms that post elsewhere or media.
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles",
                         "/EF", "/RichMedia", "/XFA", "/AA"})
# Actions (/S) that do more than move within the document or open a link.
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/SubmitForm",
                            "/Rendition", "/GoToE", "/RichMediaExecute", "/Movie", "/Sound"})
MAX_OBJECTS = 200_000  # a scan has dozens; beyond this it is no scan


class Unreadable(Exception):
    """Not a PDF this check can read through: damaged, encrypted or absurdly large."""


def active_content(data: bytes) -> bool:
    """True when the PDF holds active content anywhere; Unreadable when it cannot tell."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is our answer
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise Unreadable("encrypted")
        numbers = {(number, generation) for generation, objects in reader.xref.items()
                   for number in objects}
        numbers |= {(number, 0) for number in reader.xref_objStm}
        if len(numbers) > MAX_OBJECTS:
            raise Unreadable("too many objects")
        values = [reader.trailer] + [IndirectObject(number, generation, reader)
                                     for number, generation in sorted(numbers)]
        return any(_is_active(value) for value in values)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        raise Unreadable(str(error)) from None


def _is_active(value: object) -> bool:
    """Looks at `value` and what it holds directly (referenced objects are looked at on
    their own, so the walk is linear in the file)."""
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, DictionaryObject):
        if ACTIVE_KEYS & set(value.keys()) or value.get("/S") in ACTIVE_ACTIONS:
            return True
        opening = value.get("/OpenAction")
        if isinstance(opening, IndirectObject):
            opening = opening.get_object()
        if isinstance(opening, DictionaryObject) and opening.get("/S") != NameObject("/GoTo"):
            return True
        return any(_is_active(inner) for inner in value.values()
                   if isinstance(inner, (DictionaryObject, ArrayObject)))
    if isinstance(value, ArrayObject):
        return any(_is_active(inner) for inner in value
                   if isinstance(inner, (DictionaryObject, ArrayObject)))
    return False
