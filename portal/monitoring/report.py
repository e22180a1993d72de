"""The quarterly supply–demand analysis (产教供需分析报告) as a PDF laid out like the
ministry's "最缺工" release: headline figures and their change, the largest shortages and
surpluses with gap, ratio and change, new entries, breakdowns by district and industry,
a chart, and the period's warnings with their responses."""
from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agreements.pdf import document_pdf
from portal.db import utcnow
from portal.errors import DomainError
from portal.monitoring import warnings
from portal.monitoring.balance import Filters, Row, balance, demand_by_industry, totals
from portal.monitoring.charts import bar_chart
from portal.monitoring.districts import district_view
from portal.monitoring.models import Dimension, MonitoringReport, MonitoringWarning
from portal.monitoring.periods import Period
from portal.storage import read_checked, store_pdf

# Rows of each ranking in the report.
RANKED = 10
TEMPLATE = "monitoring/pdf/report.html"


def _row(row: Row) -> dict[str, Any]:
    return {"label": row.label, "demand": row.now.demand, "supply": row.now.supply,
            "gap": row.gap, "ratio": None if row.ratio is None else round(row.ratio, 2),
            "change": row.gap_change, "is_new": row.is_new}


def _change(now: int, before: int) -> float | None:
    return None if not before else round(100 * (now - before) / before, 1)


def context(session: Session, period: Period, zone: ZoneInfo, district: str = "",
            now: datetime | None = None) -> dict[str, Any]:
    """Every figure the report prints, as plain values (what the template may use)."""
    filters = Filters(district=district)
    majors = balance(session, Dimension.MAJOR, period, zone, filters)
    fields = balance(session, Dimension.FIELD, period, zone, filters)
    current, before = totals(session, period, zone, filters), totals(
        session, period.previous, zone, filters)
    shortages = majors.shortages
    start, end = period.bounds(zone)
    fired = session.scalars(select(MonitoringWarning).where(
        MonitoringWarning.fired_at >= start, MonitoringWarning.fired_at < end)
        .order_by(MonitoringWarning.fired_at)).all()
    districts = district_view(session, period, zone, replace(filters, district=""))
    chart = bar_chart([(row.label, (row.now.demand, row.now.supply))
                       for row in shortages[:RANKED]])
    return {
        "period": period.label, "period_code": period.code,
        "previous": period.previous.label, "district": district,
        "issued": (now or utcnow()).astimezone(zone).date().isoformat(),
        "headline": {"demand": current.demand, "supply": current.supply,
                     "gap": current.demand - current.supply,
                     "ratio": round(current.demand / current.supply, 2)
                     if current.supply else None,
                     "demand_change": _change(current.demand, before.demand),
                     "supply_change": _change(current.supply, before.supply),
                     "demand_postings": current.demand_postings,
                     "supply_postings": current.supply_postings},
        "shortages": [_row(row) for row in shortages[:RANKED]],
        "surpluses": [_row(row) for row in majors.surpluses[:RANKED]],
        "new_entries": [_row(row) for row in shortages if row.is_new][:RANKED],
        "field_shortages": [_row(row) for row in fields.shortages[:RANKED]],
        "districts": [] if district else [
            {"name": row.district or _("No district given"),
             "demand": row.everything.demand, "supply": row.everything.supply,
             "ratio": round(row.everything.demand / row.everything.supply, 2)
             if row.everything.supply else None} for row in districts.rows],
        "industries": [{"name": name or _("Not given"), "demand": people, "postings": count}
                       for name, people, count in
                       demand_by_industry(session, period, zone, filters)[:RANKED]],
        "chart": asdict(chart),
        "warnings": [{"label": w.label, "rule": warnings.describe(w.rule),
                      "state": str(w.state.label), "response": w.response}
                     for w in fired],
    }


def render(session: Session, period: Period, zone: ZoneInfo, district: str = "",
           locale: str = "zh") -> bytes:
    """The report's PDF, in `locale`."""
    with force_locale(locale):
        values = context(session, period, zone, district)
    return document_pdf(TEMPLATE, values, locale)


def publish(session: Session, period: Period, zone: ZoneInfo, actor_id: int,
            district: str = "") -> MonitoringReport:
    """Render the report and keep its PDF, listed on the public page from now on."""
    if len(district) > 50:
        raise DomainError(_l("No such district."), field="district")
    pdf = render(session, period, zone, district)
    name, digest, size = store_pdf(session, pdf)
    report = MonitoringReport(period=period.code, district=district, stored_name=name,
                              sha256=digest, size=size, published_by_id=actor_id)
    session.add(report)
    session.flush()
    return report


def published(session: Session) -> list[MonitoringReport]:
    return list(session.scalars(select(MonitoringReport).order_by(
        MonitoringReport.period.desc(), MonitoringReport.published_at.desc()).limit(500)))


def pdf_of(report: MonitoringReport) -> bytes:
    return read_checked(report.stored_name, report.sha256)
