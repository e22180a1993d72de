"""The quarterly report: its figures, its PDF, publishing and the public page."""
from __future__ import annotations

import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.accounts.models import OrgKind
from portal.monitoring.models import MonitoringReport
from portal.monitoring.periods import Period, PeriodKind
from portal.monitoring.report import context, publish
from portal.postings.models import PostingKind
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
Q3 = Period(PeriodKind.QUARTER, 2026, 3)


def dated(db, kind, org, when, **fields):
    fields = {"description": "负责相关工作。", "skills": "", **fields}
    posting = factories.posting(db, kind, org=org, **fields)
    posting.published_at = when
    return posting


@pytest.fixture
def market(db):
    firm = factories.organization(db, OrgKind.ENTERPRISE, verified=True)
    college = factories.organization(db, OrgKind.UNIVERSITY, verified=True)
    demand, supply = PostingKind.TALENT_DEMAND, PostingKind.CURRICULUM
    august, may = datetime(2026, 8, 1, tzinfo=SHANGHAI), datetime(2026, 5, 1, tzinfo=SHANGHAI)
    dated(db, demand, firm, august, major="新能源汽车技术", headcount=25, district="嘉定区",
          industry="新能源汽车")
    dated(db, demand, firm, august, major="护理学", headcount=5, district="长宁区",
          industry="养老护理")
    dated(db, supply, college, august, major="护理学", capacity=40, district="长宁区")
    dated(db, demand, firm, may, major="护理学", headcount=10, district="长宁区",
          industry="养老护理")
    db.commit()


def test_the_figures(db, market):
    values = context(db, Q3, SHANGHAI)
    assert values["headline"] == {"demand": 30, "supply": 40, "gap": -10, "ratio": 0.75,
                                  "demand_change": 200.0, "supply_change": None,
                                  "demand_postings": 2, "supply_postings": 1}
    assert [(r["label"], r["gap"], r["is_new"]) for r in values["shortages"]] == [
        ("新能源汽车技术", 25, True)]
    assert [(r["label"], r["gap"], r["change"]) for r in values["surpluses"]] == [
        ("护理学", -35, -45)]
    assert [r["label"] for r in values["new_entries"]] == ["新能源汽车技术"]
    assert [(d["name"], d["demand"], d["supply"]) for d in values["districts"]] == [
        ("嘉定区", 25, 0), ("长宁区", 5, 40)]
    assert [(i["name"], i["demand"]) for i in values["industries"]] == [
        ("新能源汽车", 25), ("养老护理", 5)]


def test_one_district(db, market):
    values = context(db, Q3, SHANGHAI, district="长宁区")
    assert values["headline"]["demand"] == 5 and values["districts"] == []
    assert values["shortages"] == []


def pdf_text(tmp_path, pdf: bytes) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_the_pdf_has_the_period_and_the_top_shortage(runner, market, tmp_path):
    output = tmp_path / "q3.pdf"
    result = runner.invoke(args=["report", "--period", "2026-Q3", "--output", str(output)])
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path, output.read_bytes())
    assert "2026年第3季度产教供需分析报告" in text
    # The first row of the shortage ranking: rank, major, demand, supply, gap.
    rows = [line.split() for line in text.splitlines() if line.split()[:1] == ["1"]]
    assert rows[0][:6] == ["1", "新能源汽车技术", "(新)", "25", "0", "25"]
    english = runner.invoke(args=["report", "--period", "2026-Q3", "--output", str(output),
                                  "--language", "en"])
    assert english.exit_code == 0
    assert "Supply and demand of talent: Q3 2026" in pdf_text(tmp_path, output.read_bytes())


def test_a_bad_period_is_refused_by_the_command(runner, tmp_path):
    result = runner.invoke(args=["report", "--period", "2026-Q7", "--output",
                                 str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "2026-Q3" in result.output


def test_published_reports_are_public(client, db, login_as, market, tmp_path):
    coordinator = login_as("coordinator")
    assert "尚未发布报告" in client.get("/reports/").get_data(as_text=True)
    response = client.post("/monitoring/reports", data={"period": "2026-Q3"})
    assert response.status_code == 302
    client.post("/logout")
    page = client.get("/reports/").get_data(as_text=True)  # without signing in
    assert "2026-Q3" in page
    report = db.scalars(select(MonitoringReport)).one()
    assert report.published_by_id == coordinator.id
    download = client.get(f"/reports/{report.id}.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert "新能源汽车技术" in pdf_text(tmp_path, download.data)
    assert client.get(f"/reports/{report.id + 1}.pdf").status_code == 404


def test_the_preview_is_a_pdf_in_the_readers_language(client, login_as, market):
    login_as("coordinator")
    response = client.get("/monitoring/report.pdf?period=2026-Q3")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert client.get("/monitoring/report.pdf?period=bad").status_code == 302


def test_publishing_keeps_the_file_with_its_digest(db, market, app):
    import hashlib

    from portal.monitoring.report import pdf_of

    report = publish(db, Q3, SHANGHAI, factories.coordinator(db).id)
    db.commit()
    assert hashlib.sha256(pdf_of(report)).hexdigest() == report.sha256
