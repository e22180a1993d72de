"""Proposals, partnerships and agreements through the API (issue 17): the same services
as the web pages decide each step; the API adds bearer scopes, ETags and problem details."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from portal.accounts.models import OrgKind
from portal.cooperation.models import Proposal, ProposalStatus
from portal.db import utcnow
from tests import factories
from tests.factories import PROBLEM, bearer

TERMS = {**factories.ORDER_TERMS, "cohort_size": 40, "skills": ["CNC编程", "机械制图"]}


@pytest.fixture
def parties(db):
    hr = factories.member(db, OrgKind.ENTERPRISE)
    staff = factories.member(db, OrgKind.UNIVERSITY)
    coordinator = factories.coordinator(db)
    db.commit()
    return {"hr": hr, "staff": staff, "coordinator": coordinator,
            "hr_key": factories.api_token(db, hr),
            "staff_key": factories.api_token(db, staff),
            "coordinator_key": factories.api_token(db, coordinator, "read", "coordinator")}


def proposal_body(staff, **changes):
    return {"kind": "order_training", "partner": staff.organization_id, "title": "数控订单班",
            "terms": TERMS, "note": "盼复", **changes}


def test_a_partnership_from_proposal_to_agreement(client, db, parties):
    sent = client.post("/api/v1/proposals", json=proposal_body(parties["staff"]),
                       headers=bearer(parties["hr_key"], **{"Idempotency-Key": "p-1"}))
    assert sent.status_code == 201, sent.json
    proposal = sent.json
    assert proposal["status"] == "proposed" and proposal["awaiting"]["id"] == \
        parties["staff"].organization_id
    assert proposal["terms"]["cohort_size"] == 40 and proposal["actions"] == ["withdraw"]
    assert sent.headers["Location"].endswith(f"/api/v1/proposals/{proposal['id']}")
    retried = client.post("/api/v1/proposals", json=proposal_body(parties["staff"]),
                          headers=bearer(parties["hr_key"], **{"Idempotency-Key": "p-1"}))
    assert retried.json["id"] == proposal["id"] and db.query(Proposal).count() == 1

    listed = client.get("/api/v1/proposals", headers=bearer(parties["staff_key"])).json
    assert [item["id"] for item in listed["items"]] == [proposal["id"]]
    assert set(listed["items"][0]["actions"]) == {"accept", "counter", "decline"}
    path = f"/api/v1/proposals/{proposal['id']}"
    read = client.get(path, headers=bearer(parties["staff_key"]))
    accepted = client.post(f"{path}/actions/accept", json={}, headers=bearer(
        parties["staff_key"], **{"If-Match": read.headers["ETag"]}))
    assert accepted.status_code == 200 and accepted.json["status"] == "pending_approval"

    approved = client.post(f"{path}/actions/approve", json={},
                           headers=bearer(parties["coordinator_key"]))
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "active" and approved.json["approved_version"] == 1
    [agreement] = approved.json["agreements"]  # issued by the job after the commit
    assert [event["action"] for event in approved.json["events"]] == [
        "propose", "accept", "approve"]

    metadata = client.get(f"/api/v1/agreements/{agreement['id']}",
                          headers=bearer(parties["hr_key"]))
    assert metadata.json["number"] == agreement["number"] and metadata.json["signed_by"] == []
    pdf = client.get(f"/api/v1/agreements/{agreement['id']}/pdf",
                     headers=bearer(parties["hr_key"]))
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert hashlib.sha256(pdf.data).hexdigest() == agreement["sha256"]
    checked = client.get(f"/api/v1/verify/{agreement['verification_code'].lower()}",
                         headers=bearer(parties["staff_key"]))
    assert checked.json["number"] == agreement["number"] and checked.json["status"] == "active"
    assert client.get("/api/v1/verify/NOPE-NOPE-NOPE", headers=bearer(
        parties["staff_key"])).status_code == 404


def test_each_step_is_refused_to_whoever_may_not_take_it(client, db, parties):
    proposal = client.post("/api/v1/proposals", json=proposal_body(parties["staff"]),
                           headers=bearer(parties["hr_key"])).json
    path = f"/api/v1/proposals/{proposal['id']}"
    outsider = factories.member(db, OrgKind.UNIVERSITY)
    db.commit()
    for asked in (path, f"{path}/actions/accept"):
        answer = client.open(asked, method="GET" if asked == path else "POST", json={},
                             headers=bearer(factories.api_token(db, outsider)))
        assert answer.status_code == 404 and answer.mimetype == PROBLEM
    read_only = factories.api_token(db, parties["staff"], "read")
    assert client.post(f"{path}/actions/accept", json={},
                       headers=bearer(read_only)).status_code == 403
    # The proposer cannot accept its own terms: the other side is awaited.
    own = client.post(f"{path}/actions/accept", json={},
                      headers=bearer(parties["hr_key"], **{"Accept-Language": "zh-CN"}))
    assert own.status_code == 409 and own.json["detail"] == "需要等待对方先答复。"
    assert client.post(f"{path}/actions/fly", json={},
                       headers=bearer(parties["staff_key"])).status_code == 404
    # A coordinator's decision needs the coordinators' scope, and comes in its turn.
    plain = factories.api_token(db, parties["coordinator"], "read")
    assert client.post(f"{path}/actions/approve", json={},
                       headers=bearer(plain)).status_code == 403
    early = client.post(f"{path}/actions/approve", json={},
                        headers=bearer(parties["coordinator_key"]))
    assert early.status_code == 409
    declined = client.post(f"{path}/actions/decline", json={},
                           headers=bearer(parties["staff_key"]))
    assert declined.status_code == 422 and declined.json["errors"][0]["pointer"] == "/comment"
    assert db.get(Proposal, proposal["id"]).status is ProposalStatus.PROPOSED


def test_terms_are_checked_where_they_are_and_a_stale_version_is_refused(client, db,
                                                                         parties):
    bad = client.post("/api/v1/proposals", json=proposal_body(
        parties["staff"], terms={**TERMS, "cohort_size": -1, "wings": 2}),
        headers=bearer(parties["hr_key"]))
    assert bad.status_code == 422
    assert {error["pointer"] for error in bad.json["errors"]} == {
        "/terms/cohort_size", "/terms/wings"}
    backwards = client.post("/api/v1/proposals", json=proposal_body(
        parties["staff"], terms={**TERMS, "end_date": "2020-01-01"}),
        headers=bearer(parties["hr_key"]))
    assert backwards.status_code == 422
    assert backwards.json["errors"][0]["pointer"] == "/terms/end_date"
    same_side = client.post("/api/v1/proposals", json=proposal_body(parties["hr"]),
                            headers=bearer(parties["hr_key"]))
    assert same_side.status_code == 422
    assert same_side.json["errors"][0]["pointer"] == "/partner"
    assert db.query(Proposal).count() == 0

    proposal = client.post("/api/v1/proposals", json=proposal_body(parties["staff"]),
                           headers=bearer(parties["hr_key"])).json
    path = f"/api/v1/proposals/{proposal['id']}"
    first = client.get(path, headers=bearer(parties["staff_key"])).headers["ETag"]
    countered = client.post(f"{path}/actions/counter", json={
        "terms": {**TERMS, "cohort_size": 30}, "comment": "先办 30 人"},
        headers=bearer(parties["staff_key"], **{"If-Match": first}))
    assert countered.status_code == 200 and countered.json["terms"]["cohort_size"] == 30
    assert countered.json["awaiting"]["id"] == parties["hr"].organization_id
    assert [version["number"] for version in countered.json["versions"]] == [1, 2]
    stale = client.post(f"{path}/actions/withdraw", json={},
                        headers=bearer(parties["staff_key"], **{"If-Match": first}))
    assert stale.status_code == 412
    wrong_term = client.post(f"{path}/actions/counter", json={"terms": {"cohort_size": "多"}},
                             headers=bearer(parties["hr_key"]))
    assert wrong_term.status_code == 422
    assert wrong_term.json["errors"][0]["pointer"] == "/terms/cohort_size"


def test_terminating_asks_for_confirmation(client, db, parties):
    proposal = factories.partnership(db)
    hr = proposal.proposer.members[0]
    db.commit()
    path = f"/api/v1/proposals/{proposal.id}/actions/terminate"
    key = factories.api_token(db, hr)
    unconfirmed = client.post(path, json={"comment": "违约"}, headers=bearer(key))
    assert unconfirmed.status_code == 422 and unconfirmed.json["errors"][0]["pointer"] == \
        "/confirm"
    done = client.post(path, json={"comment": "违约", "confirm": True}, headers=bearer(key))
    assert done.status_code == 200 and done.json["status"] == "terminated"
    assert done.json["agreements"][0]["status"] == "terminated"


def test_a_mirror_follows_changes_with_a_cursor(client, db, parties):
    made = [client.post("/api/v1/proposals", json=proposal_body(
        parties["staff"], title=f"订单班 {n}"), headers=bearer(parties["hr_key"])).json
        for n in range(3)]
    since = (utcnow() - timedelta(minutes=1)).isoformat()
    seen, cursor = [], ""
    while True:
        page = client.get("/api/v1/proposals", query_string={
            "updated_since": since, "limit": 2, "cursor": cursor},
            headers=bearer(parties["staff_key"])).json
        seen += [item["id"] for item in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = page["next_cursor"]
    assert seen == [proposal["id"] for proposal in made]  # oldest change first
    last = made[-1]["updated_at"]
    later = client.get("/api/v1/proposals", query_string={"updated_since": last},
                       headers=bearer(parties["staff_key"])).json
    assert later["items"] == []
