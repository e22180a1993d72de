"""/api/v1 monitoring, for coordinators' tools: the balance of demand and supply and the
warnings raised, figured by the same services as the monitoring pages."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, Field
from spectree import Response as Answers

from portal.accounts.models import EnterpriseSize
from portal.api.answers import dump, enum_or_none, json_answer, problems
from portal.api.auth import requires
from portal.api.models import Scope
from portal.api.problems import Problem
from portal.api.schemas import Strict, one_of
from portal.api.spec import api_spec
from portal.db import db_session
from portal.monitoring import balance as figures
from portal.monitoring import warnings
from portal.monitoring.models import Dimension, MonitoringWarning, WarningState
from portal.monitoring.periods import Period, PeriodKind, city_zone
from portal.postings.models import EducationLevel

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")
NOT_A_PERIOD = _l("Not a period: use a year (2026), a quarter (2026-Q3) or a month "
                  "(2026-07).")


class BalanceQueryIn(Strict):
    dimension: one_of(Dimension) = "major"  # type: ignore[valid-type]
    period: str = Field("", max_length=20, description="2026, 2026-Q3 or 2026-07; "
                                                         "default: this quarter.")
    district: str = Field("", max_length=50)
    industry: str = Field("", max_length=100, description="Narrows the demand side.")
    education: one_of(EducationLevel) | None = None  # type: ignore[valid-type]
    size: one_of(EnterpriseSize) | None = Field(  # type: ignore[valid-type]
        None, description="Firms' size: narrows the demand side.")


class FiguresOut(BaseModel):
    demand: int = Field(description="People asked for.")
    supply: int = Field(description="Places offered.")
    demand_postings: int
    supply_postings: int


class BalanceRowOut(BaseModel):
    key: str
    label: str
    now: FiguresOut
    before: FiguresOut = Field(description="In the previous period.")
    gap: int = Field(description="Demand − supply: a shortage when positive.")
    ratio: float | None = Field(None, description="Demand ÷ supply; null without supply.")


class BalanceOut(BaseModel):
    dimension: one_of(Dimension)  # type: ignore[valid-type]
    period: str
    previous: str
    rows: list[BalanceRowOut] = Field(description="Largest shortage first.")


class WarningQueryIn(Strict):
    state: one_of(WarningState) | None = None  # type: ignore[valid-type]


class WarningOut(BaseModel):
    id: int
    rule: str = Field(description="The rule that raised it, in words.")
    subject: str
    label: str
    state: one_of(WarningState)  # type: ignore[valid-type]
    holds: bool = Field(description="Whether its condition held at the last check.")
    figures: dict[str, Any]
    fired_at: datetime
    checked_at: datetime
    acknowledged_at: datetime | None = None
    responded_at: datetime | None = None
    response: str
    closed_at: datetime | None = None
    url: str


class WarningList(BaseModel):
    items: list[WarningOut] = Field(description="Newest first, at most 200.")


def _figures(item: figures.Figures) -> dict[str, int]:
    return {"demand": item.demand, "supply": item.supply,
            "demand_postings": item.demand_postings, "supply_postings": item.supply_postings}


@bp.get("/balance")
@api_spec.validate(query=BalanceQueryIn, resp=Answers(HTTP_200=BalanceOut,
                                                      **problems(401, 403, 422)),
                   tags=["monitoring"])
@requires(Scope.COORDINATOR)
def balance() -> Response:
    """Demand against supply per major, 专业类 or skill in a period, beside the period
    before, as on the monitoring page (every row)."""
    asked: BalanceQueryIn = request.context.query
    zone = city_zone(current_app.config)
    period = Period.parse(asked.period) if asked.period else \
        Period.containing(PeriodKind.QUARTER, datetime.now(zone).date())
    if period is None:
        raise Problem(422, errors=[{"pointer": "/period", "detail": str(NOT_A_PERIOD)}])
    filters = figures.Filters(district=asked.district.strip(), industry=asked.industry.strip(),
                              education=enum_or_none(asked.education, EducationLevel),
                              size=enum_or_none(asked.size, EnterpriseSize))
    result = figures.balance(db_session, Dimension(asked.dimension), period, zone, filters)
    rows = result.shortages + [row for row in result.rows if row.gap == 0] + result.surpluses
    return json_answer(dump(BalanceOut, {
        "dimension": asked.dimension, "period": period.code, "previous": period.previous.code,
        "rows": [{"key": row.key, "label": row.label, "now": _figures(row.now),
                  "before": _figures(row.before), "gap": row.gap, "ratio": row.ratio}
                 for row in rows]}))


def _warning_document(warning: MonitoringWarning) -> dict[str, Any]:
    return {"id": warning.id, "rule": warnings.describe(warning.rule),
            "subject": warning.subject, "label": warning.label,
            "state": warning.state.value, "holds": warning.holds, "figures": warning.figures,
            **{name: getattr(warning, name) for name in (
                "fired_at", "checked_at", "acknowledged_at", "responded_at", "response",
                "closed_at")},
            "url": url_for("monitoring.warning", warning_id=warning.id, _external=True)}


@bp.get("/warnings")
@api_spec.validate(query=WarningQueryIn, resp=Answers(HTTP_200=WarningList,
                                                      **problems(401, 403, 422)),
                   tags=["monitoring"])
@requires(Scope.COORDINATOR)
def warning_list() -> Response:
    """The warnings raised (监测预警), newest first; `state` narrows them."""
    state = enum_or_none(request.context.query.state, WarningState)
    return json_answer(dump(WarningList, {"items": [
        _warning_document(warning) for warning in warnings.in_state(db_session, state)]}))
