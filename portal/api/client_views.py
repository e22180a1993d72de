"""Settings → OAuth clients (coordinators): register a platform's client (its secret
shown once), see its origins and scopes, revoke it."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.api import oauth
from portal.api.forms import ClientForm
from portal.api.models import OAuthClient, Scope
from portal.api.once import page_with_secret, show_next
from portal.api.tokens import scopes_for
from portal.db import db_session
from portal.forms import ActionForm
from portal.permissions import coordinator_required
from portal.views import commit_or_show, submit_and_return

bp = Blueprint("api_clients", __name__, url_prefix="/settings/oauth-clients")
NEW_CLIENT = "new_oauth_client"
SCOPE_VALUES = frozenset(scope.value for scope in Scope)


@bp.route("/", methods=["GET", "POST"])
@coordinator_required
def index() -> Response:
    form = ClientForm()
    form.scopes.choices = [SelectChoice(scope.value, scope.label)
                           for scope in scopes_for(current_user)]
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: oauth.register_client(
            db_session, current_user, form.name.data,
            [Scope(value) for value in form.scopes.data or [] if value in SCOPE_VALUES],
            (form.origins.data or "").splitlines()))
        if outcome.ok:
            client, secret = outcome.value
            show_next(NEW_CLIENT, f"{client.client_id}:{secret}")
            return redirect(url_for(".index"))
    return page_with_secret("api/clients.html", NEW_CLIENT, form=form,
                            clients=oauth.clients(db_session))


@bp.route("/<int:client_id>/revoke", methods=["POST"])
@coordinator_required
def revoke(client_id: int) -> Response:
    client = db_session.get(OAuthClient, client_id)
    if client is None:
        abort(404)
    return submit_and_return(ActionForm(), lambda: oauth.revoke_client(
        db_session, client, current_user), url_for(".index"),
        done=_("Client revoked: its tokens stop working at once."))
