"""The monitoring pages as coordinators use them: filters, drill-down, exports, bad input."""
from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from portal.accounts.models import OrgKind
from portal.postings.models import PostingKind
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def market(db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    postings = [
        factories.posting(db, PostingKind.TALENT_DEMAND, org=firm, title="Java开发工程师",
                          major="软件工程", headcount=12, skills="Java"),
        factories.posting(db, PostingKind.CURRICULUM, org=college, title="软件工程专业",
                          major="软件工程", capacity=5, skills="Java"),
        factories.posting(db, PostingKind.CURRICULUM, org=college, title="护理专业",
                          major="护理学", capacity=40, skills=""),
    ]
    for posting in postings:
        posting.published_at = datetime(2026, 8, 1, 10, tzinfo=SHANGHAI)
    db.commit()
    return postings


def test_the_table_ranks_shortages_and_surpluses(client, login_as, market):
    login_as("coordinator")
    page = client.get("/monitoring/?period=2026-Q3").get_data(as_text=True)
    shortages, surpluses = page.split('id="surpluses-title"')
    assert "软件工程" in shortages and "护理学" not in shortages.split('id="shortages-title"')[1]
    assert "护理学" in surpluses
    assert "<svg" in shortages and "软件工程: " in shortages  # the chart, with its figures
    assert "2.40" in shortages  # 12 wanted ÷ 5 taught


def test_the_page_speaks_english_too(client, login_as, market):
    login_as("coordinator")
    client.post("/language", data={"language": "en"})
    page = client.get("/monitoring/?period=2026-Q3").get_data(as_text=True)
    assert "Shortages: more demand than supply" in page and "Q3 2026" in page


def test_a_row_drills_down_to_its_postings(client, login_as, market):
    login_as("coordinator")
    page = client.get("/monitoring/postings", query_string={
        "dimension": "major", "key": "软件工程", "period": "2026-Q3"}).get_data(as_text=True)
    assert "Java开发工程师" in page and "软件工程专业" in page and "护理专业" not in page


def test_an_unknown_row_is_not_found(client, login_as, market):
    login_as("coordinator")
    assert client.get("/monitoring/postings?dimension=major&key=无此专业").status_code == 404
    assert client.get("/monitoring/postings").status_code == 404


def test_a_malformed_period_is_explained_and_the_current_quarter_shown(client, login_as):
    login_as("coordinator")
    response = client.get("/monitoring/?period=2026-Q9&dimension=nonsense&size=huge")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2026-Q9" in page and "不是" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_row_downloads(client, login_as, market, fmt):
    login_as("coordinator")
    response = client.get(f"/monitoring/export.{fmt}?period=2026-Q3&dimension=major")
    assert response.status_code == 200
    if fmt == "csv":
        rows = [line.split(",") for line in response.data.decode("utf-8-sig").splitlines()]
    else:
        sheet = load_workbook(io.BytesIO(response.data)).active
        rows = [[str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "专业"
    assert [row[0] for row in rows[1:]] == ["软件工程", "护理学"]
    assert [row[5] for row in rows[1:]] == ["7", "-40"]


def test_members_may_not_see_monitoring(client, login_as, market):
    login_as("enterprise_hr")
    assert client.get("/monitoring/").status_code == 403
    assert client.get("/monitoring/export.csv").status_code == 403
