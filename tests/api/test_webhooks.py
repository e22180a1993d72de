"""Webhooks (issue 17), against a real receiver on this machine: signed deliveries sent
after the commit, retried with backoff, disabled with a notice after failing, replayed;
targets checked; each event reaches only those who may know of it."""
from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from portal.accounts.models import OrgKind
from portal.api import webhooks
from portal.api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from portal.cooperation.services import act
from portal.db import utcnow
from portal.errors import DomainError, PermissionDenied
from portal.notifications.models import Notification
from portal.postings.models import PostingKind
from tests import factories


class Receiver:
    """An HTTP server that records what it is sent and answers with `status`."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body,
                                          "path": self.path})
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/portal"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[str]:
        return [json.loads(item["body"])["event"] for item in self.received]


@pytest.fixture
def receiver(app):
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True  # the receiver is on 127.0.0.1
    served = Receiver()
    yield served
    served.server.shutdown()


def test_targets_are_checked(app, db):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    for url in ("ftp://files.example/x", "http://user:secret@127.0.0.1/hook",
                "http://127.0.0.1:8080/hook", "http://10.1.2.3/hook",
                "http://169.254.169.254/latest/meta-data", "http://[::1]/hook",
                "http://" + "a" * 600 + ".example/", "not an address"):
        with pytest.raises(DomainError):
            webhooks.register(db, hr, url, ["posting.published"])
    app.config["PRODUCTION"] = True
    with pytest.raises(DomainError, match="https"):
        webhooks.check_target("http://8.8.8.8/hook")
    assert webhooks.check_target("https://8.8.8.8/hook") == "https://8.8.8.8/hook"
    with pytest.raises(DomainError):
        webhooks.register(db, hr, "https://8.8.8.8/hook", [])
    with pytest.raises(PermissionDenied):  # warnings are the coordinators' own
        webhooks.register(db, hr, "https://8.8.8.8/hook", ["warning.raised"])


def test_a_delivery_is_signed_and_sent_after_the_commit(db, receiver):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    endpoint = webhooks.register(db, hr, receiver.url, ["posting.published"])
    db.commit()
    posting = factories.posting(db, PostingKind.TALENT_DEMAND, title="PLC电气工程师")
    assert receiver.received == []  # not before the commit
    db.commit()
    db.expire_all()
    [sent] = receiver.received
    body, headers = sent["body"], sent["headers"]
    stamp, digest = (part.split("=", 1)[1] for part in headers["Portal-Signature"].split(","))
    expected = hmac.new(endpoint.secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(digest, expected.hexdigest())
    payload = json.loads(body)
    assert payload["event"] == headers["Portal-Event"] == "posting.published"
    assert payload["data"]["id"] == posting.id and payload["data"]["title"] == "PLC电气工程师"
    assert payload["data"]["url"].endswith(f"/api/v1/postings/{posting.id}")
    [delivery] = db.scalars(select(WebhookDelivery)).all()
    assert (delivery.status, delivery.response_code, delivery.attempts) == (
        DeliveryStatus.DELIVERED, 200, 1)


def test_a_delivery_goes_to_the_address_that_was_checked(db, receiver, monkeypatch):
    """A name that answers a second lookup differently (DNS rebinding: public when
    checked, then the portal's own network) is sent to where it pointed when checked."""
    port = receiver.server.server_port
    lookups = []
    real_lookup = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if host != "hooks.receiver.example":
            return real_lookup(host, *args, **kwargs)
        lookups.append(host)
        # The receiver listens on 127.0.0.1 only: nothing answers on 127.0.0.2.
        address = "127.0.0.1" if len(lookups) % 2 else "127.0.0.2"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    hr = factories.member(db, OrgKind.ENTERPRISE)
    webhooks.register(db, hr, f"http://hooks.receiver.example:{port}/hooks?via=portal",
                      ["posting.published"])
    db.commit()
    lookups.clear()
    factories.posting(db, PostingKind.TALENT_DEMAND)
    db.commit()
    [sent] = receiver.received
    assert lookups == ["hooks.receiver.example"]
    assert sent["headers"]["Host"] == f"hooks.receiver.example:{port}"
    assert sent["path"] == "/hooks?via=portal"
    [delivery] = db.scalars(select(WebhookDelivery)).all()
    assert delivery.status is DeliveryStatus.DELIVERED


def test_failures_are_retried_with_backoff_then_the_endpoint_is_turned_off(db, receiver):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    endpoint = webhooks.register(db, hr, receiver.url, ["posting.published"])
    db.commit()
    receiver.status = 500
    factories.posting(db, PostingKind.TALENT_DEMAND)
    db.commit()
    db.expire_all()
    delivery = db.scalars(select(WebhookDelivery)).one()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        DeliveryStatus.PENDING, 1, 500)
    assert abs(delivery.next_attempt_at - utcnow() - timedelta(minutes=1)) < timedelta(seconds=30)
    webhooks.retry_due_job()  # not yet due: nothing sent
    assert len(receiver.received) == 1
    delivery.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.commit()
    webhooks.retry_due_job()
    db.expire_all()
    assert delivery.attempts == 2 and len(receiver.received) == 2
    assert abs(delivery.next_attempt_at - utcnow() - timedelta(minutes=4)) < timedelta(seconds=30)

    # Failing on: after FAILURES_TO_DISABLE attempts in a row it is turned off, its owner told.
    endpoint.failures = webhooks.FAILURES_TO_DISABLE - 1
    delivery.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.commit()
    webhooks.retry_due_job()
    db.expire_all()
    assert endpoint.disabled_at is not None
    [notice] = db.scalars(select(Notification).where(
        Notification.user_id == hr.id, Notification.event == "webhook-disabled")).all()
    assert notice.params["failures"] == webhooks.FAILURES_TO_DISABLE
    factories.posting(db, PostingKind.TALENT_DEMAND)
    db.commit()
    assert len(receiver.received) == 3  # a disabled endpoint hears of nothing new

    # Turned on again, the failed event is replayed to the mended receiver.
    receiver.status = 204
    with pytest.raises(DomainError):
        webhooks.replay(db, delivery, hr)
    webhooks.enable(db, endpoint, hr)
    again = webhooks.replay(db, delivery, hr)
    db.commit()
    db.expire_all()
    assert again.status is DeliveryStatus.DELIVERED and again.payload == delivery.payload
    assert len(receiver.received) == 4 and endpoint.failures == 0
    outsider = factories.member(db, OrgKind.ENTERPRISE)
    with pytest.raises(PermissionDenied):
        webhooks.replay(db, again, outsider)


def test_each_event_reaches_only_those_who_may_know_of_it(db, receiver):
    people = {"proposer": factories.member(db, OrgKind.ENTERPRISE),
              "partner": factories.member(db, OrgKind.UNIVERSITY),
              "outsider": factories.member(db, OrgKind.ENTERPRISE),
              "coordinator": factories.coordinator(db)}
    hooks = {who: webhooks.register(db, user, f"{receiver.url}/{who}", [
        "proposal.changed", "agreement.issued", "agreement.signed"])
        for who, user in people.items()}
    db.commit()
    proposal = factories.new_proposal(db, people)
    db.commit()
    act(db, proposal, people["partner"], "accept")
    db.commit()
    act(db, proposal, people["coordinator"], "approve")
    db.commit()
    db.expire_all()
    by_endpoint = {who: [d.event for d in db.scalars(select(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == hook.id).order_by(WebhookDelivery.id))]
        for who, hook in hooks.items()}
    expected = ["proposal.changed"] * 3 + ["agreement.issued"]
    assert by_endpoint == {"proposer": expected, "partner": expected, "outsider": [],
                           "coordinator": expected}
    assert all(d.status is DeliveryStatus.DELIVERED
               for d in db.scalars(select(WebhookDelivery)))
    assert {item["headers"]["Portal-Event"] for item in receiver.received} == set(expected)
    assert db.scalar(select(WebhookEndpoint).where(
        WebhookEndpoint.id == hooks["outsider"].id)).failures == 0


def test_a_new_match_reaches_the_other_sides_receiver_above_its_score(db, receiver):
    staff = factories.member(db, OrgKind.UNIVERSITY)
    outsider = factories.member(db, OrgKind.UNIVERSITY)
    programme = factories.posting(db, PostingKind.CURRICULUM, org=staff.organization,
                                  title="数控技术专业", description="培养数控编程与操作人才。" * 2,
                                  major="数控技术", courses="数控机床编程与操作、机械制图",
                                  skills="")
    hooks = {"staff": webhooks.register(db, staff, f"{receiver.url}/staff", ["match.new"], 0),
             "picky": webhooks.register(db, staff, f"{receiver.url}/picky", ["match.new"], 100),
             "outsider": webhooks.register(db, outsider, f"{receiver.url}/out", ["match.new"], 0)}
    with pytest.raises(DomainError):
        webhooks.register(db, staff, receiver.url, ["match.new"], 101)
    db.commit()
    order = factories.posting(db, PostingKind.TRAINING_ORDER, title="数控加工订单班",
                              description="招CNC操机，会看图纸，懂西门子系统。" * 2,
                              skills="CNC编程、机械制图", major="数控技术", headcount=30)
    db.commit()
    db.expire_all()
    sent = {who: [d.payload["data"] for d in db.scalars(select(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == hook.id))] for who, hook in hooks.items()}
    assert [(item["demand"], item["supply"]) for item in sent["staff"]] == [
        (order.id, programme.id)]
    assert 0 < sent["staff"][0]["score"] < 100
    assert sent["picky"] == [] and sent["outsider"] == []
    # Edited, the posting keeps its match: nothing new to tell.
    from portal.postings.services import update_posting

    update_posting(db, order, order.organization.members[0], {"headcount": 25}, order.version)
    db.commit()
    assert db.scalar(select(func.count()).select_from(WebhookDelivery)) == 1
