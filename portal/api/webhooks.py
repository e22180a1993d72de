"""Webhooks: integrators register an address and the events they want; each event is
recorded as a delivery in the transaction that caused it and sent by the background queue
after the commit, signed, retried with exponential backoff, and replayable. An endpoint
that keeps failing is disabled, and its owner told.

A delivery carries a thin event (what happened, to which object, and its API address):
the receiver reads the object through the API with its token, so what it learns is
checked there, at reading time, like any other call."""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import ssl
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import SplitResult, urlsplit

import urllib3
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import User
from portal.api import events
from portal.api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from portal.db import utcnow, write_session
from portal.errors import DomainError, PermissionDenied
from portal.events import full_url, path_for, tell
from portal.matching.models import PostingMatch
from portal.postings.models import Posting, PostingStatus
from portal.signals import (
    agreement_issued,
    agreement_signed,
    posting_closed,
    posting_published,
    proposal_changed,
    warning_raised,
)
from portal.tasks import enqueue_after_commit, job, periodic

URL_MAX = 500
ENDPOINTS_PER_USER = 10
ATTEMPTS = 6  # the first and five retries: after 1, 4, 16, 64 and 256 minutes
FIRST_RETRY = timedelta(minutes=1)
BACKOFF = 4
FAILURES_TO_DISABLE = 15  # failed attempts in a row, across deliveries
TIMEOUT = (3.05, 10)  # seconds to connect, to read the answer
DUE_PER_RUN = 200  # retries sent by one run of the minute's job
COORDINATOR_EVENTS = frozenset({WebhookEvent.WARNING_RAISED.value})
DEFAULT_MIN_SCORE = 70


# --- Registering -----------------------------------------------------------------------

def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return ip.is_global and not ip.is_multicast


def check_target(url: str) -> str:
    """The address, if the portal may send to it (see _resolved). Raises DomainError
    saying why not."""
    url = url.strip()
    _resolved(url)
    return url


def _resolved(url: str) -> tuple[SplitResult, str]:
    """The address's parts and the one IP address to connect to: https (http outside
    production), a host whose every address is public, unless WEBHOOK_ALLOW_PRIVATE
    says otherwise (a receiver on the city's own network)."""
    parts = urlsplit(url)
    production = current_app.config.get("PRODUCTION")
    allowed = ("https",) if production else ("https", "http")
    if len(url) > URL_MAX or parts.scheme not in allowed or not parts.hostname:
        raise DomainError(_l("Give an https:// address of at most %(max)d characters.",
                             max=URL_MAX) if production else
                          _l("Give an http:// or https:// address of at most %(max)d "
                             "characters.", max=URL_MAX), field="url")
    if parts.username or parts.password:
        raise DomainError(_l("An address with a user name or password in it is not "
                             "accepted: the signature proves the sender."), field="url")
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):
        raise DomainError(_l("This host name could not be found."), field="url") from None
    addresses = [str(entry[4][0]) for entry in found]
    if not current_app.config.get("WEBHOOK_ALLOW_PRIVATE") and not all(
            _is_public(address) for address in addresses):
        raise DomainError(_l("This address is on a private or local network, which the "
                             "portal does not send to."), field="url")
    return parts, addresses[0]


def _checked_events(user: User, chosen: Iterable[str]) -> list[str]:
    names = sorted(set(chosen))
    if not names:
        raise DomainError(_l("Choose at least one event."), field="events")
    known = {event.value for event in WebhookEvent}
    if not set(names) <= known:
        raise DomainError(_l("Unknown event."), field="events")
    if not user.is_coordinator and COORDINATOR_EVENTS & set(names):
        raise PermissionDenied(_l("Monitoring warnings are sent to coordinators only."))
    return names


def visible(session: Session, user: User) -> list[WebhookEndpoint]:
    return list(session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.user_id == user.id).order_by(WebhookEndpoint.id)))


def register(session: Session, user: User, url: str, chosen: Iterable[str],
             min_score: int = DEFAULT_MIN_SCORE) -> WebhookEndpoint:
    """A new endpoint of `user`; its signing secret is shown to them once, then kept
    only for signing. `min_score`: the lowest score of the matches it hears of."""
    if not 0 <= min_score <= 100:
        raise DomainError(_l("A score is from 0 to 100."), field="min_score")
    if len(visible(session, user)) >= ENDPOINTS_PER_USER:
        raise DomainError(_l("You have %(n)d webhooks already: delete one first.",
                             n=ENDPOINTS_PER_USER))
    endpoint = WebhookEndpoint(user_id=user.id, url=check_target(url),
                               events=_checked_events(user, chosen), min_score=min_score,
                               secret=f"whsec_{secrets.token_urlsafe(32)}")
    session.add(endpoint)
    session.flush()
    return endpoint


def _check_owner(endpoint: WebhookEndpoint, user: User) -> None:
    if endpoint.user_id != user.id:
        raise PermissionDenied(_l("This webhook is someone else's."))


def delete(session: Session, endpoint: WebhookEndpoint, user: User) -> None:
    _check_owner(endpoint, user)
    session.delete(endpoint)


def enable(session: Session, endpoint: WebhookEndpoint, user: User) -> None:
    """Back on after it was disabled; the failures counted start again."""
    _check_owner(endpoint, user)
    endpoint.disabled_at, endpoint.failures = None, 0


def replay(session: Session, delivery: WebhookDelivery, user: User) -> WebhookDelivery:
    """The same event sent again, as a new delivery (the old one's record stays)."""
    _check_owner(delivery.endpoint, user)
    if not delivery.endpoint.active:
        raise DomainError(_l("Turn the webhook on again first."))
    again = WebhookDelivery(endpoint_id=delivery.endpoint_id, event=delivery.event,
                            payload=delivery.payload)
    session.add(again)
    session.flush()
    enqueue_after_commit(session, "webhooks.deliver", again.id)
    return again


def deliveries(session: Session, endpoint: WebhookEndpoint,
               limit: int = 20) -> list[WebhookDelivery]:
    return list(session.scalars(select(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == endpoint.id).order_by(WebhookDelivery.id.desc())
        .limit(limit)))


# --- Announcing ------------------------------------------------------------------------

def _listening(session: Session, event: WebhookEvent) -> list[WebhookEndpoint]:
    return [endpoint for endpoint in session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.disabled_at.is_(None)).options(selectinload(WebhookEndpoint.user)))
        if event.value in endpoint.events and endpoint.user.active]


def _deliveries(event: WebhookEvent, data: dict[str, Any], may_know: Any,  # noqa: ANN401
                endpoints: list[WebhookEndpoint]) -> list[WebhookDelivery]:
    occurred = utcnow().isoformat()
    return [WebhookDelivery(endpoint_id=endpoint.id, event=event.value, payload={
        "event": event.value, "occurred_at": occurred, "data": data})
        for endpoint in endpoints if may_know(endpoint.user)]


def _queue(session: Session, deliveries: list[WebhookDelivery]) -> None:
    """Recorded in one flush, each sent by a job of its own after the commit (a slow
    receiver delays nobody else's)."""
    if not deliveries:
        return
    session.add_all(deliveries)
    session.flush()
    for delivery in deliveries:
        enqueue_after_commit(session, "webhooks.deliver", delivery.id)


def announce(session: Session, event: WebhookEvent, data: dict[str, Any],
             may_know: Any, endpoints: list[WebhookEndpoint] | None = None) -> None:  # noqa: ANN401
    """A delivery of `event` to every active endpoint that wants it (or of `endpoints`)
    and whose owner `may_know` of it, sent after the commit."""
    _queue(session, _deliveries(event, data, may_know, _listening(session, event)
                                if endpoints is None else endpoints))


def _api_url(endpoint: str, **values: Any) -> str:
    return full_url(path_for(endpoint, **values))


def _on_posting(event: WebhookEvent) -> Any:  # noqa: ANN401 - a signal receiver
    def receive(posting: Any, session: Session) -> None:  # noqa: ANN401 - a Posting
        announce(session, event, {
            "type": "posting", "id": posting.id, "kind": posting.kind.value,
            "title": posting.title, "organization": posting.organization_id,
            "url": _api_url("api.posting_detail", posting_id=posting.id)},
            lambda user: posting.can_view(user))
    return receive


def _on_published_matches(posting: Any, session: Session) -> None:  # noqa: ANN401
    """A posting just published: each of its stored matches (the matching refreshed
    them in this transaction) to the endpoints of either side's organisation, and the
    coordinators', whose score threshold it reaches."""
    endpoints = _listening(session, WebhookEvent.MATCH_NEW)
    if not endpoints:
        return
    matches = session.scalars(select(PostingMatch).where(or_(
        PostingMatch.demand_id == posting.id, PostingMatch.supply_id == posting.id))).all()
    ids = {m.demand_id for m in matches} | {m.supply_id for m in matches}
    owners = dict(session.execute(select(Posting.id, Posting.organization_id).where(
        Posting.id.in_(ids), Posting.status == PostingStatus.PUBLISHED)).all())
    deliveries = []
    for match in matches:
        demand, supply = match.demand_id, match.supply_id
        if demand not in owners or supply not in owners:
            continue  # a draft's list holds it, but nobody is told of a draft
        parties = {owners[demand], owners[supply]}
        reached = [endpoint for endpoint in endpoints if match.score >= endpoint.min_score]
        deliveries += _deliveries(WebhookEvent.MATCH_NEW, {
            "type": "match", "demand": demand, "supply": supply,
            "score": round(match.score, 1),
            "demand_url": _api_url("api.posting_detail", posting_id=demand),
            "supply_url": _api_url("api.posting_detail", posting_id=supply)},
            lambda user, parties=parties: user.is_coordinator
            or user.organization_id in parties, reached)
    _queue(session, deliveries)


def _on_proposal_changed(proposal: Any, session: Session, action: str) -> None:  # noqa: ANN401
    announce(session, WebhookEvent.PROPOSAL_CHANGED, {
        "type": "proposal", "id": proposal.id, "action": action,
        "status": proposal.status.value,
        "url": _api_url("api.cooperation.proposal_detail", proposal_id=proposal.id)},
        proposal.can_view)


def _on_agreement(event: WebhookEvent) -> Any:  # noqa: ANN401 - a signal receiver
    def receive(agreement: Any, session: Session) -> None:  # noqa: ANN401 - an Agreement
        announce(session, event, {
            "type": "agreement", "id": agreement.id, "number": agreement.number,
            "proposal": agreement.proposal_id,
            "url": _api_url("api.cooperation.agreement", agreement_id=agreement.id)},
            agreement.can_view)
    return receive


def _on_warning(warning: Any, session: Session) -> None:  # noqa: ANN401 - a warning
    announce(session, WebhookEvent.WARNING_RAISED, {
        "type": "warning", "id": warning.id, "label": warning.label,
        "url": _api_url("api.monitoring.warning_list")},
        lambda user: user.is_coordinator)


_RECEIVERS = [
    (posting_published, _on_posting(WebhookEvent.POSTING_PUBLISHED)),
    (posting_closed, _on_posting(WebhookEvent.POSTING_CLOSED)),
    (posting_published, _on_published_matches),
    (proposal_changed, _on_proposal_changed),
    (agreement_issued, _on_agreement(WebhookEvent.AGREEMENT_ISSUED)),
    (agreement_signed, _on_agreement(WebhookEvent.AGREEMENT_SIGNED)),
    (warning_raised, _on_warning),
]


def init_app() -> None:
    for signal, receiver in _RECEIVERS:
        signal.connect(receiver)


# --- Sending ---------------------------------------------------------------------------

def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it
    with the secret and refuses an old timestamp (a replayed request)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> tuple[int | None, str]:
    """(the answer's status code, why it failed) of one attempt."""
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    try:
        parts, address = _resolved(endpoint.url)  # again: the name may point elsewhere by now
    except DomainError as refused:
        return None, str(refused.message)
    headers = {"Host": parts.netloc, "Content-Type": "application/json; charset=utf-8",
               "User-Agent": "cjportal-webhooks/1", "Portal-Event": delivery.event,
               "Portal-Delivery": str(delivery.id),
               "Portal-Signature": signature(endpoint.secret, int(time.time()), body)}
    try:
        status = _send(parts, address, body, headers)
    except (urllib3.exceptions.HTTPError, OSError) as error:
        return None, type(error).__name__
    ok = 200 <= status < 300
    return status, "" if ok else f"HTTP {status}"


def _send(parts: SplitResult, address: str, body: bytes, headers: dict[str, str]) -> int:
    """POST to the IP address that was checked, never to a second lookup of the name (a
    name that answers with a public address, then a private one, would reach the portal's
    own network). TLS still verifies the certificate against the host name."""
    timeout = urllib3.Timeout(connect=TIMEOUT[0], read=TIMEOUT[1])
    if parts.scheme == "https":
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
            address, parts.port or 443, timeout=timeout, retries=False,
            server_hostname=parts.hostname, assert_hostname=parts.hostname,
            ssl_context=ssl.create_default_context())
    else:
        pool = urllib3.HTTPConnectionPool(address, parts.port or 80, timeout=timeout,
                                          retries=False)
    path = parts.path or "/"
    with pool:
        answer = pool.urlopen("POST", f"{path}?{parts.query}" if parts.query else path,
                              body=body, headers=headers, redirect=False,
                              preload_content=False)  # the answer's body is not read
        answer.close()
        return answer.status


def attempt(session: Session, delivery: WebhookDelivery) -> None:
    """Send one delivery now and record how it went."""
    endpoint = delivery.endpoint
    if delivery.status is not DeliveryStatus.PENDING:
        return
    if not endpoint.active:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        delivery.error = "endpoint disabled"
        return
    code, error = _post(endpoint, delivery)
    delivery.attempts += 1
    delivery.response_code, delivery.error = code, error[:300]
    if not error:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, utcnow()
        delivery.next_attempt_at, endpoint.failures = None, 0
        return
    endpoint.failures += 1
    if delivery.attempts < ATTEMPTS:
        delivery.next_attempt_at = utcnow() + FIRST_RETRY * BACKOFF ** (delivery.attempts - 1)
    else:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    if endpoint.failures >= FAILURES_TO_DISABLE and endpoint.active:
        endpoint.disabled_at = utcnow()
        tell(session, [endpoint.user], events.WEBHOOK_DISABLED,
             {"url": endpoint.url[:100], "failures": endpoint.failures})


@job("webhooks.deliver")
def deliver_job(delivery_id: int) -> None:
    with write_session() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is not None:
            attempt(session, delivery)


@job("webhooks.retry_due")
def retry_due_job() -> None:
    """Every minute: the retries whose time has come."""
    with write_session() as session:
        due = session.scalars(select(WebhookDelivery).where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= utcnow())
            .order_by(WebhookDelivery.next_attempt_at).limit(DUE_PER_RUN)).all()
        for delivery in due:
            attempt(session, delivery)
            session.commit()  # each attempt kept, whatever the next does


periodic("webhooks.retry_due", minute="*")
