"""Every monitoring page's tables download as CSV and Excel, with the page's figures."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete

from portal.accounts.models import OrgKind
from portal.matching.models import PostingMatch
from portal.postings.models import PostingKind
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def market(db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    for kind, org, title, major, people, district in (
            (PostingKind.TALENT_DEMAND, firm, "Java开发工程师", "软件工程", 12, "浦东新区"),
            (PostingKind.CURRICULUM, college, "软件工程专业", "软件工程", 5, "闵行区"),
            (PostingKind.CURRICULUM, college, "护理专业", "护理学", 40, "闵行区")):
        posting = factories.posting(db, kind, org=org, title=title, major=major,
                                    skills="Java", district=district,
                                    **({"headcount": people} if kind is PostingKind.TALENT_DEMAND
                                       else {"capacity": people}))
        posting.published_at = datetime(2026, 8, 1, 10, tzinfo=SHANGHAI)
    db.commit()


def csv_rows(response) -> list[list[str]]:  # noqa: ANN001
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_the_districts_and_a_majors_quotients(client, login_as, market):
    login_as("coordinator")
    rows = csv_rows(client.get("/monitoring/districts/export.csv?period=2026-Q3"))
    assert rows[0] == ["各区分布"] and ["浦东新区", "12", "0", ""] in rows
    rows = csv_rows(client.get("/monitoring/districts/export.csv?period=2026-Q3"
                               "&dimension=major&key=软件工程"))
    # 浦东: all its demand is 软件工程 (share 1) against the city's 1: quotient 1.0.
    assert rows[0] == ["各区分布：软件工程"] and ["浦东新区", "12", "1.0", "0", ""] in rows


def test_unanswered_demand_and_supply(client, db, login_as, market):
    db.execute(delete(PostingMatch))  # no pair stored: every posting waits
    login_as("coordinator")
    rows = csv_rows(client.get("/monitoring/unmatched/export.csv?days=0"))
    titles = [row[0] for row in rows if len(row) == 1]
    assert titles == ["有活没人干：无专业对口的需求", "有人没活干：无企业需求的专业"]
    assert ["软件工程", "1", "12"] in rows and ["护理学", "1", "40"] in rows


def test_the_excel_file_has_a_sheet_per_table(client, db, login_as, market):
    db.execute(delete(PostingMatch))
    login_as("coordinator")
    for name, sheets in (("fairness", 4), ("partnerships", 2), ("emerging", 2),
                         ("unmatched", 2), ("districts", 1)):
        response = client.get(f"/monitoring/{name}/export.xlsx?period=2026-Q3&days=0")
        assert response.status_code == 200, name
        assert f'filename="{name}-' in response.headers["Content-Disposition"]
        workbook = load_workbook(io.BytesIO(response.data), read_only=True)
        assert len(workbook.sheetnames) == sheets, name
    workbook = load_workbook(io.BytesIO(client.get(
        "/monitoring/unmatched/export.xlsx?days=0").data), read_only=True)
    cells = [row for sheet in workbook for row in sheet.iter_rows(values_only=True)]
    assert ("护理学", 1, 40) in cells


def test_each_page_links_its_download_with_its_choices(client, login_as, market):
    login_as("coordinator")
    page = client.get("/monitoring/fairness?period=2026-Q3&district=浦东新区&fmt=x&name=y")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    links = re.findall(r'href="(/monitoring/fairness/export[^"]*)"', html)
    assert len(links) == 2 and all("period=2026-Q3&amp;district=" in link for link in links)
    assert not any("fmt=x" in link or "name=y" in link for link in links)


def test_only_coordinators_download_and_only_known_formats(client, db, login_as, market):
    assert client.get("/monitoring/fairness/export.csv").status_code == 302  # sign in first
    login_as(factories.member(db, OrgKind.ENTERPRISE))
    assert client.get("/monitoring/fairness/export.csv").status_code == 403
    login_as("coordinator")
    assert client.get("/monitoring/fairness/export.pdf").status_code == 404
    assert client.get("/monitoring/warnings/export.csv").status_code == 404
