"""City coordinators' review of registered organisations."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from portal.accounts import services
from portal.accounts.forms import ReviewForm
from portal.accounts.models import Organization, OrgStatus
from portal.db import db_session
from portal.errors import DomainError
from portal.permissions import coordinator_required
from portal.views import form_error

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.route("/organizations")
@coordinator_required
def organizations() -> str:
    try:
        status = OrgStatus(request.args.get("status", OrgStatus.PENDING.value))
    except ValueError:
        abort(404)
    return render_template(
        "review/organizations.html",
        status=status,
        organizations=services.organizations_by_status(db_session, status),
        counts=services.count_by_status(db_session),
    )


@bp.route("/organizations/<int:org_id>", methods=["GET", "POST"])
@coordinator_required
def organization(org_id: int) -> Response | str:
    org = db_session.get(Organization, org_id) or abort(404)
    form = ReviewForm(version=org.version)
    if form.validate_on_submit():
        try:
            if form.decision.data == "verify":
                services.verify_organization(db_session, org, current_user, form.version.data)
                message = _("%(org)s is verified and may now publish.", org=org.name)
            else:
                services.reject_organization(db_session, org, current_user, form.reason.data,
                                             form.version.data)
                message = _("%(org)s was returned for correction.", org=org.name)
            db_session.commit()
        except DomainError as error:
            db_session.rollback()
            form_error(form, error)
        except StaleDataError:
            db_session.rollback()
            form.form_errors.append(_("Another coordinator decided on this organisation at the "
                                      "same moment. Please check its current state."))
        else:
            flash(message, "success")
            return redirect(url_for(".organizations"))
    return render_template("review/organization.html", org=org, form=form)
