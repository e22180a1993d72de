"""Landing page for visitors, a dashboard for signed-in users, and the language switch."""
from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.accounts import services
from portal.accounts.models import OrgStatus
from portal.db import db_session
from portal.i18n import LANGUAGE_COOKIE, supported_language
from portal.main import workbench
from portal.matching.forms import DismissForm
from portal.security import safe_next_url

bp = Blueprint("main", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.route("/")
def index() -> str:
    """The landing page for visitors; the workbench (工作台) once signed in."""
    if not current_user.is_authenticated:
        return render_template("main/index.html")
    today = date.today()
    if current_user.is_coordinator:
        return render_template("main/coordinator_workbench.html", now_utc=datetime.now(UTC),
                               bench=workbench.coordinator_workbench(db_session, today),
                               counts=services.count_by_status(db_session), OrgStatus=OrgStatus)
    user = current_user._get_current_object()
    bench = workbench.member_workbench(db_session, user, today)
    page = render_template("main/member_workbench.html", bench=bench, today=today,
                           dismiss_form=DismissForm())
    workbench.mark_seen(user)
    db_session.commit()
    return page


@bp.route("/language", methods=["POST"])
def set_language() -> Response:
    """Remember the chosen language in a cookie (and on the account when signed in)."""
    language = supported_language(request.form.get("language"))
    target = safe_next_url(request.form.get("next")) or url_for("main.index")
    response = redirect(target)
    if language:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=ONE_YEAR, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
        if current_user.is_authenticated:
            current_user.locale = language
            db_session.commit()
    return response
