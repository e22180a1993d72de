"""Demands nobody answers and curricula nobody asks for, after N days."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.accounts.models import OrgKind
from portal.monitoring.models import Dimension
from portal.monitoring.unmatched import unmatched
from portal.postings.models import PostingKind
from tests import factories

NOW = datetime.now(UTC)


@pytest.fixture
def market(db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    made = {
        "answered": factories.posting(db, PostingKind.TALENT_DEMAND, org=firm,
                                      title="PLC电气工程师", major="电气自动化技术"),
        "fits": factories.posting(db, PostingKind.CURRICULUM, org=college,
                                  title="电气自动化技术专业", major="电气自动化技术",
                                  capacity=40, courses="PLC编程、电气控制"),
        "nurse": factories.posting(db, PostingKind.TALENT_DEMAND, org=firm, title="养老护理员",
                                   description="负责老人日常照护。", skills="老年照护",
                                   major="护理学", headcount=8),
        "accounting": factories.posting(db, PostingKind.CURRICULUM, org=college,
                                        title="会计学专业", description="培养财务会计人才。",
                                        skills="财务会计、税务", major="会计学", capacity=60),
        "no_capacity": factories.posting(db, PostingKind.CURRICULUM, org=college,
                                         title="英语专业", description="培养英语翻译人才。",
                                         skills="翻译", major="英语", capacity=None),
    }
    for posting in made.values():
        posting.published_at = NOW - timedelta(days=40)
    # Too recent to count as unanswered yet.
    made["new"] = factories.posting(db, PostingKind.TALENT_DEMAND, org=firm, title="药剂师",
                                    description="负责药品调剂。", skills="药品调剂",
                                    major="药学", headcount=2)
    db.commit()
    return made


def test_unanswered_after_thirty_days(db, market):
    demands, curricula = unmatched(db, Dimension.MAJOR, 30, NOW)
    assert [p.title for p in demands.postings] == ["养老护理员"]
    assert [(g.label, g.postings, g.people) for g in demands.groups] == [("护理学", 1, 8)]
    # A curriculum stating no graduates is not supply waiting for demand.
    assert [p.title for p in curricula.postings] == ["会计学专业"]
    assert [(g.label, g.people) for g in curricula.groups] == [("会计学", 60)]
    assert (demands.total, demands.unclassified) == (1, 0)


def test_a_longer_wait_and_a_shorter_one(db, market):
    assert unmatched(db, Dimension.MAJOR, 60, NOW)[0].total == 0
    assert {p.title for p in unmatched(db, Dimension.MAJOR, 0, datetime.now(UTC))[0].postings} == {
        "养老护理员", "药剂师"}


def test_a_closed_demand_is_not_waiting(db, market):
    from portal.postings.services import close_posting

    nurse = market["nurse"]
    close_posting(db, nurse, nurse.organization.members[0])
    db.commit()
    assert unmatched(db, Dimension.MAJOR, 30, NOW)[0].total == 0


def test_the_page(client, login_as, market):
    login_as("coordinator")
    page = client.get("/monitoring/unmatched?days=30").get_data(as_text=True)
    demands, curricula = page.split('id="curricula-title"')
    assert "养老护理员" in demands and "PLC电气工程师" not in demands
    assert "会计学专业" in curricula and "电气自动化技术专业" not in curricula
    assert client.get("/monitoring/unmatched?days=abc&dimension=x").status_code == 200
