"""What happened, in words for the people it concerns.

Each domain declares its events in its own `events.py`, next to the services that record
them: the wording in both languages (through gettext), the parameters the wording needs,
and the page the notification leads to. A service `tell`s the people an event concerns;
`notifications` delivers it (inbox and e-mail). Declared here, apart from both sides, so
no domain imports notifications and notifications imports no domain's services.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from blinker import Namespace
from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.enums import LabelledEnum

if TYPE_CHECKING:
    from portal.accounts.models import User

class Topic(LabelledEnum):
    """What an event is about, for filtering the inbox."""

    PARTNERSHIPS = "partnerships", _l("Partnerships")
    AGREEMENTS = "agreements", _l("Agreements and certificates")
    ACCOUNT = "account", _l("Account and organisation")
    MONITORING = "monitoring", _l("Monitoring and warnings")
    ALERTS = "alerts", _l("New postings and matches")


EVENTS: dict[str, Event] = {}
# Sent by `tell` with session, recipients, params and link; the deliverer listens.
happened = Namespace().signal("event-happened")


@dataclass(frozen=True)
class Event:
    name: str
    wording: LazyString  # with a %(name)s placeholder for each of `params`
    params: frozenset[str]
    endpoint: str  # the page it leads to
    topic: Topic
    anchor: str = ""
    # Its link grants access (a password reset): sent by e-mail only, never kept in the
    # inbox, where a stolen session could read it.
    private: bool = False

    def text(self, params: dict[str, Any]) -> str:
        return str(self.wording) % params

    def check(self, params: dict[str, Any]) -> None:
        """A caller passes every parameter the wording needs (a missing one would only
        fail later, when somebody opens their inbox)."""
        missing = self.params - set(params)
        if missing:
            raise ValueError(f"event {self.name!r} needs {sorted(missing)}")

    def link(self, **values: Any) -> str:
        path = path_for(self.endpoint, **values)
        return f"{path}#{self.anchor}" if self.anchor else path


def path_for(endpoint: str, **values: Any) -> str:
    """A page's path, also from a background job (there is no request to build URLs
    from there)."""
    adapter = current_app.url_map.bind(
        "localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    return adapter.build(endpoint, values)


def full_url(path: str) -> str:
    """The portal's full address of `path`: a mail is read outside the site."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def declare(name: str, wording: LazyString, params: tuple[str, ...], endpoint: str,
            anchor: str = "", *, topic: Topic, private: bool = False) -> Event:
    if name in EVENTS:
        raise ValueError(f"event {name!r} is declared twice")
    EVENTS[name] = Event(name, wording, frozenset(params), endpoint, topic, anchor, private)
    return EVENTS[name]


def tell(session: Session, recipients: Iterable[User], event: Event, params: dict[str, Any],
         *, digest: bool = False, **link_values: Any) -> None:
    """`event` concerns `recipients`: delivered in the caller's transaction (so it is
    kept only if the change that caused it is), leading to the event's page for
    `link_values`; e-mailed at once, or with `digest` in the next daily digest."""
    event.check(params)
    delivered = happened.send(event, session=session, recipients=list(recipients),
                              params=params, link=event.link(**link_values), digest=digest)
    if not delivered:
        raise RuntimeError("no deliverer is listening for events (create_app connects it)")


def text(name: str, params: dict[str, Any]) -> str:
    """The words for a recorded event; an event no longer declared shows its name."""
    event = EVENTS.get(name)
    return event.text(params) if event else name


def names_about(topic: Topic) -> list[str]:
    """The names of the events declared under a topic."""
    return [event.name for event in EVENTS.values() if event.topic is topic]
