"""/api/v1: postings and organisations for the city's other platforms. Views are thin:
the rules live in the domains' services, the shapes in schemas."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, g, render_template, request
from flask_babel import lazy_gettext as _l
from spectree import Response as Answers
from werkzeug.exceptions import HTTPException

from portal.accounts.models import Organization, OrgKind
from portal.api import idempotency, oauth
from portal.api.answers import (
    as_utc,
    check_if_match,
    dump,
    enum_or_none,
    etag,
    json_answer,
    page_answer,
    problems,
)
from portal.api.auth import authenticate_request, caller, requires, token
from portal.api.documents import (
    import_document,
    match_document,
    organization_document,
    posting_document,
)
from portal.api.models import Scope
from portal.api.postings import checked_fields
from portal.api.problems import Problem, problem_response
from portal.api.schemas import (
    ImportDocumentIn,
    ImportOut,
    MatchList,
    MatchQueryIn,
    OrganizationOut,
    OrganizationPage,
    OrganizationQueryIn,
    PostingChanges,
    PostingNew,
    PostingOut,
    PostingPage,
    PostingQueryIn,
)
from portal.api.spec import api_spec, document
from portal.db import db_session
from portal.directory import services as directory
from portal.errors import ConflictError, DomainError, PermissionDenied, WorkflowError
from portal.i18n import current_language
from portal.matching.services import search_names
from portal.matching.store import recommendations
from portal.paging import Sort, SortKey, keyset_page
from portal.postings import imports
from portal.postings import services as postings
from portal.postings.models import (
    EducationLevel,
    ImportRun,
    Posting,
    PostingKind,
    PostingStatus,
)
from portal.postings.search import PostingQuery, search_postings
from portal.security import accepts_upload

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC = frozenset({"api.openapi", "api.reference", "api.oauth_token"})
GIVE_ONCE = _l("Give this parameter once.")
DOMAIN_STATUS = ((PermissionDenied, 403), (ConflictError, 409), (WorkflowError, 409))


@bp.before_request
def _authenticate() -> None:
    # A CORS preflight carries no credentials: it is answered from the origins alone.
    if request.endpoint not in PUBLIC and request.method != "OPTIONS":
        authenticate_request()
    # No parameter of this API is a list: a repeated one is a mistake, not a choice.
    repeated = sorted({name for name, values in request.args.lists() if len(values) > 1})
    if repeated:
        raise Problem(422, errors=[{"pointer": f"/{name}", "detail": str(GIVE_ONCE)}
                                   for name in repeated])


@bp.after_request
def _cors(response: Response) -> Response:
    return oauth.add_cors_headers(response, g.get("api_token"))


@bp.errorhandler(Problem)
def _problem(problem: Problem) -> Response:
    db_session.rollback()
    return problem_response(problem.status, problem.detail, errors=problem.errors,
                            headers=problem.headers)


@bp.errorhandler(DomainError)
def _refused(error: DomainError) -> Response:
    db_session.rollback()
    status = next((code for kind, code in DOMAIN_STATUS if isinstance(error, kind)), 422)
    errors = [{"pointer": f"/{error.field}", "detail": str(error.message)}] \
        if error.field and status == 422 else None
    return problem_response(status, error.message, errors=errors)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    db_session.rollback()
    return problem_response(error.code or 500)


# --- Organisations -------------------------------------------------------------------

ORGANIZATION_ORDER = Sort((SortKey(Organization.name, kind=str), SortKey(Organization.id)))
ORGANIZATION_CHANGES = Sort((SortKey(Organization.updated_at, kind=datetime),
                             SortKey(Organization.id)))


@bp.get("/organizations")
@api_spec.validate(query=OrganizationQueryIn, resp=Answers(HTTP_200=OrganizationPage,
                                                           **problems(401, 403, 422)),
                   tags=["organisations"])
@requires(Scope.READ)
def organizations() -> Response:
    """Verified organisations (the directory), by name. With `updated_since`, those
    changed since then, oldest change first, for mirroring (follow `next_cursor`)."""
    asked: OrganizationQueryIn = request.context.query
    query = directory.DirectoryQuery.cleaned(asked.q, enum_or_none(asked.kind, OrgKind),
                                             asked.district, 1)
    since = as_utc(asked.updated_since)
    statement = directory.directory_statement(query, updated_since=since)
    order = ORGANIZATION_ORDER if since is None else ORGANIZATION_CHANGES
    page = keyset_page(db_session, statement, order, size=asked.limit, after=asked.cursor,
                       rows=lambda statement: db_session.scalars(statement).all(),
                       key_of=order.key_of)
    return page_answer(page, [dump(OrganizationOut, organization_document(org))
                              for org in page.items])


@bp.get("/organizations/<int:org_id>")
@api_spec.validate(resp=Answers(HTTP_200=OrganizationOut, **problems(401, 403, 404)),
                   tags=["organisations"])
@requires(Scope.READ)
def organization(org_id: int) -> Response:
    """One organisation: verified ones for everyone, others for their members."""
    org = db_session.get(Organization, org_id)
    if org is None or not directory.can_see_profile(org, caller()):
        raise Problem(404)
    return json_answer(dump(OrganizationOut, organization_document(org)))


# --- Postings ------------------------------------------------------------------------

def _posting_answer(posting: Posting, status: int = 200, **headers: str) -> Response:
    return json_answer(dump(PostingOut, posting_document(posting, date.today())), status,
                 ETag=etag(posting.version), **headers)


def _visible_posting(posting_id: int) -> Posting:
    posting = db_session.get(Posting, posting_id)
    if posting is None or not posting.can_view(caller()):
        raise Problem(404)
    return posting


def _editable_posting(posting_id: int) -> Posting:
    """Checked before the version, so that outsiders learn nothing from 412 or 428."""
    posting = _visible_posting(posting_id)
    postings.check_editor(posting, caller())
    return posting


def _check_if_match(posting: Posting, *, required: bool) -> None:
    """If-Match carries the version the caller read (the web forms' version check)."""
    check_if_match(posting.version, stale=postings.STALE, missing=_l(
        "Send the posting's ETag in If-Match, so that a change made meanwhile by someone "
        "else is not overwritten.") if required else None)


@bp.get("/postings")
@api_spec.validate(query=PostingQueryIn, resp=Answers(HTTP_200=PostingPage,
                                                      **problems(401, 403, 422)),
                   tags=["postings"])
@requires(Scope.READ)
def posting_list() -> Response:
    """Search postings with the search page's filters and word analysis.

    With `updated_since`, postings changed since then come oldest change first, closed
    and expired ones included, so that a mirror stays complete: keep the last
    `updated_at` you saw and ask from there, following `next_cursor` to the end."""
    asked: PostingQueryIn = request.context.query
    query = PostingQuery(
        kind=enum_or_none(asked.kind, PostingKind), text=asked.q, skill=asked.skill,
        major=asked.major, district=asked.district, industry=asked.industry,
        education=enum_or_none(asked.education, EducationLevel),
        status=enum_or_none(asked.status, PostingStatus),
        organization_id=asked.organization, updated_since=as_utc(asked.updated_since),
        sort="changes" if asked.updated_since else "newest", after=asked.cursor)
    page = search_postings(db_session, caller(), query, size=asked.limit,
                           expand=lambda text: search_names(db_session, text))
    today = date.today()
    return page_answer(page, [dump(PostingOut, posting_document(posting, today))
                               for posting in page.items])


@bp.post("/postings")
@api_spec.validate(json=PostingNew, resp=Answers(
    HTTP_201=PostingOut, **problems(401, 403, 409, 422)), tags=["postings"])
@requires(Scope.WRITE)
def posting_create() -> Response:
    """Create a draft for the caller's organisation. Send an Idempotency-Key to retry
    safely: the retry gets the first answer and creates nothing."""
    user = caller()
    if user.organization is None:
        raise Problem(403, _l("Only members of an organisation publish postings."))
    reserved = idempotency.reserve(token())
    if isinstance(reserved, tuple):
        body, status, location = reserved
        return json_answer(body, status, Location=location, **{"Idempotent-Replayed": "true"})
    values: dict[str, Any] = request.get_json()
    kind = PostingKind(values.pop("kind"))
    posting = postings.create_posting(db_session, user.organization, user, kind,
                                      checked_fields(kind, values))
    db_session.flush()
    answer = _posting_answer(posting, 201, Location=_location(posting))
    idempotency.remember(reserved, answer.get_json(), 201, _location(posting))
    db_session.commit()
    return answer


def _location(posting: Posting) -> str:
    return f"{bp.url_prefix}/postings/{posting.id}"


@bp.get("/postings/<int:posting_id>")
@api_spec.validate(resp=Answers("HTTP_304", HTTP_200=PostingOut,
                                **problems(401, 403, 404)), tags=["postings"])
@requires(Scope.READ)
def posting_detail(posting_id: int) -> Response:
    """One posting, with its ETag (If-None-Match answers 304 when unchanged)."""
    posting = _visible_posting(posting_id)
    if f"v{posting.version}" in request.if_none_match:
        return Response(status=304, headers={"ETag": etag(posting.version)})
    return _posting_answer(posting)


@bp.patch("/postings/<int:posting_id>")
@api_spec.validate(json=PostingChanges, resp=Answers(
    HTTP_200=PostingOut, **problems(401, 403, 404, 412, 422, 428)), tags=["postings"])
@requires(Scope.WRITE)
def posting_update(posting_id: int) -> Response:
    """Change some fields of one of our postings; If-Match with its ETag is required."""
    posting = _editable_posting(posting_id)
    _check_if_match(posting, required=True)
    postings.update_posting(db_session, posting, caller(),
                            checked_fields(posting.kind, request.get_json(), posting),
                            posting.version)
    db_session.commit()
    return _posting_answer(posting)


def _transition(posting_id: int, change) -> Response:  # noqa: ANN001 - a service function
    posting = _editable_posting(posting_id)
    _check_if_match(posting, required=False)
    change(db_session, posting, caller())
    db_session.commit()
    return _posting_answer(posting)


@bp.post("/postings/<int:posting_id>/publish")
@api_spec.validate(resp=Answers(HTTP_200=PostingOut, **problems(401, 403, 404, 409, 412, 422)),
                   tags=["postings"])
@requires(Scope.WRITE)
def posting_publish(posting_id: int) -> Response:
    """Publish a draft, or a closed or expired posting again (verified organisations)."""
    return _transition(posting_id, postings.publish_posting)


@bp.post("/postings/<int:posting_id>/close")
@api_spec.validate(resp=Answers(HTTP_200=PostingOut, **problems(401, 403, 404, 409, 412)),
                   tags=["postings"])
@requires(Scope.WRITE)
def posting_close(posting_id: int) -> Response:
    """Close a published posting: it leaves the lists and the matching."""
    return _transition(posting_id, postings.close_posting)


@bp.get("/postings/<int:posting_id>/matches")
@api_spec.validate(query=MatchQueryIn, resp=Answers(HTTP_200=MatchList,
                                                    **problems(401, 403, 404, 422)),
                   tags=["matching"])
@requires(Scope.READ)
def posting_matches(posting_id: int) -> Response:
    """The best postings of the other side for this one, each with why it fits (a
    demand's matches are supplies and the other way round)."""
    posting = _visible_posting(posting_id)
    today = date.today()
    if not posting.shows_matches_to(caller(), today):
        return json_answer({"items": []})
    found = recommendations(db_session, posting, top=request.context.query.limit)
    return json_answer(dump(MatchList, {"items": [match_document(recommendation, today)
                                             for recommendation in found]}))


# --- Imports -------------------------------------------------------------------------

@bp.post("/imports")
@api_spec.validate(json=ImportDocumentIn, resp=Answers(HTTP_202=ImportOut,
                                                       **problems(401, 403, 413, 422)),
                   tags=["imports"])
@requires(Scope.COORDINATOR)
@accepts_upload("IMPORT_MAX_BYTES")
def import_start() -> Response:
    """Import a portal-import/1 document in the background, as the import page does;
    follow its progress and per-record report at the address in Location."""
    run = imports.start_import(db_session, caller(), request.get_data(), "api.json")
    db_session.commit()
    location = f"{bp.url_prefix}/imports/{run.id}"
    return json_answer(dump(ImportOut, import_document(run, current_language())), 202,
                       Location=location)


@bp.get("/imports/<int:run_id>")
@api_spec.validate(resp=Answers(HTTP_200=ImportOut, **problems(401, 403, 404)),
                   tags=["imports"])
@requires(Scope.COORDINATOR)
def import_status(run_id: int) -> Response:
    """An import's progress, then its report (refusals in the caller's language)."""
    run = db_session.get(ImportRun, run_id)
    if run is None or not run.can_view(caller()):
        raise Problem(404)
    return json_answer(dump(ImportOut, import_document(run, current_language())))


# --- OAuth --------------------------------------------------------------------------

@bp.post("/oauth/token")
def oauth_token() -> Response:
    """OAuth 2.0 client credentials: a registered client's id and secret (HTTP Basic or
    in the form) for an access token of an hour (public; documented by hand in spec)."""
    return oauth.token_response()


# --- The document --------------------------------------------------------------------

@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document of this API (public)."""
    return json_answer(document())


@bp.get("/reference")
def reference() -> str:
    """A readable page of the document, rendered here (no script, no CDN)."""
    return render_template("api/reference.html", spec=document())


# The other resources' routes, under this blueprint's prefix, authentication and errors.
from portal.api.cooperation_views import bp as cooperation_bp  # noqa: E402
from portal.api.monitoring_views import bp as monitoring_bp  # noqa: E402

bp.register_blueprint(cooperation_bp)
bp.register_blueprint(monitoring_bp)
