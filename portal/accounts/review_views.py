"""City coordinators' review of registered organisations."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.accounts import licences, services
from portal.accounts.forms import ReviewForm
from portal.accounts.models import Organization, OrgStatus
from portal.db import db_session
from portal.forms import ActionForm
from portal.permissions import coordinator_required
from portal.security import safe_next_url
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


def _picks(values: list[str]) -> list[tuple[int, int]]:
    """"id:version" pairs of the ticked organisations; anything else is ignored."""
    picks = []
    for value in values[:services.VERIFIED_AT_ONCE]:
        org_id, _sep, version = value.partition(":")
        if org_id.isdigit() and version.isdigit() and len(value) < 30:
            picks.append((int(org_id), int(version)))
    return picks


@bp.route("/organizations/verify", methods=["POST"])
@coordinator_required
def verify_several() -> Response:
    """Verify the ticked organisations: the same decision, each still audited."""
    picks = _picks(request.form.getlist("org")) if ActionForm().validate_on_submit() else []
    if not picks:
        flash(_("Tick the organisations to verify first."), "warning")
        return redirect(url_for(".organizations"))
    outcome = services.verify_several(db_session, current_user, picks)
    db_session.commit()
    if outcome.verified:
        flash(ngettext("%(num)d organisation is verified and may now publish.",
                       "%(num)d organisations are verified and may now publish.",
                       len(outcome.verified)), "success")
    for org, reason in outcome.refused:
        flash(_("%(org)s was not verified: %(reason)s", org=org.name, reason=reason), "warning")
    return redirect(safe_next_url(request.form.get("next")) or url_for(".organizations"))


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


@bp.route("/organizations/<int:org_id>/licence")
@coordinator_required
def licence(org_id: int) -> Response:
    return licences.download(db_session.get(Organization, org_id) or abort(404))
