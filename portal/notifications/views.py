"""The inbox, and the unread count beside it in the header."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from portal.db import db_session
from portal.events import Topic
from portal.forms import ActionForm
from portal.notifications import services
from portal.views import enum_arg, int_arg

bp = Blueprint("notifications", __name__, url_prefix="/inbox")


@bp.app_context_processor
def unread() -> dict[str, Any]:
    def count() -> int:  # only pages that show the header ask
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(db_session, current_user)
    return {"unread_notifications": count}


# Pages of the inbox a request may ask for, at most (an address cannot make it count on).
MAX_PAGE = 1000


@bp.route("/")
@login_required
def inbox() -> str:
    """Newest first, a page at a time; filtered by topic and to the unread."""
    topic = enum_arg(request.args, "topic", Topic)
    unread_only = request.args.get("unread") == "1"
    page = services.inbox(db_session, current_user, topic, unread_only,
                          int_arg(request.args, "page", 1, 1, MAX_PAGE))
    return render_template("notifications/inbox.html", form=ActionForm(), results=page,
                           topics=list(Topic), topic=topic, unread_only=unread_only,
                           text=services.text)


@bp.route("/read", methods=["POST"])
@login_required
def mark_read() -> Response:
    if ActionForm().validate_on_submit():
        services.mark_all_read(db_session, current_user)
        db_session.commit()
    return redirect(url_for(".inbox"))
