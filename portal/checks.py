"""How long free text may be, and the one check of it that services make.

Forms state the same limits (through `too_long`), so the browser stops the typing there;
the service check is the one that holds, for every caller (forms, imports, the API).
"""
from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.errors import DomainError
from portal.text import clean_line, clean_multiline

TEXT_MAX = 2000  # a comment, a message, a reason, a term's text
MAX_LIST_ITEMS = 50  # skills, courses: what a posting or a set of terms lists
MAX_ITEM_LENGTH = 100
LINE_MAX = 200  # a title, a name
SHORT_MAX = 500  # a dismissal's reason


def too_long_message(limit: int) -> LazyString:
    return _l("Please keep this under %(max)d characters.", max=limit)


def checked_list(items: list[str], field: str) -> list[str]:
    """A list field's items (already split), refused on `field` when there are too many
    or one is too long: the same limits for a form, an import and the terms."""
    if len(items) > MAX_LIST_ITEMS:
        raise DomainError(_l("Please list at most %(n)d items.", n=MAX_LIST_ITEMS), field=field)
    if any(len(item) > MAX_ITEM_LENGTH for item in items):
        raise DomainError(_l("Each item can have at most %(n)d characters.",
                             n=MAX_ITEM_LENGTH), field=field)
    return items


def checked_text(value: str | None, field: str, *, limit: int = TEXT_MAX,
                 required: LazyString | None = None, one_line: bool = False) -> str:
    """`value` cleaned (invisible characters removed, trimmed; one line folded), refused on
    `field` when empty and `required` (that message), or longer than `limit`. Nothing is
    cut short: what the user wrote is kept, or they are told why not."""
    text = clean_line(value) if one_line else clean_multiline(value)
    if required is not None and not text:
        raise DomainError(required, field=field)
    if len(text) > limit:
        raise DomainError(too_long_message(limit), field=field)
    return text
