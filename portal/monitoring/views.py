"""Coordinators' monitoring pages: the supply–demand balance and the postings behind it."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.accounts.models import EnterpriseSize
from portal.db import db_session
from portal.matching.synonyms import concept_label
from portal.monitoring import balance as figures
from portal.monitoring import emerging
from portal.monitoring import unmatched as waiting
from portal.monitoring.charts import bar_chart, sparkline
from portal.monitoring.districts import district_view, layout, quotient_class
from portal.monitoring.export import (
    Section,
    balance_table,
    district_sections,
    emerging_sections,
    fairness_sections,
    health_sections,
    unanswered_sections,
)
from portal.monitoring.fairness import fairness
from portal.monitoring.health import STAGE_NAMES, STAGES, health
from portal.monitoring.models import Dimension
from portal.monitoring.periods import Period, PeriodKind, city_zone, recent
from portal.permissions import coordinator_required
from portal.postings.labels import DISCRIMINATION_NAMES
from portal.postings.models import EducationLevel, Posting
from portal.spreadsheets import MIMETYPES, sections_bytes, table_bytes
from portal.views import enum_arg, file_response, int_arg

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")

# Rows shown in each ranking on the page (the export has every row) and in its chart.
RANKED_SHOWN = 50
CHARTED = 10
# Periods offered in the period menu, per kind.
OFFERED = {PeriodKind.QUARTER: 8, PeriodKind.MONTH: 12, PeriodKind.YEAR: 4}


@dataclass
class Choice:
    dimension: Dimension
    period: Period
    filters: figures.Filters
    problem: str = ""  # why the period asked for was not used


def _choice(args: MultiDict) -> Choice:
    """What the query string asks for; a malformed value falls back to the default with a
    message (a filter that names nothing known is ignored)."""
    zone = city_zone(current_app.config)
    today = datetime.now(zone).date()
    period = Period.parse(args.get("period"))
    problem = ""
    if period is None:
        if args.get("period"):
            problem = _("“%(period)s” is not a period. Use a year (2026), a quarter (2026-Q3) "
                        "or a month (2026-07).", period=args.get("period", "")[:20])
        period = Period.containing(PeriodKind.QUARTER, today)
    filters = figures.Filters(
        district=args.get("district", "")[:50].strip(),
        industry=args.get("industry", "")[:100].strip(),
        education=enum_arg(args, "education", EducationLevel),
        size=enum_arg(args, "size", EnterpriseSize))
    return Choice(enum_arg(args, "dimension", Dimension) or Dimension.MAJOR, period, filters,
                  problem)


def _filter_context(choice: Choice) -> dict[str, object]:
    """What the shared period and filter form shows."""
    today = datetime.now(city_zone(current_app.config)).date()
    menu = [(kind, recent(kind, today, count)) for kind, count in OFFERED.items()]
    return {"choice": choice, "menu": menu,
            "menu_has_period": any(choice.period in periods for _kind, periods in menu),
            "dimensions": list(Dimension), "education_levels": list(EducationLevel),
            "sizes": list(EnterpriseSize),
            "districts": figures.choices(db_session, Posting.district,
                                         current_app.config["CITY_DISTRICTS"]),
            "industries": figures.choices(db_session, Posting.industry)}


@bp.route("/")
@coordinator_required
def balance() -> str:
    """Demand against supply per major, 专业类 or skill: shortages and surpluses."""
    choice = _choice(request.args)
    result = figures.balance(db_session, choice.dimension, choice.period,
                             city_zone(current_app.config), choice.filters)
    shortages, surpluses = result.shortages, result.surpluses
    chart = bar_chart([(row.label, (row.now.demand, row.now.supply))
                       for row in shortages[:CHARTED]])
    return render_template(
        "monitoring/balance.html", result=result, chart=chart,
        shortages=shortages[:RANKED_SHOWN], surpluses=surpluses[:RANKED_SHOWN],
        more_shortages=max(len(shortages) - RANKED_SHOWN, 0),
        more_surpluses=max(len(surpluses) - RANKED_SHOWN, 0), **_filter_context(choice))


@bp.route("/export.<fmt>")
@coordinator_required
def export_balance(fmt: str) -> Response:
    """Every row of the balance table (not only the ranked ones shown) as a spreadsheet."""
    if fmt not in MIMETYPES:
        abort(404)
    choice = _choice(request.args)
    result = figures.balance(db_session, choice.dimension, choice.period,
                             city_zone(current_app.config), choice.filters)
    filename = f"balance-{choice.dimension.value}-{choice.period.code}.{fmt}"
    return file_response(table_bytes(balance_table(result), fmt, "balance"), MIMETYPES[fmt],
                         filename)


def _districts(args: MultiDict) -> dict[str, Any]:
    """Demand and supply per district; for a chosen major (专业类, skill) its location
    quotients, on the city's tile map and in a table."""
    choice = _choice(args)
    # Every district is shown: a district filter carried over from the table is dropped.
    choice.filters = replace(choice.filters, district="")
    zone = city_zone(current_app.config)
    key = args.get("key", "")[:120]
    rows = figures.balance(db_session, choice.dimension, choice.period, zone,
                           choice.filters).rows
    label = next((row.label for row in rows if row.key == key), None)
    view = district_view(db_session, choice.period, zone, choice.filters,
                         choice.dimension if label else None, key if label else "")
    tiles = [(tile, view.row(tile.district)) for tile in layout()]
    return {"view": view, "key": key if label else "", "label": label,
            "row_choices": sorted(rows, key=lambda row: row.label), "tiles": tiles,
            "off_map": [row for row in view.rows
                        if row.district not in {t.district for t in layout()}],
            "quotient_class": quotient_class, **_filter_context(choice)}


def _unmatched(args: MultiDict) -> dict[str, Any]:
    """Live demands no curriculum answers, and curricula no demand asks for, after N days."""
    dimension = enum_arg(args, "dimension", Dimension) or Dimension.MAJOR
    days = int_arg(args, "days", waiting.DEFAULT_DAYS, 0, waiting.MAX_DAYS)
    demands, curricula = waiting.unmatched(db_session, dimension, days,
                                           datetime.now(city_zone(current_app.config)))
    return {"dimension": dimension, "days": days, "demands": demands, "curricula": curricula,
            "dimensions": list(Dimension), "threshold": waiting.MIN_RECOMMENDATION_SCORE,
            "now": datetime.now(UTC)}


def _emerging(args: MultiDict) -> dict[str, Any]:
    """Skills whose demand grew most over four periods, and words not in the vocabulary."""
    choice = _choice(args)
    zone = city_zone(current_app.config)
    return {"choice": choice, "periods": emerging.periods_to(choice.period),
            "trends": emerging.trends(db_session, choice.period, zone, choice.filters),
            "candidates": emerging.candidates(db_session, choice.period, zone),
            "concept_label": concept_label, "sparkline": sparkline}


def _fairness(args: MultiDict) -> dict[str, Any]:
    """The share of recruiting postings with discriminatory conditions, and its trend."""
    choice = _choice(args)
    result = fairness(db_session, choice.period, city_zone(current_app.config),
                      choice.filters)
    return {"result": result, "names": DISCRIMINATION_NAMES, **_filter_context(choice)}


def _partnerships(args: MultiDict) -> dict[str, Any]:  # noqa: ARG001 - no choices yet
    """The order-based training funnel, conversion by kind, mentor hours, time to approval."""
    return {"result": health(db_session), "stages": STAGES, "stage_names": STAGE_NAMES}


@dataclass(frozen=True)
class Page:
    """A monitoring page: what it shows, its template, and its tables for export."""

    context: Callable[[MultiDict], dict[str, Any]]
    template: str
    sections: Callable[[dict[str, Any]], list[Section]]


PAGES = {
    "districts": Page(_districts, "monitoring/districts.html",
                      lambda c: district_sections(c["view"], c["label"])),
    "unmatched": Page(_unmatched, "monitoring/unmatched.html",
                      lambda c: unanswered_sections(c["dimension"], c["demands"],
                                                    c["curricula"])),
    "emerging": Page(_emerging, "monitoring/emerging.html",
                     lambda c: emerging_sections(c["periods"], c["trends"], c["candidates"])),
    "fairness": Page(_fairness, "monitoring/fairness.html",
                     lambda c: fairness_sections(c["result"], c["names"])),
    "partnerships": Page(_partnerships, "monitoring/partnerships.html",
                         lambda c: health_sections(c["result"])),
}


# The choices a page's export carries over from the page's address.
CARRIED = ("period", "dimension", "key", "district", "industry", "education", "size", "days")


def _page(name: str) -> str:
    page = PAGES[name]
    carried = {arg: request.args[arg] for arg in CARRIED if arg in request.args}
    exports = {fmt: url_for("monitoring.export_page", name=name, fmt=fmt, **carried)
               for fmt in MIMETYPES}
    return render_template(page.template, exports=exports, **page.context(request.args))


@bp.route("/districts")
@coordinator_required
def districts() -> str:
    return _page("districts")


@bp.route("/unmatched")
@coordinator_required
def unmatched() -> str:
    return _page("unmatched")


@bp.route("/emerging")
@coordinator_required
def emerging_skills() -> str:
    return _page("emerging")


@bp.route("/fairness")
@coordinator_required
def fair_hiring() -> str:
    return _page("fairness")


@bp.route("/partnerships")
@coordinator_required
def partnerships() -> str:
    return _page("partnerships")


@bp.route("/<any(districts, unmatched, emerging, fairness, partnerships):name>/export.<fmt>")
@coordinator_required
def export_page(name: str, fmt: str) -> Response:
    """A monitoring page's tables, as computed for the page, a sheet each."""
    if fmt not in MIMETYPES:
        abort(404)
    page = PAGES[name]
    context = page.context(request.args)
    when = context["choice"].period.code if "choice" in context else \
        f"{datetime.now(city_zone(current_app.config)):%Y%m%d}"
    filename = f"{name}-{when}.{fmt}"
    return file_response(sections_bytes(page.sections(context), fmt), MIMETYPES[fmt], filename)


@bp.route("/postings")
@coordinator_required
def postings() -> str:
    """The postings one row of the balance table counts, demands and curricula."""
    choice = _choice(request.args)
    key = request.args.get("key", "")[:120]
    label = figures.label_of(db_session, choice.dimension, key) if key else None
    if label is None:
        abort(404)
    found, total = figures.postings_behind(db_session, choice.dimension, key, choice.period,
                                           city_zone(current_app.config), choice.filters)
    return render_template("monitoring/postings.html", choice=choice, key=key, label=label,
                           postings=found, total=total)


# The warnings' and reports' routes live in modules of their own, on this blueprint.
from portal.monitoring import report_views, warning_views  # noqa: E402, F401
