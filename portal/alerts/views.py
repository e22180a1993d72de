"""Alert pages: one's saved searches and match alert settings; saving a search from the
search page; the unsubscribe link of a digest, which works without signing in."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from portal.alerts import services
from portal.alerts.forms import DeliveryForm, MatchAlertForm, SaveSearchForm
from portal.alerts.models import MATCHES, Delivery, SavedSearch
from portal.db import db_session
from portal.forms import ActionForm
from portal.notifications import unsubscribe as unsubscribe_links
from portal.views import commit_or_show, submit_and_return

bp = Blueprint("alerts", __name__, url_prefix="/alerts")


def _match_form() -> MatchAlertForm:
    settings = services.settings_of(db_session, current_user.id)
    form = MatchAlertForm()
    if not form.is_submitted():
        form.match_delivery.data = settings.match_delivery.value
        form.match_min_score.data = settings.match_min_score
    return form


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> Response | str:
    form = _match_form() if current_user.organization_id else None
    if form is not None and form.validate_on_submit():
        outcome = commit_or_show(form, lambda: services.change_match_alerts(
            db_session, current_user, Delivery(form.match_delivery.data),
            form.match_min_score.data))
        if outcome.ok:
            flash(_("Match alerts saved."), "success")
            return redirect(url_for(".index"))
    return render_template("alerts/index.html", match_form=form,
                           searches=services.searches_of(db_session, current_user),
                           deliveries=list(Delivery), action_form=ActionForm())


@bp.route("/searches", methods=["POST"])
@login_required
def save_search() -> Response:
    form = SaveSearchForm()
    filters = services.kept_filters(request.form)
    back = url_for("postings.index", **filters)
    return submit_and_return(
        form, lambda: services.save_search(db_session, current_user, form.name.data,
                                           filters, Delivery(form.delivery.data)),
        back, done=_("Search saved. Your alerts are listed under “Alerts”."))


def _own_search(search_id: int) -> SavedSearch:
    search = db_session.get(SavedSearch, search_id)
    if search is None or search.user_id != current_user.id:
        abort(404)
    return search


@bp.route("/searches/<int:search_id>", methods=["POST"])
@login_required
def change_search(search_id: int) -> Response:
    search = _own_search(search_id)
    form = DeliveryForm()
    return submit_and_return(
        form, lambda: services.change_delivery(db_session, search, current_user,
                                               Delivery(form.delivery.data)),
        url_for(".index"), done=_("Alert changed."))


@bp.route("/searches/<int:search_id>/delete", methods=["POST"])
@login_required
def delete_search(search_id: int) -> Response:
    search = _own_search(search_id)
    return submit_and_return(
        ActionForm(), lambda: services.delete_search(db_session, search, current_user),
        url_for(".index"), done=_("Saved search deleted."))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str) -> Response | str:
    """GET asks (mail scanners open links); POST stops the alerts. The signed link is the
    credential, so no CSRF token is asked (mail programs post List-Unsubscribe=One-Click
    without one)."""
    found = unsubscribe_links.read_token(token)
    if found is None:
        abort(404)
    user_id, what = found
    if request.method == "POST":
        services.unsubscribe(db_session, user_id, what)
        db_session.commit()
        return render_template("alerts/unsubscribed.html")
    return render_template("alerts/unsubscribe.html", token=token, matches_only=what == MATCHES,
                           search=services.stopped_search(db_session, user_id, what))
