"""The inbox, and the unread count beside it in the header."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from portal.db import db_session
from portal.forms import ActionForm
from portal.notifications import services

bp = Blueprint("notifications", __name__, url_prefix="/inbox")


@bp.app_context_processor
def unread() -> dict[str, Any]:
    def count() -> int:  # only pages that show the header ask
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(db_session, current_user)
    return {"unread_notifications": count}


@bp.route("/")
@login_required
def inbox() -> str:
    return render_template("notifications/inbox.html", form=ActionForm(),
                           notifications=services.inbox(db_session, current_user),
                           text=services.text)


@bp.route("/read", methods=["POST"])
@login_required
def mark_read() -> Response:
    if ActionForm().validate_on_submit():
        services.mark_all_read(db_session, current_user)
        db_session.commit()
    return redirect(url_for(".inbox"))
