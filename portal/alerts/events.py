"""What alerts tell people: a new posting found by a saved search, a new match."""
from __future__ import annotations

from functools import partial

from flask_babel import lazy_gettext as _l

from portal import events

declare = partial(events.declare, topic=events.Topic.ALERTS)

NEW_FOR_SEARCH = declare(
    "alert-search", _l("New for your saved search “%(search)s”: %(title)s (%(org)s)."),
    ("search", "title", "org"), "postings.detail")
NEW_MATCH = declare(
    "alert-match",
    _l("A new match for your posting “%(mine)s”: %(title)s (%(org)s), score %(score)s."),
    ("mine", "title", "org", "score"), "postings.detail")
