"""/api/v1 proposals, partnerships and agreements. The cooperation services decide every
step, as for the web pages; these views only read the request and write the answer."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import lazy_gettext as _l
from pydantic import ValidationError
from spectree import Response as Answers

from portal.accounts.models import Organization
from portal.agreements.models import Agreement
from portal.agreements.verification import find_document, later_version
from portal.api import idempotency
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
from portal.api.auth import caller, check_scope, requires, token
from portal.api.cooperation_schemas import AgreementOut as AgreementDocument
from portal.api.cooperation_schemas import (
    ProposalActionIn,
    ProposalNew,
    ProposalOut,
    ProposalPage,
    ProposalQueryIn,
    VerificationOut,
    terms_body,
)
from portal.api.documents import agreement_document, proposal_document, verification_document
from portal.api.models import Scope
from portal.api.problems import Problem, validation_errors
from portal.api.spec import api_spec
from portal.cooperation import services
from portal.cooperation.listing import ProposalQuery, proposals_keyset
from portal.cooperation.models import CooperationKind, Proposal, ProposalStatus
from portal.cooperation.terms import TERMS
from portal.cooperation.workflow import TRANSITIONS, WITH_TERMS
from portal.db import db_session
from portal.errors import DomainError
from portal.postings.models import Posting
from portal.storage import AlteredFile, read_checked

bp = Blueprint("cooperation", __name__)
TERM_NAMES = frozenset(field.name for fields in TERMS.values() for field in fields)
CONFIRM = _l("Terminating cannot be undone: send “confirm”: true.")


def _visible_proposal(proposal_id: int) -> Proposal:
    proposal = db_session.get(Proposal, proposal_id)
    if proposal is None or not proposal.can_view(caller()):
        raise Problem(404)
    return proposal


def _proposal_answer(proposal: Proposal, status: int = 200, **headers: str) -> Response:
    document = proposal_document(proposal, services.open_actions(proposal, caller()))
    return json_answer(dump(ProposalOut, document), status, ETag=etag(proposal.version),
                       **headers)


@contextmanager
def _terms_at(pointer: str) -> Iterator[None]:
    """A term refused by the service is pointed at inside the request's terms."""
    try:
        yield
    except DomainError as error:
        if error.field not in TERM_NAMES:
            raise
        raise Problem(422, error.message, errors=[
            {"pointer": f"{pointer}/{error.field}", "detail": str(error.message)}]) from None


@bp.get("/proposals")
@api_spec.validate(query=ProposalQueryIn, resp=Answers(HTTP_200=ProposalPage,
                                                       **problems(401, 403, 422)),
                   tags=["cooperation"])
@requires(Scope.READ)
def proposal_list() -> Response:
    """Our organisation's proposals and partnerships (all of them for coordinators),
    newest change first. With `updated_since`, those changed since then, oldest change
    first, for mirroring (follow `next_cursor` to the end)."""
    asked: ProposalQueryIn = request.context.query
    query = ProposalQuery(status=enum_or_none(asked.status, ProposalStatus),
                          kind=enum_or_none(asked.kind, CooperationKind), text=asked.q.strip(),
                          updated_since=as_utc(asked.updated_since))
    page = proposals_keyset(db_session, caller(), query, size=asked.limit, after=asked.cursor)
    user = caller()
    return page_answer(page, [dump(ProposalOut, proposal_document(
        proposal, services.open_actions(proposal, user))) for proposal in page.items])


def _posting(values: dict[str, Any], name: str) -> Posting | None:
    """The match's posting named in the body, if any (and visible to the caller)."""
    if values.get(name) is None:
        return None
    posting = db_session.get(Posting, values[name])
    if posting is None or not posting.can_view(caller()):
        raise Problem(422, errors=[{"pointer": f"/{name}", "detail": str(
            _l("No posting you can see has this id."))}])
    return posting


@bp.post("/proposals")
@api_spec.validate(json=ProposalNew, resp=Answers(HTTP_201=ProposalOut,
                                                  **problems(401, 403, 409, 422)),
                   tags=["cooperation"])
@requires(Scope.WRITE)
def proposal_create() -> Response:
    """Propose a cooperation to a verified organisation of the other side, from a match
    (`demand` and `supply`) or directly. Send an Idempotency-Key to retry safely."""
    reserved = idempotency.reserve(token())
    if isinstance(reserved, tuple):
        body, status, location = reserved
        return json_answer(body, status, Location=location, **{"Idempotent-Replayed": "true"})
    values: dict[str, Any] = request.get_json()
    partner = db_session.get(Organization, values["partner"])
    if partner is None or not partner.is_verified:
        raise Problem(422, errors=[{"pointer": "/partner", "detail": str(
            _l("No verified organisation has this id."))}])
    with _terms_at("/terms"):
        proposal = services.propose(
            db_session, caller(), partner, CooperationKind(values["kind"]), values["title"],
            values["terms"], values.get("note") or "", demand=_posting(values, "demand"),
            supply=_posting(values, "supply"))
    db_session.flush()
    location = f"/api/v1/proposals/{proposal.id}"
    answer = _proposal_answer(proposal, 201, Location=location)
    idempotency.remember(reserved, answer.get_json(), 201, location)
    db_session.commit()
    return answer


@bp.get("/proposals/<int:proposal_id>")
@api_spec.validate(resp=Answers("HTTP_304", HTTP_200=ProposalOut, **problems(401, 403, 404)),
                   tags=["cooperation"])
@requires(Scope.READ)
def proposal_detail(proposal_id: int) -> Response:
    """One proposal with its terms, versions, audit trail, agreements, and what the
    caller may do now; with its ETag (If-None-Match answers 304 when unchanged)."""
    proposal = _visible_proposal(proposal_id)
    if f"v{proposal.version}" in request.if_none_match:
        return Response(status=304, headers={"ETag": etag(proposal.version)})
    return _proposal_answer(proposal)


def _checked_terms(proposal: Proposal, terms: dict[str, Any] | None) -> dict[str, Any] | None:
    if terms is None:
        return None
    try:
        return terms_body(proposal.kind).model_validate(terms).model_dump(mode="json")
    except ValidationError as error:
        raise Problem(422, errors=validation_errors(
            [{**e, "loc": ("terms", *e["loc"])} for e in error.errors()])) from None


@bp.post("/proposals/<int:proposal_id>/actions/<action>")
@api_spec.validate(json=ProposalActionIn, resp=Answers(
    HTTP_200=ProposalOut, **problems(401, 403, 404, 409, 412, 422)), tags=["cooperation"])
def proposal_act(proposal_id: int, action: str) -> Response:
    """Take a step: accept, counter, decline or withdraw (the parties); approve, reject
    or return (coordinators); revise, amend, suspend, resume, complete, terminate.
    counter, revise and amend send `terms`; a reason goes in `comment`. If-Match with
    the ETag makes sure nobody acted meanwhile (412)."""
    check_scope(Scope.COORDINATOR if caller().is_coordinator else Scope.WRITE)
    proposal = _visible_proposal(proposal_id)
    if action not in TRANSITIONS:
        raise Problem(404, _l("Unknown action."))
    check_if_match(proposal.version, stale=services.STALE)
    asked: ProposalActionIn = request.context.json
    if TRANSITIONS[action].needs_confirmation and not asked.confirm:
        raise Problem(422, CONFIRM, errors=[{"pointer": "/confirm", "detail": str(CONFIRM)}])
    terms = _checked_terms(proposal, asked.terms) if action in WITH_TERMS else None
    with _terms_at("/terms"):
        services.act(db_session, proposal, caller(), action, comment=asked.comment,
                     terms=terms)
    db_session.commit()
    return _proposal_answer(proposal)


# --- Agreements ----------------------------------------------------------------------

def _visible_agreement(agreement_id: int) -> Agreement:
    agreement = db_session.get(Agreement, agreement_id)
    if agreement is None or not agreement.can_view(caller()):
        raise Problem(404)
    return agreement


@bp.get("/agreements/<int:agreement_id>")
@api_spec.validate(resp=Answers(HTTP_200=AgreementDocument, **problems(401, 403, 404)),
                   tags=["cooperation"])
@requires(Scope.READ)
def agreement(agreement_id: int) -> Response:
    """An issued agreement: its number, version, state, signatures and checksum."""
    return json_answer(dump(AgreementDocument,
                            agreement_document(_visible_agreement(agreement_id))))


@bp.get("/agreements/<int:agreement_id>/pdf")
@api_spec.validate(resp=Answers(HTTP_200=None, **problems(401, 403, 404)),
                   tags=["cooperation"])
@requires(Scope.READ)
def agreement_pdf(agreement_id: int) -> Response:
    """The issued PDF (`?lang=en`: its English copy, once rendered), exactly as issued:
    its SHA-256 is the agreement's `sha256`."""
    found = _visible_agreement(agreement_id)
    locale = "en" if request.args.get("lang") == "en" else "zh"
    copy = found.stored_copy(locale)
    if copy is None:
        raise Problem(404, _l("The English copy has not been rendered."))
    try:
        data = read_checked(*copy)
    except AlteredFile:
        current_app.logger.exception("refused to serve an altered document")
        abort(500)
    # Not send_file: its passthrough body cannot be read by spectree's response check.
    answer = Response(data, mimetype="application/pdf")
    answer.headers.set("Content-Disposition", "attachment",
                       filename=found.download_name_in(locale))
    return answer


@bp.get("/verify/<code>")
@api_spec.validate(resp=Answers(HTTP_200=VerificationOut, **problems(401, 403, 404)),
                   tags=["cooperation"])
@requires(Scope.READ)
def verify(code: str) -> Response:
    """What the portal issued under the verification code printed on a document (as
    the public verification page shows it)."""
    document = find_document(db_session, code[:40])
    if document is None:
        raise Problem(404, _l("No document was issued under this code."))
    later = later_version(db_session, document) if isinstance(document, Agreement) else None
    return json_answer(dump(VerificationOut, verification_document(document, later)))

