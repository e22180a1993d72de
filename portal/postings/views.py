"""Browse, read, write, publish and close postings."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from portal.alerts.models import Delivery
from portal.db import db_session
from portal.forms import ActionForm
from portal.i18n import current_language
from portal.matching.explain import COMPONENT_LABELS, asks_for, sentences
from portal.matching.services import search_names
from portal.matching.store import recommendations
from portal.permissions import coordinator_required, member_required
from portal.postings import display, export, imports, services
from portal.postings.diagnosis import diagnose
from portal.postings.forms import FORMS, SORT_CHOICES, ImportForm
from portal.postings.import_template import template_bytes as import_template_bytes
from portal.postings.labels import (
    DIAGNOSIS_MESSAGES,
    DISCRIMINATION_CODES,
    HISTORY_ACTIONS,
    diagnosis_title,
)
from portal.postings.models import (
    EducationLevel,
    ImportRun,
    Posting,
    PostingKind,
    PostingStatus,
)
from portal.postings.search import all_results, query_from_args, search_postings
from portal.security import accepts_upload
from portal.spreadsheets import MIMETYPES
from portal.views import (
    commit_or_show,
    file_response,
    submit_and_return,
    viewable_or_404,
)

bp = Blueprint("postings", __name__, url_prefix="/postings")


def _search_names(text: str) -> list[tuple[str, list[str]]]:
    return search_names(db_session, text)

@bp.route("/")
@login_required
def index() -> str:
    query = query_from_args(request.args)
    results = search_postings(db_session, current_user, query, expand=_search_names)
    return render_template("postings/index.html", results=results, query=query,
                           deliveries=list(Delivery),
                           kinds=list(PostingKind), education_levels=list(EducationLevel),
                           statuses=list(PostingStatus), sort_choices=SORT_CHOICES,
                           today=date.today())


EXPORT_TYPES = {"csv": (export.to_csv, MIMETYPES["csv"]),
                "xlsx": (export.to_xlsx, MIMETYPES["xlsx"])}


@bp.route("/export.<fmt>")
@login_required
def export_results(fmt: str) -> Response:
    """The whole result of the current search (every page) as a spreadsheet."""
    if fmt not in EXPORT_TYPES:
        abort(404)
    render, mimetype = EXPORT_TYPES[fmt]
    postings = all_results(db_session, current_user, query_from_args(request.args),
                           expand=_search_names)
    filename = f"postings-{date.today().isoformat()}.{fmt}"
    return file_response(render(postings), mimetype, filename)


@bp.route("/mine")
@member_required
def mine() -> str:
    org = current_user.organization
    return render_template("postings/mine.html", org=org,
                           postings=services.postings_of(db_session, org),
                           kinds=PostingKind.for_side(org.kind), today=date.today())


def _load_for_edit(posting_id: int) -> Posting:
    posting = viewable_or_404(Posting, posting_id)
    if not posting.can_edit(current_user):
        abort(403)
    return posting


@bp.route("/new/<kind>", methods=["GET", "POST"])
@member_required
def create(kind: str) -> Response | str:
    try:
        posting_kind = PostingKind(kind)
    except ValueError:
        abort(404)
    if posting_kind.side is not current_user.organization.kind:
        abort(403)
    form = FORMS[posting_kind]()
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: services.create_posting(
            db_session, current_user.organization, current_user, posting_kind,
            form.to_fields()))
        if outcome.ok:
            flash(_("Draft saved. Check the diagnosis below, then publish."), "success")
            return redirect(url_for(".detail", posting_id=outcome.value.id))
    return render_template("postings/form.html", form=form, kind=posting_kind, posting=None)


@bp.route("/<int:posting_id>")
@login_required
def detail(posting_id: int) -> str:
    posting = viewable_or_404(Posting, posting_id)
    can_review = posting.can_edit(current_user) or current_user.is_coordinator
    findings = diagnose(posting.kind.value, services.field_values(posting)) if can_review else []
    show_matches = posting.shows_matches_to(current_user, date.today())
    return render_template(
        "postings/detail.html", posting=posting, today=date.today(), findings=findings,
        recommendations=recommendations(db_session, posting) if show_matches else [],
        show_matches=show_matches, asks=asks_for(posting) if posting.kind.is_demand else None,
        why=sentences, component_labels=COMPONENT_LABELS, diagnosis_title=diagnosis_title,
        messages=DIAGNOSIS_MESSAGES, discrimination=DISCRIMINATION_CODES,
        history_actions=HISTORY_ACTIONS, can_review=can_review, rows=display.rows,
        labels=display.field_labels(posting),
    )


@bp.route("/<int:posting_id>/edit", methods=["GET", "POST"])
@member_required
def edit(posting_id: int) -> Response | str:
    posting = _load_for_edit(posting_id)
    form = FORMS[posting.kind]()
    if request.method == "GET":
        form.fill_from(posting)
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: services.update_posting(
            db_session, posting, current_user, form.to_fields(), form.version.data))
        if outcome.ok:
            flash(_("Changes saved.") if outcome.value else _("Nothing was changed."), "success")
            return redirect(url_for(".detail", posting_id=posting.id))
    return render_template("postings/form.html", form=form, kind=posting.kind, posting=posting)


def _state_change(posting_id: int, change, message: str) -> Response:
    posting = _load_for_edit(posting_id)
    return submit_and_return(ActionForm(), lambda: change(db_session, posting, current_user),
                             url_for(".detail", posting_id=posting_id), done=message)


@bp.route("/<int:posting_id>/publish", methods=["POST"])
@member_required
def publish(posting_id: int) -> Response:
    return _state_change(posting_id, services.publish_posting, _("Published."))


@bp.route("/<int:posting_id>/close", methods=["POST"])
@member_required
def close(posting_id: int) -> Response:
    return _state_change(posting_id, services.close_posting,
                         _("Closed. It is no longer listed; you can publish it again."))


@bp.route("/<int:posting_id>/delete", methods=["POST"])
@member_required
def delete(posting_id: int) -> Response:
    posting = _load_for_edit(posting_id)
    return submit_and_return(
        ActionForm(), lambda: services.delete_draft(db_session, posting, current_user),
        url_for(".detail", posting_id=posting_id), done=_("Draft deleted."),
        done_back=url_for(".mine"))


@bp.route("/import", methods=["GET", "POST"])
@coordinator_required
@accepts_upload("IMPORT_MAX_BYTES")
def bulk_import() -> Response | str:
    """Coordinators load lists from districts, associations and universities; a worker
    imports them (the page of the run shows the progress, then the report)."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        outcome = commit_or_show(form, lambda: imports.start_import(
            db_session, current_user, upload.read(), upload.filename or ""))
        if outcome.ok:
            return redirect(url_for(".import_run", run_id=outcome.value.id))
    return render_template("postings/import.html", form=form, outcome=imports.outcome,
                           runs=imports.recent_imports(db_session))


@bp.route("/import/template.xlsx")
@coordinator_required
def import_template() -> Response:
    """The Excel template to fill in, its notes in the coordinator's language."""
    return file_response(import_template_bytes(), MIMETYPES["xlsx"],
                         "portal-import-template.xlsx")


@bp.route("/import/<int:run_id>")
@coordinator_required
def import_run(run_id: int) -> str:
    run = viewable_or_404(ImportRun, run_id)
    language = current_language()
    return render_template("postings/import_run.html", run=run, status=imports.outcome(run),
                           report=imports.report_of(run), language=language,
                           failure=imports.failure(run, language))
