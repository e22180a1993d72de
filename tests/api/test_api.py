"""The public API (issue 17): bearer tokens within their user's permissions and their
scopes, problem details in the caller's language, postings through the web forms' rules,
cursor pages and incremental sync, ETag / If-Match and Idempotency-Key."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts.models import OrgKind
from portal.api.models import ApiToken
from portal.db import utcnow
from portal.postings.models import Posting, PostingKind, PostingStatus
from tests import factories
from tests.factories import PROBLEM, bearer

DEMAND = {"kind": "talent_demand", "title": "PLC电气工程师", "headcount": 3,
          "description": "负责产线PLC程序调试与设备维护。", "skills": ["PLC编程", "电气图纸"],
          "major": "电气自动化技术"}


@pytest.fixture
def hr(db):
    return factories.member(db, OrgKind.ENTERPRISE)


@pytest.fixture
def secret(db, hr):
    return factories.api_token(db, hr)


def test_without_a_live_token_the_api_answers_401_as_problem_details(client, db, hr):
    answer = client.get("/api/v1/postings")
    assert answer.status_code == 401 and answer.mimetype == PROBLEM
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.json["status"] == 401 and "Bearer" in answer.json["detail"]
    assert client.get("/api/v1/postings", headers=bearer("cjp_forged")).status_code == 401
    expired = factories.api_token(db, hr)
    token = db.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    answer = client.get("/api/v1/postings", headers=bearer(expired, **{"Accept-Language": "zh-CN"}))
    assert answer.status_code == 401 and "已过期" in answer.json["detail"]
    # A signed-in browser session is not a credential here (no CSRF token is asked).
    client.get("/")
    assert client.get("/api/v1/postings").status_code == 401


def test_a_token_does_only_what_its_scopes_and_its_user_allow(client, db, hr):
    read_only = factories.api_token(db, hr, "read")
    answer = client.post("/api/v1/postings", json=DEMAND, headers=bearer(read_only))
    assert answer.status_code == 403 and "write" in answer.json["detail"]
    assert 'insufficient_scope' in answer.headers["WWW-Authenticate"]
    from portal.api.models import Scope
    from portal.api.tokens import create_token
    from portal.errors import PermissionDenied
    with pytest.raises(PermissionDenied):
        create_token(db, hr, "too much", [Scope.COORDINATOR], 30)
    # An organisation's posting stays its own, whatever the token says.
    other = factories.posting(db, PostingKind.TALENT_DEMAND)
    db.commit()
    answer = client.patch(f"/api/v1/postings/{other.id}", json={"title": "改"},
                          headers=bearer(factories.api_token(db, hr), **{"If-Match": '"v1"'}))
    assert answer.status_code == 403


def test_a_posting_is_created_through_the_web_forms_rules(client, db, hr, secret):
    answer = client.post("/api/v1/postings", json=DEMAND, headers=bearer(secret))
    assert answer.status_code == 201, answer.json
    body = answer.json
    assert body["status"] == "draft" and body["skills"] == ["PLC编程", "电气图纸"]
    assert answer.headers["Location"] == f"/api/v1/postings/{body['id']}"
    assert answer.headers["ETag"] == '"v1"'
    assert "\\u" not in answer.get_data(as_text=True)  # Chinese unescaped
    posting = db.get(Posting, body["id"])
    assert posting.organization_id == hr.organization_id and posting.created_by_id == hr.id


@pytest.mark.parametrize(("language", "wanted"), [("zh-CN", "此项为必填项。"),
                                                  ("en", "This field is required.")])
def test_bad_fields_are_named_in_the_callers_language(client, db, hr, secret, language,
                                                      wanted):
    body = {**DEMAND, "title": "", "headcount": 0, "salary_min": 9000, "salary_max": 5000}
    del body["description"]
    answer = client.post("/api/v1/postings", json=body,
                         headers=bearer(secret, **{"Accept-Language": language}))
    assert answer.status_code == 422 and answer.mimetype == PROBLEM
    errors = {error["pointer"]: error["detail"] for error in answer.json["errors"]}
    assert errors["/description"] == wanted
    # The shape: required, not blank, within bounds.
    assert set(errors) == {"/description", "/headcount", "/title"} and errors["/title"] == wanted
    # Once the shape is right, the web form's own rules speak (a title of invisible
    # characters only, which the form strips; the salary range upside down).
    answer = client.post("/api/v1/postings", json={**DEMAND, "title": "\u200b",
                                                    "salary_min": 9000, "salary_max": 5000},
                         headers=bearer(secret, **{"Accept-Language": language}))
    errors = {error["pointer"]: error["detail"] for error in answer.json["errors"]}
    assert set(errors) == {"/title", "/salary_max"} and errors["/title"] == wanted
    assert db.scalar(select(func.count()).select_from(Posting)) == 0


def test_a_kind_of_the_other_side_and_unknown_fields_are_refused(client, db, secret):
    programme = {"kind": "curriculum", "title": "电气自动化技术专业", "major": "电气自动化技术",
                 "description": "培养PLC编程人才。"}
    assert client.post("/api/v1/postings", json=programme,
                       headers=bearer(secret)).status_code == 403
    answer = client.post("/api/v1/postings", json={**DEMAND, "capacity": 40},
                         headers=bearer(secret))
    assert answer.status_code == 422
    assert [e["pointer"] for e in answer.json["errors"]] == ["/capacity"]
    answer = client.post("/api/v1/postings", data="{not json", content_type="application/json",
                         headers=bearer(secret))
    assert answer.status_code == 422 and answer.mimetype == PROBLEM


def test_a_retried_create_with_the_same_key_creates_once(client, db, secret):
    headers = bearer(secret, **{"Idempotency-Key": "7f1c-01"})
    first = client.post("/api/v1/postings", json=DEMAND, headers=headers)
    again = client.post("/api/v1/postings", json=DEMAND, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert db.scalar(select(func.count()).select_from(Posting)) == 1
    other = client.post("/api/v1/postings", json={**DEMAND, "title": "另一个"}, headers=headers)
    assert other.status_code == 422 and "Idempotency-Key" in other.json["detail"]

    # The daily clean-up forgets a key once it is past its day, and only then.
    from portal.api.idempotency import KEPT_FOR, forget_old_keys
    from portal.api.models import IdempotentRequest

    forget_old_keys()
    db.expire_all()
    kept = db.scalars(select(IdempotentRequest)).one()
    kept.created_at = utcnow() - KEPT_FOR - timedelta(minutes=1)
    db.commit()
    forget_old_keys()
    assert db.scalars(select(IdempotentRequest)).all() == []


def test_updates_need_the_current_etag(client, db, hr, secret):
    posting = factories.posting(db, PostingKind.TALENT_DEMAND, org=hr.organization)
    db.commit()
    url = f"/api/v1/postings/{posting.id}"
    read = client.get(url, headers=bearer(secret))
    etag = read.headers["ETag"]
    assert client.get(url, headers=bearer(secret, **{"If-None-Match": etag})).status_code == 304
    assert client.patch(url, json={"headcount": 5}, headers=bearer(secret)).status_code == 428
    changed = client.patch(url, json={"headcount": 5}, headers=bearer(secret, **{"If-Match": etag}))
    assert changed.status_code == 200 and changed.json["headcount"] == 5
    assert changed.json["title"] == posting.title  # fields not sent stay as they were
    assert changed.headers["ETag"] != etag
    stale = client.patch(url, json={"headcount": 6}, headers=bearer(secret, **{"If-Match": etag}))
    assert stale.status_code == 412
    db.expire_all()
    assert db.get(Posting, posting.id).headcount == 5


def test_publish_and_close_follow_the_posting_workflow(client, db, hr, secret):
    draft = client.post("/api/v1/postings", json=DEMAND, headers=bearer(secret)).json
    url = f"/api/v1/postings/{draft['id']}"
    assert client.post(f"{url}/close", headers=bearer(secret)).status_code == 409
    published = client.post(f"{url}/publish", headers=bearer(secret))
    assert published.status_code == 200 and published.json["status"] == "published"
    assert client.post(f"{url}/publish", headers=bearer(secret)).status_code == 409
    assert client.post(f"{url}/close", headers=bearer(secret)).json["status"] == "closed"


def test_others_see_live_postings_and_never_drafts(client, db, hr):
    draft = factories.posting(db, PostingKind.TALENT_DEMAND, org=hr.organization, publish=False)
    live = factories.posting(db, PostingKind.TALENT_DEMAND, org=hr.organization)
    staff = factories.member(db, OrgKind.UNIVERSITY)
    theirs = factories.api_token(db, staff, "read")
    assert client.get(f"/api/v1/postings/{draft.id}", headers=bearer(theirs)).status_code == 404
    listed = client.get("/api/v1/postings", headers=bearer(theirs)).json
    assert [item["id"] for item in listed["items"]] == [live.id]
    assert listed["items"][0]["organization"]["name"] == hr.organization.name


def test_a_mirror_follows_changes_page_by_page_closed_ones_included(client, db, hr):
    from portal.postings.services import close_posting

    made = [factories.posting(db, PostingKind.TALENT_DEMAND, org=hr.organization)
            for _ in range(5)]
    db.commit()
    secret = factories.api_token(db, factories.member(db, OrgKind.UNIVERSITY), "read")
    since = (utcnow() - timedelta(hours=1)).isoformat()
    seen, cursor = [], ""
    while True:
        page = client.get("/api/v1/postings", headers=bearer(secret), query_string={
            "updated_since": since, "limit": 2, "cursor": cursor}).json
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [posting.id for posting in made]
    last_seen = db.get(Posting, seen[-1]).updated_at
    close_posting(db, made[1], hr)
    db.commit()
    page = client.get("/api/v1/postings", headers=bearer(secret), query_string={
        "updated_since": last_seen.isoformat()}).json
    assert [(item["id"], item["status"]) for item in page["items"]] == [
        (made[1].id, PostingStatus.CLOSED.value)]


def test_bad_query_parameters_are_problems_not_errors(client, db, secret):
    for query in ({"limit": 0}, {"limit": "x"}, {"kind": "job"}, {"updated_since": "yesterday"},
                  {"bogus": 1}, {"cursor": "garbage"}):
        answer = client.get("/api/v1/postings", headers=bearer(secret), query_string=query)
        assert answer.status_code in (200, 422), (query, answer.status_code)
        if answer.status_code == 422:
            assert answer.mimetype == PROBLEM and answer.json["errors"]


def test_organisations_are_listed_with_a_cursor_and_read_one_by_one(client, db, hr, secret):
    factories.member(db, OrgKind.UNIVERSITY)
    pending = factories.organization(db, OrgKind.ENTERPRISE)
    db.commit()
    first = client.get("/api/v1/organizations", headers=bearer(secret),
                       query_string={"limit": 1}).json
    second = client.get("/api/v1/organizations", headers=bearer(secret),
                        query_string={"limit": 1, "cursor": first["next_cursor"]}).json
    assert first["total"] == 2 and len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert client.get(f"/api/v1/organizations/{pending.id}",
                      headers=bearer(secret)).status_code == 404
    own = client.get(f"/api/v1/organizations/{hr.organization_id}", headers=bearer(secret))
    assert own.json["verified"] is True


def test_unknown_addresses_under_the_api_are_problems(client, secret):
    answer = client.get("/api/v1/nothing-here", headers=bearer(secret))
    assert answer.status_code == 404 and answer.mimetype == PROBLEM


def test_the_openapi_document_validates_and_covers_every_route(app, client):
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert document["openapi"].startswith("3.1")
    documented = {(path, method) for path, operations in document["paths"].items()
                  for method in operations}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint not in ("api.openapi",
                                                                       "api.reference"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method.lower()) in documented, (path, method)
    page = client.get("/api/v1/reference").get_data(as_text=True)
    assert "/api/v1/postings/{posting_id}" in page and "PostingNew" in page


def test_a_postings_matches_come_with_why_they_fit(client, db, hr, secret):
    order, cnc, data = factories.market(db)
    db.commit()
    answer = client.get(f"/api/v1/postings/{order.id}/matches", headers=bearer(secret))
    assert answer.status_code == 200
    items = answer.json["items"]
    assert items and items[0]["posting"]["id"] == cnc.id
    best = items[0]
    assert best["score"] > 0 and best["matched"] and sum(best["components"].values()) > 0
    assert client.get(f"/api/v1/postings/{order.id}/matches", headers=bearer(secret),
                      query_string={"limit": 99}).status_code == 422
    draft = factories.posting(db, PostingKind.TALENT_DEMAND, publish=False)
    db.commit()
    assert client.get(f"/api/v1/postings/{draft.id}/matches",
                      headers=bearer(secret)).status_code == 404


def test_coordinators_import_a_document_and_follow_its_report(client, db, hr, secret):
    document = factories.import_document([factories.IMPORT_DEMAND,
                                          {**factories.IMPORT_SUPPLY, "capacity": "很多"}])
    assert client.post("/api/v1/imports", json=document,
                       headers=bearer(secret)).status_code == 403  # not a coordinator
    office = factories.coordinator(db)
    token = factories.api_token(db, office, "read", "coordinator")
    answer = client.post("/api/v1/imports", json=document,
                         headers=bearer(token, **{"Accept-Language": "en"}))
    assert answer.status_code == 202, answer.json
    status = client.get(answer.headers["Location"],
                        headers=bearer(token, **{"Accept-Language": "en"})).json
    assert status["status"] == "done" and status["report"]["postings_created"] == 1
    assert [(e["ref"], e["field"]) for e in status["report"]["errors"]] == [("S001", "capacity")]
    assert client.post("/api/v1/imports", json={"format": "other"},
                       headers=bearer(token)).status_code == 422


def test_each_token_has_its_own_rate_limit_told_in_headers(app, client, db, hr, secret):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    other = factories.api_token(db, hr)
    answers = [client.get("/api/v1/postings", headers=bearer(secret)) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0].headers["RateLimit-Limit"] == "2"
    assert answers[1].headers["RateLimit-Remaining"] == "0"
    assert 0 < int(answers[0].headers["RateLimit-Reset"]) <= 61
    refused = answers[2]
    assert refused.mimetype == PROBLEM and 0 < int(refused.headers["Retry-After"]) <= 61
    assert client.get("/api/v1/postings", headers=bearer(other)).status_code == 200


def test_a_repeated_query_parameter_is_refused(client, secret):
    """Found by the contract test: q=PLC&q=x was read as its first value."""
    answer = client.get("/api/v1/postings?q=PLC&q=x", headers=bearer(secret))
    assert answer.status_code == 422 and answer.json["errors"][0]["pointer"] == "/q"


def test_a_mirror_of_the_directory_asks_for_changes_since_its_last_look(client, db, secret):
    from portal.accounts.models import Organization

    first = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    second = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    db.commit()
    since = (utcnow() - timedelta(minutes=1)).isoformat()
    seen, cursor = [], ""
    while True:
        page = client.get("/api/v1/organizations", query_string={
            "updated_since": since, "limit": 1, "cursor": cursor}, headers=bearer(secret)).json
        seen += [(item["id"], item["updated_at"]) for item in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = page["next_cursor"]
    ids = [org_id for org_id, _at in seen]
    assert set(ids) >= {first.id, second.id} and ids == sorted(
        ids, key=lambda org_id: dict(seen)[org_id])  # oldest change first
    last = max(at for _id, at in seen)
    assert client.get("/api/v1/organizations", query_string={"updated_since": last},
                      headers=bearer(secret)).json["items"] == []
    db.get(Organization, first.id).description = "新增智能制造专业群。"
    db.commit()
    changed = client.get("/api/v1/organizations", query_string={"updated_since": last},
                         headers=bearer(secret)).json["items"]
    assert [item["id"] for item in changed] == [first.id]
