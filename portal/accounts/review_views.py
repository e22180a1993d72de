"""City coordinators' review of registered organisations."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.accounts import services
from portal.accounts.forms import ReviewForm
from portal.accounts.models import Organization, OrgStatus
from portal.db import db_session
from portal.permissions import coordinator_required
from portal.views import commit_or_show

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.route("/organizations")
@coordinator_required
def organizations() -> str:
    try:
        status = OrgStatus(request.args.get("status", OrgStatus.PENDING.value))
    except ValueError:
        abort(404)
    organizations = services.organizations_by_status(db_session, status)
    return render_template(
        "review/organizations.html",
        status=status,
        organizations=organizations,
        look_alike=services.with_look_alikes(db_session, organizations),
        counts=services.count_by_status(db_session),
    )


def _decide(org: Organization, form: ReviewForm) -> str:
    """Verify or return the organisation; the message for the coordinator."""
    if form.decision.data == "verify":
        services.verify_organization(db_session, org, current_user, form.version.data)
        return _("%(org)s is verified and may now publish.", org=org.name)
    services.reject_organization(db_session, org, current_user, form.reason.data,
                                 form.version.data)
    return _("%(org)s was returned for correction.", org=org.name)


@bp.route("/organizations/<int:org_id>", methods=["GET", "POST"])
@coordinator_required
def organization(org_id: int) -> Response | str:
    org = db_session.get(Organization, org_id) or abort(404)
    form = ReviewForm(version=org.version)
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: _decide(org, form), conflict=_(
            "Another coordinator decided on this organisation at the same moment. Please "
            "check its current state."))
        if outcome.ok:
            flash(outcome.value, "success")
            return redirect(url_for(".organizations"))
    return render_template("review/organization.html", org=org, form=form,
                           look_alikes=services.look_alikes(db_session, org))
