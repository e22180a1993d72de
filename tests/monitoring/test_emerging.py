"""Emerging skills and the new words offered to the vocabulary."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.accounts.models import OrgKind
from portal.matching.models import SkillSynonym
from portal.monitoring.emerging import candidates, trends
from portal.monitoring.models import Dimension, PostingFacet, PostingTerm
from portal.monitoring.periods import Period, PeriodKind
from portal.postings.models import Posting, PostingKind
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
Q3 = Period(PeriodKind.QUARTER, 2026, 3)


@pytest.fixture
def market(db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    # Python demand grows 2 → 4 → 8 → 16 over Q4 2025…Q3 2026; PLC stays at 5.
    for month, people in ((11, 2), (2, 4), (5, 8), (8, 16)):
        year = 2025 if month == 11 else 2026
        for skills, headcount in (("Python、PVsyst", people), ("PLC编程", 5)):
            posting = factories.posting(db, PostingKind.TALENT_DEMAND, org=firm,
                                        description="负责相关工作。", major="",
                                        skills=skills, headcount=headcount)
            posting.published_at = datetime(year, month, 3, tzinfo=SHANGHAI)
    db.commit()


def test_the_fastest_growing_skills(db, market):
    found = {t.key: t for t in trends(db, Q3, SHANGHAI)}
    assert found["c:python"].demand == [2, 4, 8, 16] and found["c:python"].growth == 14
    assert "c:plc" not in found  # steady
    assert found["t:pvsyst"].is_known is False


def test_unknown_words_with_their_likely_meaning(db, market):
    offered = candidates(db, Q3, SHANGHAI)
    assert [(c.word, c.postings, c.suggested) for c in offered] == [("pvsyst", 4, "python")]


def test_one_click_adds_a_word_and_monitoring_counts_it(client, db, login_as, market):
    login_as("coordinator")
    page = client.get("/monitoring/emerging?period=2026-Q3").get_data(as_text=True)
    assert "pvsyst" in page and 'name="concept" value="python"' in page
    response = client.post("/matching/synonyms", data={"alias": "pvsyst", "concept": "python"})
    assert response.status_code == 302
    assert db.scalar(select(SkillSynonym.alias)) == "pvsyst"
    # The facets were derived again with the new word (a job after the commit).
    keys = set(db.scalars(select(PostingFacet.key).where(
        PostingFacet.dimension == Dimension.SKILL)))
    assert "t:pvsyst" not in keys and "c:python" in keys
    assert candidates(db, Q3, SHANGHAI) == []


def test_the_vocabulary_page_takes_an_offered_word(client, login_as):
    login_as("coordinator")
    page = client.get("/matching/synonyms?alias=PVsyst").get_data(as_text=True)
    assert 'value="PVsyst"' in page


def test_words_listed_in_the_text_are_offered_too(db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    for day in (3, 4):
        posting = factories.posting(db, PostingKind.TALENT_DEMAND, org=firm, major="",
                                    skills="", description="熟悉Python、Zemax等软件。")
        posting.published_at = datetime(2026, 8, day, tzinfo=SHANGHAI)
    # Once only, and in a curriculum: neither is offered.
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    for kind, org in ((PostingKind.TALENT_DEMAND, firm), (PostingKind.CURRICULUM, college)):
        factories.posting(db, kind, org=org, skills="", description="熟悉Python、Lumerical。") \
            .published_at = datetime(2026, 8, 5, tzinfo=SHANGHAI)
    db.commit()
    offered = candidates(db, Q3, SHANGHAI)
    assert [(c.word, c.postings, c.suggested) for c in offered] == [("zemax", 2, "python")]
    # The words follow their posting's publication time (outside the four quarters).
    for term in db.scalars(select(PostingTerm)):
        db.get(Posting, term.posting_id).published_at = datetime(2024, 1, 1, tzinfo=SHANGHAI)
    db.commit()
    assert candidates(db, Q3, SHANGHAI) == []


def test_a_tag_and_a_listed_word_count_their_posting_once(db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    for day in (3, 4):
        factories.posting(db, PostingKind.TALENT_DEMAND, org=firm, skills="Zemax",
                          description="熟悉Python、Zemax。").published_at = \
            datetime(2026, 8, day, tzinfo=SHANGHAI)
    db.commit()
    assert [(c.word, c.postings) for c in candidates(db, Q3, SHANGHAI)] == [("zemax", 2)]


def test_the_suggested_meaning_is_the_skill_beside_the_word_most_often(db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    # Zemax is written beside Python in three demands and beside PLC in one: Python.
    for day, other in ((3, "Python"), (4, "Python"), (5, "Python"), (6, "PLC编程")):
        factories.posting(db, PostingKind.TALENT_DEMAND, org=firm, skills=f"Zemax、{other}",
                          description="负责相关工作。").published_at = \
            datetime(2026, 8, day, tzinfo=SHANGHAI)
    db.commit()
    assert [(c.word, c.postings, c.suggested) for c in candidates(db, Q3, SHANGHAI)] == [
        ("zemax", 4, "python")]
