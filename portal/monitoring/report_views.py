"""The quarterly report: coordinators preview and publish it; anyone reads published ones."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.db import db_session
from portal.forms import ActionForm
from portal.monitoring import report
from portal.monitoring.balance import choices
from portal.monitoring.models import MonitoringReport
from portal.monitoring.periods import Period, PeriodKind, city_zone, recent
from portal.monitoring.views import bp
from portal.permissions import coordinator_required
from portal.postings.models import Posting
from portal.views import commit_or_show, file_response

public = Blueprint("reports", __name__, url_prefix="/reports")
PDF = "application/pdf"


def _asked() -> tuple[Period | None, str]:
    source = request.form if request.method == "POST" else request.args
    district = source.get("district", "")[:50].strip()
    if district and district not in _districts():
        district = ""
    return Period.parse(source.get("period")), district


def _districts() -> list[str]:
    return choices(db_session, Posting.district, current_app.config["CITY_DISTRICTS"])


def _pdf_response(pdf: bytes, filename: str) -> Response:
    return file_response(pdf, PDF, filename, inline=True)


@bp.route("/reports")
@coordinator_required
def reports() -> str:
    today = datetime.now(city_zone(current_app.config)).date()
    return render_template(
        "monitoring/reports.html", periods=recent(PeriodKind.QUARTER, today, 8),
        districts=_districts(), found=report.published(db_session),
        form=ActionForm())


@bp.route("/report.pdf")
@coordinator_required
def report_preview() -> Response:
    period, district = _asked()
    if period is None:
        flash(_("Choose a period."), "error")
        return redirect(url_for(".reports"))
    pdf = report.render(db_session, period, city_zone(current_app.config), district,
                        locale=_locale())
    return _pdf_response(pdf, f"report-{period.code}.pdf")


@bp.route("/reports", methods=["POST"])
@coordinator_required
def publish_report() -> Response:
    form = ActionForm()
    period, district = _asked()
    if not form.validate_on_submit() or period is None:
        flash(_("Choose a period."), "error")
        return redirect(url_for(".reports"))
    outcome = commit_or_show(form, lambda: report.publish(
        db_session, period, city_zone(current_app.config), current_user.id, district))
    if outcome.ok:
        flash(_("The report is published on the public reports page."), "success")
    else:
        flash(" ".join(str(e) for e in form.form_errors), "error")
    return redirect(url_for(".reports"))


def _locale() -> str:
    from flask_babel import get_locale

    return "en" if str(get_locale()).startswith("en") else "zh"


@public.route("/")
def index() -> str:
    """Published reports, for anyone (定期归集发布)."""
    return render_template("monitoring/public_reports.html", found=report.published(db_session))


@public.route("/<int:report_id>.pdf")
def download(report_id: int) -> Response:
    found = db_session.get(MonitoringReport, report_id)
    if found is None:
        abort(404)
    return _pdf_response(report.pdf_of(found), f"report-{found.period}.pdf")
