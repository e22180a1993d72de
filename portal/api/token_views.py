"""Settings → API tokens: create one (its secret shown once), see when each was last
used, revoke."""
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

from portal.api import tokens
from portal.api.forms import TokenForm
from portal.api.models import ApiToken, Scope
from portal.api.once import page_with_secret, show_next
from portal.db import db_session, utcnow
from portal.forms import ActionForm
from portal.views import commit_or_show, submit_and_return

bp = Blueprint("api_tokens", __name__, url_prefix="/settings/tokens")
SCOPE_VALUES = frozenset(scope.value for scope in Scope)
NEW_SECRET = "new_api_token"


def _form() -> TokenForm:
    form = TokenForm()
    form.scopes.choices = [SelectChoice(scope.value, scope.label)
                           for scope in tokens.scopes_for(current_user)]
    if current_user.organization_id is None:
        del form.shared
    return form


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> Response:
    form = _form()
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: tokens.create_token(
            db_session, current_user, form.name.data,
            [Scope(value) for value in form.scopes.data if value in SCOPE_VALUES],
            int(form.lifetime.data),
            shared=bool(getattr(form, "shared", None) and form.shared.data)))
        if outcome.ok:
            show_next(NEW_SECRET, outcome.value[1])
            return redirect(url_for(".index"))
    return page_with_secret("api/tokens.html", NEW_SECRET, form=form, now=utcnow(),
                            tokens=tokens.visible_tokens(db_session, current_user))


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int) -> Response:
    token = db_session.get(ApiToken, token_id)
    if token is None or not tokens.can_manage(token, current_user):
        abort(404)
    return submit_and_return(ActionForm(), lambda: tokens.revoke(db_session, token, current_user),
                             url_for(".index"), done=_("Token revoked: it stops working at once."))
