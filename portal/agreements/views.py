"""Agreements: downloads for the parties and coordinators; public verification by code."""
from __future__ import annotations

import io

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
from werkzeug.wrappers import Response as BaseResponse

from portal.agreements import certificates, services
from portal.agreements.forms import (
    CertificateForm,
    CheckFileForm,
    DecisionForm,
    EnglishForm,
    LookupForm,
    ScanForm,
)
from portal.agreements.models import Agreement, AgreementStatus, MentorCertificate, SignedScan
from portal.agreements.register import RegisterQuery, awaiting_countersignature
from portal.agreements.register import register as register_of
from portal.agreements.scans import upload_scan
from portal.agreements.services import request_english
from portal.agreements.verification import (
    find_document,
    issued_copy,
    later_version,
    normalise_code,
)
from portal.cooperation.models import CooperationKind, Proposal
from portal.db import db_session
from portal.forms import ActionForm
from portal.permissions import coordinator_required
from portal.security import accepts_upload
from portal.storage import AlteredFile, read_checked, storage_dir
from portal.views import (
    commit_or_show,
    enum_arg,
    int_arg,
    submit_and_return,
    viewable_or_404,
)

bp = Blueprint("agreements", __name__)


def _partnership_page(proposal_id: int, anchor: str = "agreements") -> str:
    return url_for("cooperation.detail", proposal_id=proposal_id, _anchor=anchor)


def _send_pdf(name: str, digest: str, download_name: str) -> Response:
    try:
        data = read_checked(name, digest)
    except AlteredFile:
        current_app.logger.exception("refused to serve an altered document")
        abort(500)
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=download_name)


@bp.route("/agreements/<int:agreement_id>/download")
@login_required
def download(agreement_id: int) -> Response:
    """The issued PDF; ?lang=en its English copy once rendered."""
    agreement = viewable_or_404(Agreement, agreement_id)
    locale = "en" if request.args.get("lang") == "en" else "zh"
    copy = agreement.stored_copy(locale)
    if copy is None:
        abort(404)
    return _send_pdf(*copy, agreement.download_name_in(locale))


@bp.route("/agreements/<int:agreement_id>/english", methods=["POST"])
@login_required
def english(agreement_id: int) -> BaseResponse:
    """Ask for the English copy; it is rendered in the background."""
    agreement = viewable_or_404(Agreement, agreement_id)
    return submit_and_return(
        EnglishForm(), lambda: request_english(db_session, agreement, current_user),
        _partnership_page(agreement.proposal_id),
        done=_("The English copy is being prepared; it appears here in a moment."))


@bp.route("/agreements/<int:agreement_id>/english/retry", methods=["POST"])
@login_required
def retry_english(agreement_id: int) -> BaseResponse:
    agreement = viewable_or_404(Agreement, agreement_id)
    return submit_and_return(
        ActionForm(), lambda: services.retry_english(db_session, agreement, current_user),
        _partnership_page(agreement.proposal_id),
        done=_("The English copy is being prepared again."))


@bp.route("/cooperation/<int:proposal_id>/agreement/retry", methods=["POST"])
@login_required
def retry_agreement(proposal_id: int) -> BaseResponse:
    proposal = viewable_or_404(Proposal, proposal_id)
    return submit_and_return(
        ActionForm(), lambda: services.retry_agreement(db_session, proposal, current_user),
        _partnership_page(proposal.id), done=_("The agreement is being prepared again."))


@bp.route("/agreements/<int:agreement_id>/scans", methods=["POST"])
@login_required
@accepts_upload("SCAN_MAX_BYTES")
def upload(agreement_id: int) -> BaseResponse:
    """A party uploads the signed and sealed copy."""
    agreement = viewable_or_404(Agreement, agreement_id)
    form = ScanForm()
    return submit_and_return(
        form, lambda: upload_scan(db_session, agreement, current_user, form.file.data.read(),
                                  form.file.data.filename or ""),
        _partnership_page(agreement.proposal_id), done=lambda scan: _(
            "Your signed copy was uploaded; both parties have now signed the agreement.")
        if agreement.is_signed_by_both else _(
            "Your signed copy was uploaded; the agreement is signed once the other party "
            "uploads theirs."))


@bp.route("/agreements/scans/<int:scan_id>")
@login_required
def scan(scan_id: int) -> Response:
    signed = viewable_or_404(SignedScan, scan_id)
    return send_file(storage_dir() / signed.stored_name, mimetype=signed.content_type,
                     as_attachment=True, download_name=signed.original_name)


@bp.route("/verify")
def lookup() -> str | BaseResponse:
    """Public: type the code printed on an agreement."""
    form = LookupForm(request.args)
    if request.args and form.validate():
        code = normalise_code(form.code.data)
        if code:
            return redirect(url_for(".verify", code=code))
        form.code.errors = [_("A verification code has 12 letters and digits.")]
    return render_template("agreements/lookup.html", form=form)


@bp.route("/verify/<code>", methods=["GET", "POST"])
@accepts_upload("SCAN_MAX_BYTES")  # the copy someone was given, to check
def verify(code: str) -> tuple[str, int] | str | BaseResponse:
    """Public (the QR code's address): what the portal issued under this code, and
    whether an uploaded PDF is exactly that document."""
    canonical = normalise_code(code)
    if canonical and canonical != code and request.method == "GET":
        return redirect(url_for(".verify", code=canonical))
    document = find_document(db_session, code)
    if document is None:
        return render_template("agreements/lookup.html", form=LookupForm(code=code),
                               unknown=code), 404
    form = CheckFileForm()
    verdict = None
    if form.validate_on_submit():
        verdict = issued_copy(document, form.file.data.read()) or "no"
    if isinstance(document, MentorCertificate):
        return render_template("agreements/verify_certificate.html", certificate=document,
                               form=form, verdict=verdict)
    return render_template("agreements/verify.html", agreement=document, form=form,
                           verdict=verdict, later=later_version(db_session, document))


# The small forms of the agreements and certificates sections, which the partnership's
# page (cooperation's, which knows nothing of them) includes.
bp.add_app_template_global(DecisionForm, "certificate_decision_form")
bp.add_app_template_global(ScanForm, "scan_form")


@bp.route("/cooperation/<int:proposal_id>/certificates/new", methods=["GET", "POST"])
@login_required
def new_certificate(proposal_id: int) -> str | BaseResponse:
    """The university files a mentor's teaching certificate for countersigning."""
    proposal = viewable_or_404(Proposal, proposal_id)
    if not proposal.can_file_certificate(current_user):
        abort(403)
    form = CertificateForm()
    if form.validate_on_submit() and commit_or_show(form, lambda: certificates.file_certificate(
            db_session, proposal, current_user, certificates.CertificateDetails(
                mentor_name=form.mentor_name.data, mentor_title=form.mentor_title.data or "",
                term=form.term.data, courses=form.courses.data, hours=form.hours.data))).ok:
        flash(_("The certificate was sent to the coordinating office for countersigning."),
              "success")
        return redirect(_partnership_page(proposal.id, "certificates"))
    return render_template("agreements/certificate_form.html", form=form, proposal=proposal)


@bp.route("/certificates/<int:certificate_id>/<any(countersign, decline):decision>",
          methods=["POST"])
@login_required
def decide_certificate(certificate_id: int, decision: str) -> BaseResponse:
    """A coordinator countersigns (the PDF follows) or declines with a reason."""
    certificate = viewable_or_404(MentorCertificate, certificate_id)
    form = DecisionForm()
    if decision == "countersign":
        action, done = (lambda: certificates.countersign(db_session, certificate, current_user),
                        _("Countersigned: the certificate is being printed."))
    else:
        action, done = (lambda: certificates.decline(db_session, certificate, current_user,
                                                     form.comment.data or ""),
                        _("The certificate was declined; the university has been told why."))
    return submit_and_return(form, action, _partnership_page(certificate.proposal_id,
                                                             "certificates"), done=done)


@bp.route("/certificates/<int:certificate_id>/download")
@login_required
def certificate_pdf(certificate_id: int) -> Response:
    certificate = viewable_or_404(MentorCertificate, certificate_id)
    if certificate.stored_name is None or certificate.sha256 is None:
        abort(404)
    return _send_pdf(certificate.stored_name, certificate.sha256, certificate.download_name)


@bp.route("/agreements")
@coordinator_required
def register() -> str:
    """Coordinators: every issued agreement, filtered; certificates awaiting them."""
    signed = request.args.get("signed")
    query = RegisterQuery(
        status=enum_arg(request.args, "status", AgreementStatus),
        kind=enum_arg(request.args, "kind", CooperationKind),
        signed={"yes": True, "no": False}.get(signed or ""),
        text=request.args.get("q", "")[:100].strip(),
        page=int_arg(request.args, "page", 1, 1, 100_000))
    return render_template(
        "agreements/register.html", query=query, signed=signed,
        results=register_of(db_session, query), statuses=list(AgreementStatus),
        kinds=list(CooperationKind), waiting=awaiting_countersignature(db_session))
