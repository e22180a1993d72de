"""Every endpoint of the URL map × who asks → the status they get: the one place that says
who may open or change what. A new endpoint fails test_every_endpoint_is_in_the_matrix
until it has its row here.

Who: anonymous; the two parties of a partnership (an enterprise's HR, a university's
staff); a member of an unrelated enterprise; a city coordinator. A page is read by all
five on one world; each change is tried on a world of its own: a dual-mentor partnership
with its agreement, a signed scan and two mentor certificates (one awaiting
countersignature, one countersigned), the parties' matching postings and a draft of the
enterprise's, the unrelated enterprise's open invitation, an organisation awaiting
review, and a synonym.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from werkzeug.exceptions import MethodNotAllowed

from portal.alerts.models import ALL
from portal.notifications.unsubscribe import unsubscribe_token
from tests import factories

ANONYMOUS, HR, STAFF, OUTSIDER, COORDINATOR = "anonymous", "hr", "staff", "outsider", "coord"
WHO = [ANONYMOUS, HR, STAFF, OUTSIDER, COORDINATOR]
LOGIN = 302


def row(anonymous, hr, staff, outsider, coordinator):
    return dict(zip(WHO, (anonymous, hr, staff, outsider, coordinator), strict=True))


@pytest.fixture
def world(db):
    return factories.world(db)


# (method, path, row(anonymous, hr, staff, outsider, coordinator)). 302 for a member is a
# refusal or a form's answer sent back to the page with a message; 404 hides an object
# from those outside it; 403 refuses a role.
MATRIX = [
    ("GET", "/agreements/{agreement}/download", row(302, 200, 200, 404, 200)),
    ("POST", "/agreements/{agreement}/english", row(302, 302, 302, 404, 302)),
    ("POST", "/agreements/{agreement}/english/retry", row(302, 302, 302, 404, 302)),
    ("POST", "/agreements/{agreement}/scans", row(302, 302, 302, 404, 302)),
    ("GET", "/agreements/scans/{scan}", row(302, 200, 200, 404, 200)),
    ("POST", "/certificates/{pending}/countersign", row(302, 302, 302, 404, 302)),
    ("POST", "/certificates/{pending}/decline", row(302, 302, 302, 404, 302)),
    ("GET", "/certificates/{done}/download", row(302, 200, 200, 404, 200)),
    ("GET", "/certificates/{pending}/download", row(302, 404, 404, 404, 404)),
    ("GET", "/cooperation/", row(302, 200, 200, 200, 200)),
    ("GET", "/cooperation/export.csv", row(302, 403, 403, 403, 200)),
    ("GET", "/cooperation/{proposal}", row(302, 200, 200, 404, 200)),
    ("GET", "/cooperation/{proposal}/amend", row(302, 200, 200, 404, 403)),
    # An empty form repeats the terms in force: refused on the page.
    ("POST", "/cooperation/{proposal}/amend", row(302, 200, 200, 404, 403)),
    ("GET", "/cooperation/{proposal}/counter", row(302, 403, 403, 404, 403)),
    ("GET", "/cooperation/{proposal}/revise", row(302, 403, 403, 404, 403)),
    ("POST", "/cooperation/{proposal}/act/suspend", row(302, 302, 302, 404, 302)),
    ("GET", "/cooperation/{proposal}/certificates/new", row(302, 403, 200, 404, 403)),
    ("POST", "/cooperation/{proposal}/certificates/new", row(302, 403, 200, 404, 403)),
    ("POST", "/cooperation/{proposal}/agreement/retry", row(302, 302, 302, 404, 302)),
    ("POST", "/cooperation/{proposal}/fulfilment", row(302, 302, 302, 404, 302)),
    ("POST", "/cooperation/{proposal}/messages", row(302, 302, 302, 404, 302)),
    ("GET", "/cooperation/audit.csv", row(302, 403, 403, 403, 200)),
    ("GET", "/cooperation/new", row(302, 404, 404, 404, 403)),
    ("POST", "/cooperation/new", row(302, 404, 404, 404, 403)),
    ("GET", "/inbox/", row(302, 200, 200, 200, 200)),
    ("POST", "/inbox/read", row(302, 302, 302, 302, 302)),
    ("GET", "/invite/{token}", row(200, 302, 302, 302, 302)),
    ("POST", "/invite/{token}", row(200, 302, 302, 302, 302)),
    ("POST", "/language", row(302, 302, 302, 302, 302)),
    ("GET", "/login", row(200, 302, 302, 302, 302)),
    ("POST", "/login", row(200, 302, 302, 302, 302)),
    ("POST", "/logout", row(302, 302, 302, 302, 302)),
    ("GET", "/account/password", row(302, 200, 200, 200, 200)),
    ("GET", "/password/forgot", row(200, 200, 200, 200, 200)),
    ("POST", "/password/forgot", row(200, 200, 200, 200, 200)),
    ("GET", "/password/reset/not-a-token", row(410, 410, 410, 410, 410)),
    ("POST", "/password/reset/not-a-token", row(410, 410, 410, 410, 410)),
    ("POST", "/account/password", row(302, 200, 200, 200, 200)),
    ("GET", "/matching/all", row(302, 403, 403, 403, 200)),
    ("GET", "/matching/feedback", row(302, 403, 403, 403, 200)),
    ("GET", "/matching/mine", row(302, 200, 200, 200, 403)),
    ("GET", "/matching/skills/suggest", row(302, 200, 200, 200, 200)),
    ("POST", "/matching/postings/{demand}/dismiss/{supply}", row(302, 302, 403, 403, 403)),
    ("POST", "/matching/recompute", row(302, 403, 403, 403, 302)),
    ("GET", "/matching/synonyms", row(302, 403, 403, 403, 200)),
    ("POST", "/matching/synonyms", row(302, 403, 403, 403, 200)),
    ("POST", "/matching/synonyms/{synonym}/delete", row(302, 403, 403, 403, 302)),
    ("GET", "/monitoring/", row(302, 403, 403, 403, 200)),
    ("GET", "/monitoring/export.csv", row(302, 403, 403, 403, 200)),
    ("GET", "/monitoring/districts", row(302, 403, 403, 403, 200)),
    ("GET", "/monitoring/unmatched", row(302, 403, 403, 403, 200)),
    ("GET", "/monitoring/emerging", row(302, 403, 403, 403, 200)),
    ("GET", "/monitoring/fairness", row(302, 403, 403, 403, 200)),
    ("GET", "/monitoring/partnerships", row(302, 403, 403, 403, 200)),
    ("GET", "/monitoring/districts/export.xlsx", row(302, 403, 403, 403, 200)),
    ("GET", "/monitoring/partnerships/export.csv", row(302, 403, 403, 403, 200)),
    ("GET", "/monitoring/warnings", row(302, 403, 403, 403, 200)),
    # An empty rule form is shown again with its messages.
    ("POST", "/monitoring/warnings/rules", row(302, 403, 403, 403, 200)),
    ("POST", "/monitoring/warnings/rules/{rule}/pause", row(302, 403, 403, 403, 302)),
    ("POST", "/monitoring/warnings/check", row(302, 403, 403, 403, 302)),
    ("GET", "/monitoring/warnings/{warning}", row(302, 403, 403, 403, 200)),
    ("POST", "/monitoring/warnings/{warning}/acknowledge", row(302, 403, 403, 403, 302)),
    ("POST", "/monitoring/warnings/{warning}/respond", row(302, 403, 403, 403, 302)),
    ("POST", "/monitoring/warnings/{warning}/invite", row(302, 403, 403, 403, 302)),
    ("GET", "/monitoring/reports", row(302, 403, 403, 403, 200)),
    # Without a period the preview and publishing send the coordinator back to choose one.
    ("GET", "/monitoring/report.pdf", row(302, 403, 403, 403, 302)),
    ("POST", "/monitoring/reports", row(302, 403, 403, 403, 302)),
    # Published reports are public (定期归集发布).
    ("GET", "/reports/", row(200, 200, 200, 200, 200)),
    ("GET", "/reports/{report}.pdf", row(200, 200, 200, 200, 200)),
    # Without a row's key there is nothing behind it to list.
    ("GET", "/monitoring/postings", row(302, 403, 403, 403, 404)),
    ("GET", "/verify/{code}", row(200, 200, 200, 200, 200)),
    ("POST", "/verify/{code}", row(200, 200, 200, 200, 200)),
    ("GET", "/register/enterprise", row(200, 302, 302, 302, 302)),
    ("POST", "/register/university", row(200, 302, 302, 302, 302)),
    ("GET", "/review/organizations", row(302, 403, 403, 403, 200)),
    ("POST", "/review/organizations/verify", row(302, 403, 403, 403, 302)),
    ("GET", "/", row(200, 200, 200, 200, 200)),
    # For operators' tools: the health check is public; metrics answer the local machine
    # (the test client's address) or a bearer token.
    ("GET", "/healthz", row(200, 200, 200, 200, 200)),
    ("GET", "/metrics", row(200, 200, 200, 200, 200)),
    ("GET", "/register", row(200, 200, 200, 200, 200)),
    # A confirmation link is its own proof: anyone holding one may open it (a bad one is
    # explained on the page).
    ("GET", "/register/confirm/not-a-token", row(200, 200, 200, 200, 200)),
    ("POST", "/register/confirm/not-a-token", row(200, 200, 200, 200, 200)),
    ("GET", "/register/university", row(200, 302, 302, 302, 302)),
    ("GET", "/logout", row(405, 405, 405, 405, 405)),
    ("GET", "/organization/", row(302, 200, 200, 200, 403)),
    ("POST", "/organization/", row(302, 200, 200, 200, 403)),
    ("GET", "/organization/members", row(302, 200, 200, 200, 403)),
    ("POST", "/organization/members", row(302, 200, 200, 200, 403)),
    # The invitation is the unrelated enterprise's own.
    ("POST", "/organization/invitations/{invitation}/revoke", row(302, 404, 404, 302, 403)),
    ("GET", "/review/organizations/{org}", row(302, 403, 403, 403, 200)),
    ("GET", "/organizations/", row(302, 200, 200, 200, 200)),
    ("GET", "/alerts/", row(302, 200, 200, 200, 200)),
    # An empty settings form is shown again with its messages (coordinators have none).
    ("POST", "/alerts/", row(302, 200, 200, 200, 200)),
    ("POST", "/alerts/searches", row(302, 302, 302, 302, 302)),
    # {search} is HR's saved search.
    ("POST", "/alerts/searches/{search}", row(302, 302, 404, 404, 404)),
    ("POST", "/alerts/searches/{search}/delete", row(302, 302, 404, 404, 404)),
    # The signed link of HR's digest: it works without signing in, for whoever holds it.
    ("GET", "/alerts/unsubscribe/{unsubscribe}", row(200, 200, 200, 200, 200)),
    ("POST", "/alerts/unsubscribe/{unsubscribe}", row(200, 200, 200, 200, 200)),
    # A verified organisation's profile is seen by all signed in; one under review only
    # by its members and the coordinators.
    ("GET", "/organizations/{partner}", row(302, 200, 200, 200, 200)),
    ("GET", "/organizations/{org}", row(302, 404, 404, 404, 200)),
    ("GET", "/organizations/{partner}/logo.png", row(302, 404, 404, 404, 404)),  # none yet
    # An empty upload form is sent back to the page with its message.
    ("POST", "/organization/logo", row(302, 302, 302, 302, 403)),
    ("POST", "/organization/logo/remove", row(302, 302, 302, 302, 403)),
    # No organisation of the world attached a licence scan.
    ("GET", "/organization/licence", row(302, 404, 404, 404, 403)),
    ("POST", "/organization/licence", row(302, 302, 302, 302, 403)),
    ("GET", "/review/organizations/{org}/licence", row(302, 403, 403, 403, 404)),
    ("POST", "/review/organizations/{org}", row(302, 403, 403, 403, 200)),
    ("GET", "/verify", row(200, 200, 200, 200, 200)),
    ("GET", "/agreements", row(302, 403, 403, 403, 200)),
    # {demand} is published and {draft} is not, both the enterprise's (HR's).
    ("GET", "/postings/", row(302, 200, 200, 200, 200)),
    ("GET", "/postings/mine", row(302, 200, 200, 200, 403)),
    ("GET", "/postings/new/talent_demand", row(302, 200, 403, 200, 403)),
    ("GET", "/postings/new/curriculum", row(302, 403, 200, 403, 403)),
    ("GET", "/postings/{demand}", row(302, 200, 200, 200, 200)),
    ("GET", "/postings/{draft}", row(302, 200, 404, 404, 200)),
    ("GET", "/postings/{demand}/edit", row(302, 200, 403, 403, 403)),
    ("GET", "/postings/{draft}/edit", row(302, 200, 404, 404, 403)),
    ("POST", "/postings/{demand}/edit", row(302, 200, 403, 403, 403)),
    ("POST", "/postings/{demand}/close", row(302, 302, 403, 403, 403)),
    ("POST", "/postings/{draft}/publish", row(302, 302, 404, 404, 403)),
    ("POST", "/postings/{draft}/delete", row(302, 302, 404, 404, 403)),
    ("GET", "/postings/export.csv", row(302, 200, 200, 200, 200)),
    ("GET", "/postings/import", row(302, 403, 403, 403, 200)),
    ("POST", "/postings/import", row(302, 403, 403, 403, 200)),
    ("GET", "/postings/import/{import}", row(302, 403, 403, 403, 200)),
    ("GET", "/postings/import/template.xlsx", row(302, 403, 403, 403, 200)),
    # The API takes bearer tokens only: a signed-in browser session opens nothing there
    # (so it needs no CSRF token). Who a token may act for: tests/api.
    ("GET", "/api/v1/postings", row(401, 401, 401, 401, 401)),
    ("POST", "/api/v1/postings", row(401, 401, 401, 401, 401)),
    ("GET", "/api/v1/postings/{draft}", row(401, 401, 401, 401, 401)),
    ("PATCH", "/api/v1/postings/{draft}", row(401, 401, 401, 401, 401)),
    ("POST", "/api/v1/postings/{draft}/publish", row(401, 401, 401, 401, 401)),
    ("POST", "/api/v1/postings/{demand}/close", row(401, 401, 401, 401, 401)),
    ("GET", "/api/v1/postings/{demand}/matches", row(401, 401, 401, 401, 401)),
    ("POST", "/api/v1/imports", row(401, 401, 401, 401, 401)),
    ("GET", "/api/v1/imports/{import}", row(401, 401, 401, 401, 401)),
    ("GET", "/api/v1/organizations", row(401, 401, 401, 401, 401)),
    ("GET", "/api/v1/organizations/{partner}", row(401, 401, 401, 401, 401)),
    ("GET", "/api/v1/proposals", row(401, 401, 401, 401, 401)),
    ("POST", "/api/v1/proposals", row(401, 401, 401, 401, 401)),
    ("GET", "/api/v1/proposals/{proposal}", row(401, 401, 401, 401, 401)),
    ("POST", "/api/v1/proposals/{proposal}/actions/suspend", row(401, 401, 401, 401, 401)),
    ("GET", "/api/v1/agreements/{agreement}", row(401, 401, 401, 401, 401)),
    ("GET", "/api/v1/agreements/{agreement}/pdf", row(401, 401, 401, 401, 401)),
    ("GET", "/api/v1/verify/{code}", row(401, 401, 401, 401, 401)),
    ("GET", "/api/v1/monitoring/balance", row(401, 401, 401, 401, 401)),
    ("GET", "/api/v1/monitoring/warnings", row(401, 401, 401, 401, 401)),
    ("GET", "/api/v1/openapi.json", row(200, 200, 200, 200, 200)),
    # Anyone may ask for a token: the client's credentials decide (none here: 400).
    ("POST", "/api/v1/oauth/token", row(400, 400, 400, 400, 400)),
    ("GET", "/settings/oauth-clients/", row(302, 403, 403, 403, 200)),
    # An empty form is shown again with its messages.
    ("POST", "/settings/oauth-clients/", row(302, 403, 403, 403, 200)),
    ("POST", "/settings/oauth-clients/{client}/revoke", row(302, 403, 403, 403, 302)),
    ("GET", "/settings/webhooks/", row(302, 200, 200, 200, 200)),
    # An empty form is shown again with its messages.
    ("POST", "/settings/webhooks/", row(302, 200, 200, 200, 200)),
    # The webhook (turned off after failing) and its delivery are HR's own.
    ("POST", "/settings/webhooks/{webhook}/delete", row(302, 302, 404, 404, 404)),
    ("POST", "/settings/webhooks/{webhook}/enable", row(302, 302, 404, 404, 404)),
    ("POST", "/settings/webhooks/deliveries/{delivery}/replay",
     row(302, 302, 404, 404, 404)),
    ("GET", "/api/v1/reference", row(200, 200, 200, 200, 200)),
    ("GET", "/settings/tokens/", row(302, 200, 200, 200, 200)),
    # An empty form is shown again with its messages.
    ("POST", "/settings/tokens/", row(302, 200, 200, 200, 200)),
    # The token is the enterprise HR's own.
    ("POST", "/settings/tokens/{api_token}/revoke", row(302, 302, 404, 404, 404)),
]
# A page that only reads is asked by all five people on one world (reading changes
# nothing another person's answer depends on); a change is asked on a world of its own.
READS = [(path, expected) for method, path, expected in MATRIX if method == "GET"]
CHANGES = [(method, path, who, expected[who]) for method, path, expected in MATRIX
           if method != "GET" for who in WHO]


def _needs_no_world(path: str, expected: dict[str, int]) -> bool:
    """The API refuses a browser's session before it looks anything up: any id will do,
    and the costly world is not laid down."""
    return path.startswith("/api/v1/") and set(expected.values()) == {401}


def _bare_world(db, path: str, people: Iterable[str]) -> dict:  # noqa: ANN001
    """Just the people asking, and an id for each placeholder of `path`."""
    from portal.accounts.models import OrgKind

    kinds = {HR: OrgKind.ENTERPRISE, STAFF: OrgKind.UNIVERSITY, OUTSIDER: OrgKind.ENTERPRISE}
    users = {who: factories.coordinator(db) if who == COORDINATOR else
             factories.member(db, kinds[who]) for who in people if who != ANONYMOUS}
    return {"users": users, "ids": dict.fromkeys(re.findall(r"\{(\w+)\}", path), 1)}


def _world_for(request, db, path: str, expected: dict[str, int]) -> dict:  # noqa: ANN001
    """The world for `expected` (who asks → the answer they should get)."""
    return _bare_world(db, path, expected) if _needs_no_world(path, expected) \
        else request.getfixturevalue("world")


def _ask(client, login_as, world: dict, method: str, path: str, who: str):  # noqa: ANN001, ANN202
    """`who`'s answer to `method path`, with the world's ids in the path."""
    with client.session_transaction() as session:
        session.clear()
    if who != ANONYMOUS:
        login_as(world["users"][who])
    values = dict(world["ids"])
    if "{unsubscribe}" in path:
        with client.application.app_context():  # signed with this app's key
            values["unsubscribe"] = unsubscribe_token(world["users"]["hr"].id, ALL)
    response = client.open(path.format(**values), method=method, data={})
    if who == ANONYMOUS and response.status_code == LOGIN and path not in (
            "/logout", "/language"):
        assert "/login" in response.headers["Location"], (method, path)
    return response


@pytest.mark.parametrize("path, expected", READS, ids=[f"GET {path}" for path, _ in READS])
def test_who_may_read(request, client, db, login_as, path, expected):
    world = _world_for(request, db, path, expected)
    answers = {who: _ask(client, login_as, world, "GET", path, who).status_code
               for who in WHO}
    assert answers == expected


@pytest.mark.parametrize("method, path, who, expected", CHANGES,
                         ids=[f"{m} {p} {w}" for m, p, w, _ in CHANGES])
def test_who_may_change(request, client, db, login_as, method, path, who, expected):
    world = _world_for(request, db, path, {who: expected})
    assert _ask(client, login_as, world, method, path, who).status_code == expected


def test_every_endpoint_is_in_the_matrix(app):
    """A route nobody put in the matrix has no stated rule of who may use it."""
    adapter = app.url_map.bind("localhost")
    covered = set()
    for method, path, _expected in MATRIX:
        url = re.sub(r"\{\w+\}", "1", path)
        try:
            endpoint, _args = adapter.match(url, method=method)
        except MethodNotAllowed:
            endpoint, _args = adapter.match(url, method="POST")
        covered.add(endpoint)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - covered == set()
