"""What cooperation records and tells the people of a proposal: %(org)s is who acted,
%(title)s the proposal."""
from __future__ import annotations

from functools import partial

from flask_babel import lazy_gettext as _l

from portal import events
from portal.events import Event

declare = partial(events.declare, topic=events.Topic.PARTNERSHIPS)

_BOTH = ("org", "title")
_TITLE = ("title",)


def _declare(name: str, wording, params=_BOTH) -> Event:  # noqa: ANN001 - a lazy string
    return declare(name, wording, params, "cooperation.detail")


PROPOSE = _declare("propose", _l("%(org)s proposes a cooperation: “%(title)s”. Your "
                                  "answer is needed."))
# One per workflow transition, by the transition's name.
TRANSITION_EVENTS = {event.name: event for event in (
    _declare("counter", _l("%(org)s answered “%(title)s” with other terms. Your answer is "
                           "needed.")),
    _declare("revise", _l("%(org)s revised the terms of “%(title)s”. Your answer is needed.")),
    _declare("amend", _l("%(org)s proposes to amend “%(title)s”. Your answer is needed.")),
    _declare("accept", _l("%(org)s accepted the terms of “%(title)s”; it awaits a "
                          "coordinator's approval.")),
    _declare("decline", _l("%(org)s declined “%(title)s”.")),
    _declare("withdraw", _l("%(org)s withdrew “%(title)s”.")),
    _declare("approve", _l("“%(title)s” was approved: the partnership is active."), _TITLE),
    _declare("reject", _l("“%(title)s” was not approved by the coordinator."), _TITLE),
    _declare("return", _l("The coordinator returned “%(title)s” for changes."), _TITLE),
    _declare("suspend", _l("“%(title)s” was suspended by %(org)s.")),
    _declare("resume", _l("“%(title)s” was resumed by %(org)s.")),
    _declare("complete", _l("“%(title)s” was marked completed by %(org)s.")),
    _declare("terminate", _l("“%(title)s” was terminated by %(org)s.")),
)}
MESSAGE = _declare("message", _l("%(org)s wrote on “%(title)s”."))
FULFILMENT = _declare("fulfilment", _l("%(org)s updated the progress of “%(title)s”."))
