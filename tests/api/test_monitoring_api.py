"""Monitoring through the API (issue 17): coordinators' tokens read the balance table and
the warnings as the monitoring pages figure them; nobody else does."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from portal.accounts.models import OrgKind
from portal.monitoring.models import Dimension, MonitoringWarning, RuleKind
from portal.monitoring.warnings import create_rule
from portal.postings.models import PostingKind
from tests import factories
from tests.factories import bearer

SHANGHAI = ZoneInfo("Asia/Shanghai")


def published(db, kind, org, when, **fields):
    posting = factories.posting(db, kind, org=org, description="负责软件开发与测试。",
                                skills="", **fields)
    posting.published_at = when
    return posting


def test_coordinators_read_the_balance_and_the_warnings(client, db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    published(db, PostingKind.TALENT_DEMAND, firm, datetime(2026, 7, 1, 0, 0, tzinfo=SHANGHAI),
              major="软件工程", headcount=5)
    published(db, PostingKind.TALENT_DEMAND, firm, datetime(2026, 8, 3, 9, tzinfo=SHANGHAI),
              major="软件技术", headcount=30)
    published(db, PostingKind.CURRICULUM, college, datetime(2026, 7, 15, tzinfo=SHANGHAI),
              major="软件工程", capacity=20)
    office = factories.coordinator(db)
    rule = create_rule(db, office, RuleKind.RATIO_ABOVE, threshold=2, span=1,
                       dimension=Dimension.MAJOR)
    db.add(MonitoringWarning(rule_id=rule.id, subject="major:软件技术", label="软件技术",
                             figures={"periods": [["2026-Q3", 30, 0]]}))
    db.commit()
    key = factories.api_token(db, office, "read", "coordinator")

    answer = client.get("/api/v1/monitoring/balance", query_string={"period": "2026-Q3"},
                        headers=bearer(key))
    assert answer.status_code == 200, answer.json
    assert answer.json["period"] == "2026-Q3" and answer.json["previous"] == "2026-Q2"
    rows = {row["label"]: (row["now"]["demand"], row["now"]["supply"], row["gap"])
            for row in answer.json["rows"]}
    assert rows == {"软件技术": (30, 0, 30), "软件工程": (5, 20, -15)}
    assert answer.json["rows"][0]["label"] == "软件技术"  # the shortage first
    by_class = client.get("/api/v1/monitoring/balance", query_string={
        "period": "2026-Q3", "dimension": "field"}, headers=bearer(key)).json
    assert [(row["label"], row["now"]["demand"]) for row in by_class["rows"]] == [
        ("计算机类", 35)]
    bad = client.get("/api/v1/monitoring/balance", query_string={"period": "明年"},
                     headers=bearer(key))
    assert bad.status_code == 422 and bad.json["errors"][0]["pointer"] == "/period"

    listed = client.get("/api/v1/monitoring/warnings", headers=bearer(key)).json["items"]
    assert [(item["label"], item["state"]) for item in listed] == [("软件技术", "new")]
    assert client.get("/api/v1/monitoring/warnings", query_string={"state": "closed"},
                      headers=bearer(key)).json["items"] == []

    # A member's token, or a coordinator's without the coordinators' scope: refused.
    hr = factories.member(db, OrgKind.ENTERPRISE)
    db.commit()
    for token in (factories.api_token(db, hr), factories.api_token(db, office, "read")):
        refused = client.get("/api/v1/monitoring/balance", headers=bearer(token))
        assert refused.status_code == 403
