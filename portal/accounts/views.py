"""Sign-in, sign-out, registration, password change and joining by invitation."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portal.accounts import services
from portal.accounts.auth import LoginRefused, authenticate, change_password
from portal.accounts.forms import (
    AcceptInvitationForm,
    ActionForm,
    ChangePasswordForm,
    EnterpriseRegistrationForm,
    LoginForm,
    UniversityRegistrationForm,
)
from portal.accounts.models import EnterpriseSize, Organization, OrgKind, UniversityLevel
from portal.db import db_session
from portal.errors import DomainError
from portal.security import safe_next_url
from portal.views import form_error

bp = Blueprint("accounts", __name__)

REGISTRATION_FORMS = {
    OrgKind.ENTERPRISE: EnterpriseRegistrationForm,
    OrgKind.UNIVERSITY: UniversityRegistrationForm,
}


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = authenticate(db_session, form.email.data, form.password.data,
                                request.remote_addr)
        except LoginRefused as error:
            db_session.commit()  # keep the recorded failure for throttling
            form.password.errors.append(str(error.message))
        else:
            db_session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next_url(form.next.data) or url_for("main.index"))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    if ActionForm().validate_on_submit():
        logout_user()
        flash(_("You have signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/register")
def register_choice() -> str:
    return render_template("accounts/register_choice.html")


def organization_details(form: FlaskForm, kind: OrgKind,
                         current: Organization | None = None) -> services.OrganizationDetails:
    """The organisation part of a registration or edit form as service input.

    Fields removed from the form (identity fields of a verified organisation) keep the
    values of `current`.
    """
    data = form.data

    def value(name: str) -> object:
        if name in data:
            return data[name]
        return getattr(current, name, None)

    size, level = value("size"), value("level")
    return services.OrganizationDetails(
        kind=kind,
        name=str(value("name") or ""),
        credit_code=value("credit_code"),  # type: ignore[arg-type]
        school_code=value("school_code"),  # type: ignore[arg-type]
        district=str(value("district") or ""),
        industry=str(value("industry") or ""),
        size=EnterpriseSize(size) if size else None,
        level=UniversityLevel(level) if level else None,
        address=str(value("address") or ""),
        representative=str(value("representative") or ""),
        contact_phone=str(value("contact_phone") or ""),
    )


@bp.route("/register/<kind>", methods=["GET", "POST"])
def register(kind: str) -> Response | str:
    try:
        org_kind = OrgKind(kind)
    except ValueError:
        abort(404)
    if current_user.is_authenticated:
        flash(_("You are already signed in."), "info")
        return redirect(url_for("main.index"))
    form = REGISTRATION_FORMS[org_kind]()
    if form.validate_on_submit():
        account = services.AccountDetails(email=form.email.data, name=form.user_name.data,
                                          password=form.password.data, phone=form.phone.data)
        try:
            user = services.register_organization(
                db_session, organization_details(form, org_kind), account)
        except DomainError as error:
            db_session.rollback()
            form_error(form, error)
        else:
            db_session.commit()
            login_user(user)
            flash(_("Registration received. A city coordinator will review your organisation; "
                    "until then you can prepare drafts."), "success")
            return redirect(url_for("organizations.mine"))
    return render_template("accounts/register.html", form=form, kind=org_kind)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> Response | str:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            db_session.rollback()
            form_error(form, error)
        else:
            db_session.commit()
            login_user(current_user._get_current_object())  # the cookie carries the new token
            flash(_("Your password has been changed. Other devices have been signed out."),
                  "success")
            return redirect(url_for("main.index"))
    return render_template("accounts/password.html", form=form)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> Response | str:
    invitation = services.find_open_invitation(db_session, token)
    if invitation is None:
        return render_template("accounts/invitation_invalid.html"), 404  # type: ignore[return-value]
    if current_user.is_authenticated:
        flash(_("Please sign out before accepting an invitation for another account."), "warning")
        return redirect(url_for("main.index"))
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        account = services.AccountDetails(email=invitation.email, name=form.user_name.data,
                                          password=form.password.data, phone=form.phone.data)
        try:
            user = services.accept_invitation(db_session, invitation, account)
        except DomainError as error:
            db_session.rollback()
            form_error(form, error)
        else:
            db_session.commit()
            login_user(user)
            flash(_("Welcome! You have joined %(org)s.", org=invitation.organization.name),
                  "success")
            return redirect(url_for("main.index"))
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation)
