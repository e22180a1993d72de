"""Settings → Webhooks: register a receiver and its events (its signing secret shown
once), see each delivery, turn a failing receiver back on, send an event again."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    redirect,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.api import webhooks
from portal.api.forms import WebhookForm
from portal.api.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from portal.api.once import page_with_secret, show_next
from portal.db import db_session
from portal.forms import ActionForm
from portal.views import commit_or_show, submit_and_return

bp = Blueprint("api_webhooks", __name__, url_prefix="/settings/webhooks")
NEW_SECRET = "new_webhook_secret"


def _form() -> WebhookForm:
    form = WebhookForm()
    form.events.choices = [SelectChoice(event.value, f"{event.label} ({event.value})")
                           for event in WebhookEvent if current_user.is_coordinator
                           or event.value not in webhooks.COORDINATOR_EVENTS]
    return form


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> Response:
    form = _form()
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: webhooks.register(
            db_session, current_user, form.url.data, form.events.data or [],
            form.min_score.data if form.min_score.data is not None
            else webhooks.DEFAULT_MIN_SCORE))
        if outcome.ok:
            show_next(NEW_SECRET, outcome.value.secret)
            return redirect(url_for(".index"))
    endpoints = webhooks.visible(db_session, current_user)
    return page_with_secret("api/webhooks.html", NEW_SECRET, form=form, endpoints=endpoints,
                            deliveries={endpoint.id: webhooks.deliveries(db_session, endpoint)
                                        for endpoint in endpoints})


def _own_endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = db_session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.user_id != current_user.id:
        abort(404)
    return endpoint


@bp.route("/<int:endpoint_id>/delete", methods=["POST"])
@login_required
def delete(endpoint_id: int) -> Response:
    endpoint = _own_endpoint(endpoint_id)
    return submit_and_return(ActionForm(), lambda: webhooks.delete(
        db_session, endpoint, current_user), url_for(".index"), done=_("Webhook deleted."))


@bp.route("/<int:endpoint_id>/enable", methods=["POST"])
@login_required
def enable(endpoint_id: int) -> Response:
    endpoint = _own_endpoint(endpoint_id)
    return submit_and_return(ActionForm(), lambda: webhooks.enable(
        db_session, endpoint, current_user), url_for(".index"),
        done=_("Webhook turned on again: new events are sent to it."))


@bp.route("/deliveries/<int:delivery_id>/replay", methods=["POST"])
@login_required
def replay(delivery_id: int) -> Response:
    delivery = db_session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.endpoint.user_id != current_user.id:
        abort(404)
    return submit_and_return(ActionForm(), lambda: webhooks.replay(
        db_session, delivery, current_user), url_for(".index"),
        done=_("The event is being sent again."))
