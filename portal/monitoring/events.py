"""What monitoring tells people: a warning fired (coordinators), an invitation to answer
a shortage (a university's members)."""
from __future__ import annotations

from functools import partial

from flask_babel import lazy_gettext as _l

from portal import events

declare = partial(events.declare, topic=events.Topic.MONITORING)

FIRED = declare("warning-fired", _l("Warning: %(label)s. Open it to respond."), ("label",),
                "monitoring.warning")
INVITED = declare(
    "warning-invitation",
    _l("The city's coordinators invite you to answer a shortage of “%(label)s”: %(demand)s "
       "people wanted, %(supply)s graduates a year in the latest period. See the demands "
       "behind it and propose a cooperation."),
    ("label", "demand", "supply"), "postings.index")
