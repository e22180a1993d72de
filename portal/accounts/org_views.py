"""A member's own organisation: its details and review state, colleagues and invitations."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.accounts import licences, logos, services
from portal.accounts.forms import (
    EnterpriseForm,
    InviteForm,
    LicenceForm,
    LogoForm,
    UniversityForm,
)
from portal.accounts.models import Invitation, Organization, OrgKind
from portal.db import db_session
from portal.errors import DomainError
from portal.forms import ActionForm
from portal.permissions import member_required
from portal.security import accepts_upload
from portal.uploads import Upload
from portal.views import commit_or_show, submit_and_return

bp = Blueprint("organizations", __name__, url_prefix="/organization")

IDENTITY_FIELDS = ("name", "credit_code", "school_code")


def _my_organization() -> Organization:
    org = current_user.organization
    if org is None:
        abort(404)
    return org


def _edit_form(org: Organization) -> EnterpriseForm | UniversityForm:
    form_class = EnterpriseForm if org.kind is OrgKind.ENTERPRISE else UniversityForm
    form = form_class(obj=org)
    if not form.is_submitted():
        # `obj` wins over keyword values in WTForms and gives the enum itself, which no
        # <option> matches, so the browser showed (and saved) the first choice.
        for name in ("size", "level"):
            if hasattr(form, name):
                value = getattr(org, name)
                getattr(form, name).data = value.value if value is not None else ""
    if org.identity_locked:
        for name in IDENTITY_FIELDS:
            if hasattr(form, name):
                delattr(form, name)
    return form


@bp.route("/", methods=["GET", "POST"])
@member_required
def mine() -> Response | str:
    org = _my_organization()
    form = _edit_form(org)
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: services.update_organization(
            db_session, org, current_user, form.organization_details(org.kind, org)))
        if outcome.ok:
            flash(_("Your corrections have been sent to the coordinators for review.")
                  if outcome.value else _("Organisation details saved."), "success")
            return redirect(url_for(".mine"))
    return render_template("orgs/mine.html", org=org, form=form, logo_form=LogoForm(),
                           licence_form=LicenceForm())


@bp.route("/logo", methods=["POST"])
@member_required
@accepts_upload("LOGO_MAX_BYTES")
def upload_logo() -> Response:
    org = _my_organization()
    form = LogoForm()
    return submit_and_return(
        form, lambda: logos.set_logo(db_session, org, current_user, form.file.data.read()),
        url_for(".mine"), done=_("Logo saved. It shows on your profile page."))


@bp.route("/licence")
@member_required
def licence() -> Response:
    return licences.download(_my_organization())


@bp.route("/licence", methods=["POST"])
@member_required
@accepts_upload("SCAN_MAX_BYTES")
def replace_licence() -> Response:
    org = _my_organization()
    form = LicenceForm()
    return submit_and_return(
        form, lambda: licences.replace(db_session, org, current_user, Upload(
            form.file.data.read(), form.file.data.filename or "")),
        url_for(".mine"), done=_("The scan is attached for the coordinators' review."))


@bp.route("/logo/remove", methods=["POST"])
@member_required
def remove_logo() -> Response:
    org = _my_organization()
    return submit_and_return(
        ActionForm(), lambda: logos.remove_logo(db_session, org, current_user),
        url_for(".mine"), done=_("Logo removed."))


@bp.route("/members", methods=["GET", "POST"])
@member_required
def members() -> Response | str:
    org = _my_organization()
    form = InviteForm()
    invitation_link = None
    if form.validate_on_submit():
        outcome = commit_or_show(
            form, lambda: services.invite_member(db_session, org, current_user, form.email.data))
        if outcome.ok:
            invitation_link = url_for("accounts.accept_invitation", token=outcome.value,
                                      _external=True)
            flash(_("Invitation created. Send the link below to your colleague; it works once "
                    "and expires in 7 days."), "success")
            form = InviteForm(formdata=None)
    return render_template(
        "orgs/members.html", org=org, form=form, invitation_link=invitation_link,
        invitations=services.open_invitations(db_session, org), action_form=ActionForm(),
    )


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@member_required
def revoke_invitation(invitation_id: int) -> Response:
    invitation = db_session.get(Invitation, invitation_id)
    if invitation is None or not invitation.organization.is_member(current_user):
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            services.revoke_invitation(invitation, current_user)
        except DomainError as error:
            db_session.rollback()
            flash(str(error.message), "error")
        else:
            db_session.commit()
            flash(_("Invitation withdrawn."), "success")
    return redirect(url_for(".members"))
