"""Sign-in, sign-out, registration, password change and joining by invitation."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from portal.accounts import confirmation, devices, reset, services, signins
from portal.accounts.auth import (
    LoginRefused,
    authenticate,
    change_password,
    find_user_by_email,
)
from portal.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    EnterpriseRegistrationForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    UniversityRegistrationForm,
)
from portal.accounts.models import OrgKind, User
from portal.db import db_session
from portal.errors import WorkflowError
from portal.forms import ActionForm
from portal.security import accepts_upload, safe_next_url
from portal.uploads import Upload
from portal.views import commit_or_show

bp = Blueprint("accounts", __name__)

REGISTRATION_FORMS = {
    OrgKind.ENTERPRISE: EnterpriseRegistrationForm,
    OrgKind.UNIVERSITY: UniversityRegistrationForm,
}


def _sign_in(user: User, remember: bool = False) -> None:
    """A sign-in kept on the server, and the browser's session carrying its token."""
    signins.start(db_session, user, remembered=remember)
    db_session.commit()
    login_user(user, remember=remember)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        known = devices.is_known(request, find_user_by_email(db_session, form.email.data))
        try:
            user = authenticate(db_session, form.email.data, form.password.data,
                                request.remote_addr, known_device=known)
        except LoginRefused as error:
            db_session.commit()  # keep the recorded failure for throttling
            form.password.errors.append(str(error.message))
        else:
            _sign_in(user, remember=form.remember.data)
            response = redirect(safe_next_url(form.next.data) or url_for("main.index"))
            devices.remember(request, response, user)
            return response
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    if ActionForm().validate_on_submit():
        if current_user.is_authenticated:
            signins.end(db_session, current_user)
            db_session.commit()
        logout_user()
        flash(_("You have signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/register")
def register_choice() -> str:
    return render_template("accounts/register_choice.html")


@bp.route("/register/<kind>", methods=["GET", "POST"])
@accepts_upload("SCAN_MAX_BYTES")
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
        scan = form.licence.data
        licence = Upload(scan.read(), scan.filename or "") if scan else None
        outcome = commit_or_show(form, lambda: services.register_organization(
            db_session, form.organization_details(org_kind), account, licence))
        if outcome.ok:  # whether or not the address had an account: the same answer
            return render_template("accounts/check_email.html", email=account.email)
    return render_template("accounts/register.html", form=form, kind=org_kind)


@bp.route("/register/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str) -> Response | str:
    """The link sent to a new account's address: confirmed by a button, then signed in."""
    form = ActionForm()
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: confirmation.confirm(db_session, token))
        if outcome.ok:
            _sign_in(outcome.value)
            flash(_("Your e-mail address is confirmed. A city coordinator will review your "
                    "organisation; until then you can prepare drafts."), "success")
            return redirect(url_for("organizations.mine"))
    return render_template("accounts/confirm_email.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> Response | str:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        outcome = commit_or_show(form, lambda: change_password(
            db_session, user, form.current_password.data, form.password.data))
        if outcome.ok:
            login_user(user, remember=outcome.value.remembered)  # the new sign-in's token
            flash(_("Your password has been changed. Other devices have been signed out."),
                  "success")
            return redirect(url_for("main.index"))
    return render_template("accounts/password.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password() -> Response | str:
    """Ask for a reset link; the same answer whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset.request_reset(db_session, form.email.data, request.remote_addr)
        db_session.commit()
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str:
    """The link from the reset mail: choose a new password, then signed in afresh."""
    try:
        reset.holder_of(db_session, token)
    except WorkflowError as refused:
        return render_template("accounts/reset_invalid.html",  # type: ignore[return-value]
                               message=refused.message), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: reset.reset_password(
            db_session, token, form.password.data))
        if outcome.ok:
            if current_user.is_authenticated:
                logout_user()
            _sign_in(outcome.value)
            flash(_("Your password has been changed. Every other device has been signed "
                    "out."), "success")
            return redirect(url_for("main.index"))
    return render_template("accounts/reset_password.html", form=form)


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
        outcome = commit_or_show(
            form, lambda: services.accept_invitation(db_session, invitation, account))
        if outcome.ok:
            _sign_in(outcome.value)
            flash(_("Welcome! You have joined %(org)s.", org=invitation.organization.name),
                  "success")
            return redirect(url_for("main.index"))
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation)
