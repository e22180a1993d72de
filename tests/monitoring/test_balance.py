"""The balance table's figures on a fixture whose every number is known."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.accounts.models import EnterpriseSize, OrgKind
from portal.monitoring.balance import Filters, balance, postings_behind
from portal.monitoring.facets import rebuild_all
from portal.monitoring.models import Dimension, PostingFacet
from portal.monitoring.periods import Period, PeriodKind
from portal.postings.models import EducationLevel, PostingKind
from portal.postings.services import update_posting
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
Q3 = Period(PeriodKind.QUARTER, 2026, 3)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


def published(db, kind, when, org, **fields):
    fields = {"description": "负责软件开发与测试。", "skills": "", **fields}
    posting = factories.posting(db, kind, org=org, **fields)
    posting.published_at = when
    db.flush()
    return posting


@pytest.fixture
def market(db):
    """Q3 2026 and the quarter before it, in Shanghai time."""
    small = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    medium = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    medium.size = EnterpriseSize.MEDIUM
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    demand, order, supply = (PostingKind.TALENT_DEMAND, PostingKind.TRAINING_ORDER,
                             PostingKind.CURRICULUM)
    made = {
        # First minute of the quarter in Shanghai (still 30 June in UTC).
        "d1": published(db, demand, local(2026, 7, 1, 0, 0), small, major="软件工程",
                        headcount=5, district="浦东新区", industry="软件",
                        skills="Python、PLC编程"),
        "d2": published(db, order, local(2026, 8, 10, 9), medium, major="软件技术",
                        headcount=30, district="徐汇区",
                        education=EducationLevel.HIGHER_VOCATIONAL),
        # No headcount stated: one person. Last minute of the quarter.
        "d3": published(db, demand, local(2026, 9, 30, 23, 59), small, major="电气自动化技术",
                        headcount=None, district="徐汇区"),
        # The quarter before: last minute of 30 June in Shanghai.
        "d4": published(db, demand, local(2026, 6, 30, 23, 59), small, major="软件工程",
                        headcount=4, district="徐汇区"),
        "s1": published(db, supply, local(2026, 7, 15, 10), college, major="软件工程",
                        capacity=20, district="浦东新区", skills="Python",
                        education=EducationLevel.BACHELOR),
        "s2": published(db, supply, local(2026, 9, 1, 10), college, major="电气自动化技术",
                        capacity=50, district="徐汇区"),
        "s3": published(db, supply, local(2026, 4, 2, 10), college, major="软件工程",
                        capacity=10, district="徐汇区"),
    }
    # A draft is never counted, whatever it asks for.
    factories.posting(db, demand, org=small, publish=False, major="软件工程", headcount=100)
    db.commit()
    return made


def rows_of(result):
    return {row.label: (row.now.demand, row.now.supply, row.gap, row.gap_change, row.is_new)
            for row in result.rows}


def test_figures_per_major(db, market):
    result = balance(db, Dimension.MAJOR, Q3, SHANGHAI)
    assert rows_of(result) == {
        # demand, supply, gap, change of the gap on Q2, new
        "软件工程": (5, 20, -15, -9, False),
        "软件技术": (30, 0, 30, 30, True),
        "电气自动化技术": (1, 50, -49, -49, True),
    }
    by_label = {row.label: row for row in result.rows}
    assert by_label["软件工程"].ratio == pytest.approx(0.25)
    assert by_label["软件技术"].ratio is None
    assert [row.label for row in result.shortages] == ["软件技术"]
    assert [row.label for row in result.surpluses] == ["电气自动化技术", "软件工程"]
    assert by_label["软件工程"].now.demand_postings == 1
    assert by_label["软件工程"].now.supply_postings == 1


def test_a_major_counts_under_its_class(db, market):
    result = balance(db, Dimension.FIELD, Q3, SHANGHAI)
    # 软件工程 (本科) and 软件技术 (高职) are both 计算机类: 35 wanted, 20 taught.
    assert rows_of(result) == {"计算机类": (35, 20, 15, 21, False),
                               "自动化类": (1, 50, -49, -49, True)}


def test_skills_count_by_canonical_concept(db, market):
    result = {row.key: row for row in balance(db, Dimension.SKILL, Q3, SHANGHAI).rows}
    assert (result["c:python"].now.demand, result["c:python"].now.supply) == (5, 20)
    assert result["c:plc"].now.demand == 5


def test_the_previous_quarter_on_its_own(db, market):
    result = balance(db, Dimension.MAJOR, Q3.previous, SHANGHAI)
    assert rows_of(result) == {"软件工程": (4, 10, -6, -6, True)}


def test_an_empty_period_has_no_rows(db, market):
    assert balance(db, Dimension.MAJOR, Period(PeriodKind.QUARTER, 2025, 1), SHANGHAI).rows == []


def test_months_and_years(db, market):
    july = balance(db, Dimension.MAJOR, Period(PeriodKind.MONTH, 2026, 7), SHANGHAI)
    # June had 软件工程's demand d4 (4) and no supply: the gap fell by 19.
    assert rows_of(july) == {"软件工程": (5, 20, -15, -19, False)}
    year = balance(db, Dimension.MAJOR, Period(PeriodKind.YEAR, 2026), SHANGHAI)
    assert rows_of(year)["软件工程"][:2] == (9, 30)


def test_district_and_education_narrow_both_sides(db, market):
    pudong = balance(db, Dimension.MAJOR, Q3, SHANGHAI, Filters(district="浦东新区"))
    assert rows_of(pudong) == {"软件工程": (5, 20, -15, -15, True)}
    vocational = balance(db, Dimension.MAJOR, Q3, SHANGHAI,
                         Filters(education=EducationLevel.HIGHER_VOCATIONAL))
    assert rows_of(vocational) == {"软件技术": (30, 0, 30, 30, True)}


def test_industry_and_size_narrow_demand_only(db, market):
    software = balance(db, Dimension.MAJOR, Q3, SHANGHAI, Filters(industry="软件"))
    assert {label: figures[:2] for label, figures in rows_of(software).items()} == {
        "软件工程": (5, 20), "电气自动化技术": (0, 50)}
    medium = balance(db, Dimension.MAJOR, Q3, SHANGHAI, Filters(size=EnterpriseSize.MEDIUM))
    assert {label: figures[:2] for label, figures in rows_of(medium).items()} == {
        "软件技术": (30, 0), "软件工程": (0, 20), "电气自动化技术": (0, 50)}


def test_the_postings_behind_a_row(db, market):
    found, total = postings_behind(db, Dimension.FIELD, "computing", Q3, SHANGHAI)
    assert total == 3
    # Demands first, largest first; then the curricula.
    assert [p.id for p in found] == [market["d2"].id, market["d1"].id, market["s1"].id]


def test_an_edit_moves_a_posting_to_its_new_major(db, market):
    d1 = market["d1"]
    update_posting(db, d1, d1.organization.members[0], {"major": "电气自动化技术"})
    db.commit()
    assert rows_of(balance(db, Dimension.MAJOR, Q3, SHANGHAI))["电气自动化技术"][0] == 6


def test_a_rebuild_derives_the_same_facets(db, market):
    def facets():
        return sorted((row.posting_id, row.dimension.value, row.key, row.label)
                      for row in db.execute(select(PostingFacet)).scalars())
    before = facets()
    db.query(PostingFacet).delete()
    db.commit()
    assert rebuild_all() == 8
    db.expire_all()
    assert facets() == before


def test_the_two_forms_of_the_people_rule_agree(db, market):
    from portal.monitoring.balance import people_columns
    from portal.monitoring.facets import people
    from portal.postings.models import Posting

    db.add(factories.posting(db, PostingKind.CURRICULUM, major="软件工程", capacity=None))
    db.commit()
    demand, supply = people_columns()
    in_sql = dict(db.execute(select(Posting.id, demand + supply)).all())
    assert in_sql == {posting.id: people(posting) for posting in db.scalars(select(Posting))}


def test_facets_follow_a_change_made_outside_the_services(db, market):
    d1 = market["d1"]
    d1.headcount = 50
    d1.published_at = local(2026, 4, 2)  # moved to the quarter before
    db.commit()
    rows = rows_of(balance(db, Dimension.MAJOR, Q3, SHANGHAI))
    assert rows["软件工程"][:2] == (0, 20)
    assert rows_of(balance(db, Dimension.MAJOR, Q3.previous, SHANGHAI))["软件工程"][0] == 54
