"""Agreements: downloads for the parties and coordinators; public verification by code."""
from __future__ import annotations

import io
from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from portal.agreements.forms import CheckFileForm, EnglishForm, LookupForm, ScanForm
from portal.agreements.models import Agreement, SignedScan
from portal.agreements.scans import upload_scan
from portal.agreements.services import AlteredFile, pdf_bytes, request_english, storage_dir
from portal.agreements.verification import (
    find_by_code,
    issued_copy,
    later_version,
    normalise_code,
)
from portal.db import db_session
from portal.views import commit_or_show, form_messages

bp = Blueprint("agreements", __name__)


def _viewable(agreement_id: int) -> Agreement:
    """The agreement, if the current user is one of its parties or a coordinator."""
    agreement = db_session.get(Agreement, agreement_id)
    if agreement is None or not agreement.proposal.can_view(current_user):
        abort(404)
    return agreement


def _submit(agreement: Agreement, form: FlaskForm, action: Callable[[], object],
            done: str) -> BaseResponse:
    """A small form on the partnership's page: run the service and commit, say how it
    went, and go back to the page's agreements."""
    if form.validate_on_submit() and commit_or_show(form, action).ok:
        flash(done, "success")
    else:
        flash(form_messages(form), "error")
    return redirect(url_for("cooperation.detail", proposal_id=agreement.proposal_id,
                            _anchor="agreements"))


@bp.route("/agreements/<int:agreement_id>/download")
@login_required
def download(agreement_id: int) -> Response:
    """The issued PDF; ?lang=en its English copy once rendered."""
    agreement = _viewable(agreement_id)
    english = request.args.get("lang") == "en"
    if english and agreement.english_stored_name is None:
        abort(404)
    try:
        data = pdf_bytes(agreement, english)
    except AlteredFile:
        current_app.logger.exception("refused to serve an altered agreement file")
        abort(500)
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=agreement.download_name_in("en" if english else "zh"))


@bp.route("/agreements/<int:agreement_id>/english", methods=["POST"])
@login_required
def english(agreement_id: int) -> BaseResponse:
    """Ask for the English copy; it is rendered in the background."""
    agreement = _viewable(agreement_id)
    return _submit(agreement, EnglishForm(), lambda: request_english(
        db_session, agreement, current_user),
        _("The English copy is being prepared; it appears here in a moment."))


@bp.route("/agreements/<int:agreement_id>/scans", methods=["POST"])
@login_required
def upload(agreement_id: int) -> BaseResponse:
    """A party uploads the signed and sealed copy."""
    agreement = _viewable(agreement_id)
    form = ScanForm()
    return _submit(agreement, form, lambda: upload_scan(
        db_session, agreement, current_user, form.file.data.read(),
        form.file.data.filename or ""),
        _("The signed copy was uploaded; the agreement is marked signed."))


@bp.route("/agreements/scans/<int:scan_id>")
@login_required
def scan(scan_id: int) -> Response:
    signed = db_session.get(SignedScan, scan_id)
    if signed is None:
        abort(404)
    _viewable(signed.agreement_id)
    return send_file(storage_dir() / signed.stored_name, mimetype=signed.content_type,
                     as_attachment=True, download_name=signed.original_name)


@bp.route("/verify")
def lookup() -> str | BaseResponse:
    """Public: type the code printed on an agreement."""
    form = LookupForm(request.args)
    if request.args and form.validate():
        if normalise_code(form.code.data):
            return redirect(url_for(".verify", code=normalise_code(form.code.data)))
        form.code.errors = [_("A verification code has 12 letters and digits.")]
    return render_template("agreements/lookup.html", form=form)


@bp.route("/verify/<code>", methods=["GET", "POST"])
def verify(code: str) -> tuple[str, int] | str | BaseResponse:
    """Public (the QR code's address): what the portal issued under this code, and
    whether an uploaded PDF is exactly that document."""
    if code != normalise_code(code) and normalise_code(code) and request.method == "GET":
        return redirect(url_for(".verify", code=normalise_code(code)))
    agreement = find_by_code(db_session, code)
    if agreement is None:
        return render_template("agreements/lookup.html", form=LookupForm(code=code),
                               unknown=code), 404
    form = CheckFileForm()
    verdict = None
    if form.validate_on_submit():
        verdict = issued_copy(agreement, form.file.data.read()) or "no"
    return render_template("agreements/verify.html", agreement=agreement, form=form,
                           verdict=verdict, later=later_version(db_session, agreement))
