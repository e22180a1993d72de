"""Landing page for visitors, a dashboard for signed-in users, and the language switch."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.accounts import services
from portal.accounts.models import OrgStatus
from portal.db import db_session
from portal.i18n import LANGUAGE_COOKIE, supported_language
from portal.postings.search import count_flagged_live
from portal.security import safe_next_url

bp = Blueprint("main", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.route("/")
def index() -> str:
    is_coordinator = current_user.is_authenticated and current_user.is_coordinator
    counts = services.count_by_status(db_session) if is_coordinator else None
    flagged = count_flagged_live(db_session) if is_coordinator else None
    return render_template("main/index.html", counts=counts, flagged=flagged, OrgStatus=OrgStatus)


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
