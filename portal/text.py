"""Pure text cleaning for user input, and list fields split from one string (no Flask)."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Control characters except tab/newline, zero-width and direction-override characters,
# and the BOM: invisible, never meant, and useful for spoofing. Lone surrogates (a JSON
# file may hold "\ud800") are no characters at all and cannot even be written as UTF-8.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\ud800-\udfff]"
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


# List fields arrive as one string from forms and spreadsheets: 、；; , ， and new lines.
LIST_SEPARATORS = re.compile(r"[;；、,，\n\r]+")
_SPACES = re.compile(r"\s+")


def split_list(value: str | Iterable[str] | None) -> list[str]:
    """A list field from a string or a list: cleaned items (invisible characters removed,
    white space folded), empty ones dropped, order kept."""
    if value is None:
        return []
    items = LIST_SEPARATORS.split(value) if isinstance(value, str) else list(value)
    cleaned: dict[str, None] = {}  # ordered, and a repeat is found in constant time
    for item in items:
        text = _SPACES.sub(" ", unicodedata.normalize("NFKC", strip_invisible(str(item)))).strip()
        if text:
            cleaned[text] = None
    return list(cleaned)
