"""Pure text cleaning for user input (no Flask)."""
from __future__ import annotations

import re
import unicodedata

# Control characters except tab/newline, zero-width and direction-override characters,
# and the BOM: invisible, never meant, and useful for spoofing.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def clean_line(text: str | None) -> str:
    """One-line input: invisible characters removed, runs of white space folded, trimmed."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", strip_invisible(str(text)))
    return re.sub(r"\s+", " ", text).strip()


def clean_multiline(text: str | None) -> str:
    """Free text: invisible characters removed, Windows line ends unified, trimmed."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", strip_invisible(str(text).replace("\r\n", "\n")))
    return text.replace("\r", "\n").strip()
