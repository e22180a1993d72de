"""Cooperation pages: proposals list, proposing (from a match or directly), a proposal
with its terms, versions, messages and audit trail, and the actions open to the viewer."""
from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal.accounts.models import Organization
from portal.agreements import services as documents
from portal.cooperation import services
from portal.cooperation.audit import audit_csv
from portal.cooperation.forms import CommentForm, MessageForm, terms_form
from portal.cooperation.listing import SORTS, ProposalQuery, export_rows, proposals_page
from portal.cooperation.models import CooperationKind, Fulfilment, Proposal, ProposalStatus
from portal.cooperation.terms import TERMS, changed_terms
from portal.cooperation.workflow import TRANSITIONS, WITH_TERMS
from portal.db import db_session
from portal.forms import ActionForm
from portal.monitoring.periods import city_zone
from portal.permissions import coordinator_required, member_required
from portal.postings.models import Posting
from portal.spreadsheets import MIMETYPES, table_bytes
from portal.views import (
    commit_or_show,
    date_arg,
    enum_arg,
    file_response,
    int_arg,
    submit_and_return,
    viewable_or_404,
)

bp = Blueprint("cooperation", __name__, url_prefix="/cooperation")

ACTION_LABELS = {
    "accept": _l("Accept these terms"), "counter": _l("Counter-propose"),
    "decline": _l("Decline"), "withdraw": _l("Withdraw"), "approve": _l("Approve"),
    "reject": _l("Reject"), "return": _l("Return for changes"), "revise": _l("Revise terms"),
    "amend": _l("Propose an amendment"),
    "suspend": _l("Suspend"), "resume": _l("Resume"), "complete": _l("Mark completed"),
    "terminate": _l("Terminate"),
}


def _posting_arg(name: str) -> Posting | None:
    raw = request.args.get(name, "")
    posting = db_session.get(Posting, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    return posting if posting is not None and posting.can_view(current_user) else None


def _term_values(form, kind: CooperationKind) -> dict:
    return {term.name: form[term.name].data for term in TERMS[kind]}


# Shown when the database's version check finds someone acted first.
CONFLICT = services.STALE


FILTERS = ("q", "status", "kind", "since", "until", "sort")


def _query(args: MultiDict) -> tuple[ProposalQuery, bool]:
    """The list's filters from the address, and whether a date could not be read."""
    since, bad_since = date_arg(args, "since")
    until, bad_until = date_arg(args, "until")
    sort = args.get("sort", "")
    return ProposalQuery(
        status=enum_arg(args, "status", ProposalStatus),
        kind=enum_arg(args, "kind", CooperationKind),
        text=args.get("q", "")[:100].strip(), since=since, until=until,
        sort=sort if sort in SORTS else "updated",
        page=int_arg(args, "page", 1, 1, 100_000),
        zone=city_zone(current_app.config)), bad_since or bad_until


@bp.route("/")
@login_required
def index() -> str:
    """Proposals and partnerships (one's own; all for coordinators), filtered and sorted."""
    query, bad_date = _query(request.args)
    queue = services.approval_queue(db_session) if current_user.is_coordinator else []
    # The filters the downloads carry (only these: url_for reads keys like _scheme).
    carried = {name: request.args[name] for name in FILTERS if request.args.get(name)}
    return render_template(
        "cooperation/index.html", results=proposals_page(db_session, current_user, query),
        query=query, bad_date=bad_date, queue=queue, statuses=list(ProposalStatus),
        kinds=list(CooperationKind), carried=carried)


@bp.route("/export.<fmt>")
@coordinator_required
def export(fmt: str) -> Response:
    """Every proposal the filters select, as a spreadsheet."""
    if fmt not in MIMETYPES:
        abort(404)
    query, _bad_date = _query(request.args)
    filename = f"cooperations-{date.today().isoformat()}.{fmt}"
    rows = export_rows(db_session, current_user, query)
    return file_response(table_bytes(rows, fmt, "cooperations"), MIMETYPES[fmt], filename)


@bp.route("/audit.csv")
@coordinator_required
def audit_export() -> Response:
    """Every state change and decision, for the city's records."""
    filename = f"cooperation-audit-{date.today().isoformat()}.csv"
    return file_response(audit_csv(db_session), MIMETYPES["csv"], filename)


@bp.route("/new", methods=["GET", "POST"])
@member_required
def new() -> Response | str:
    """From a match (?demand=&supply=) or to an organisation (?partner=)."""
    demand, supply = _posting_arg("demand"), _posting_arg("supply")
    partner = services.match_parties(current_user, demand, supply)
    if partner is None:
        demand = supply = None
        raw = request.args.get("partner", "")
        partner = db_session.get(Organization, int(raw)) if raw.isdigit() and len(raw) < 10 \
            else None
    if partner is None or not services.can_be_proposed_to(partner, current_user):
        abort(404)
    kind = enum_arg(request.args, "kind", CooperationKind) or services.kind_for(demand, supply)
    prefill = services.terms_from_match(kind, demand, supply)
    form = terms_form(kind, with_title=True,
                      data={"title": services.title_for(demand, supply), **prefill})
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: services.propose(
            db_session, current_user, partner, kind, form.title.data,
            _term_values(form, kind), form.note.data, demand=demand, supply=supply))
        if outcome.ok:
            flash(_("Proposal sent to %(org)s.", org=partner.name), "success")
            return redirect(url_for(".detail", proposal_id=outcome.value.id))
    return render_template("cooperation/terms.html", form=form, kind=kind, partner=partner,
                           kinds=list(CooperationKind), proposal=None, action="propose")


@bp.route("/<int:proposal_id>")
@login_required
def detail(proposal_id: int) -> str:
    proposal = viewable_or_404(Proposal, proposal_id)
    versions = proposal.versions
    changes = [changed_terms(older.terms, newer.terms)
               for older, newer in zip(versions, versions[1:], strict=False)]
    return render_template(
        "cooperation/detail.html", proposal=proposal, changes=changes,
        actions=services.open_actions(proposal, current_user), comment_form=CommentForm(),
        message_form=MessageForm(), terms=TERMS[proposal.kind], labels=ACTION_LABELS,
        needs_comment={a for a, t in TRANSITIONS.items() if t.needs_comment},
        needs_confirmation={a for a, t in TRANSITIONS.items() if t.needs_confirmation},
        with_terms=WITH_TERMS, stages=services.STAGE_LABELS,
        tracks_fulfilment=proposal.kind is CooperationKind.ORDER_TRAINING
        and proposal.status in services.FULFILMENT_STATES,
        agreement_state=documents.agreement_state(db_session, proposal),
        english_failed={agreement.id for agreement in proposal.agreements
                        if documents.english_state(db_session, agreement)
                        is documents.DocumentState.FAILED},
        retry_form=ActionForm(),
        thread=services.thread(db_session, proposal, request.args.get("before", type=int)))


@bp.route("/<int:proposal_id>/act/<action>", methods=["POST"])
@login_required
def act(proposal_id: int, action: str) -> Response:
    proposal = viewable_or_404(Proposal, proposal_id)
    if action not in TRANSITIONS or action in WITH_TERMS:
        abort(404)
    form = CommentForm()
    if TRANSITIONS[action].needs_confirmation and form.is_submitted() and \
            request.form.get("confirm") != "yes":
        flash(_("Please confirm: this cannot be undone."), "error")
        return redirect(url_for(".detail", proposal_id=proposal.id))
    return submit_and_return(
        form, lambda: services.act(db_session, proposal, current_user, action,
                                   comment=form.comment.data,
                                   expected_version=form.version.data),
        url_for(".detail", proposal_id=proposal.id), conflict=str(CONFLICT),
        done=lambda _result: _("Done: the proposal is now “%(status)s”.",
                               status=proposal.status.label))


@bp.route("/<int:proposal_id>/<any(counter, revise, amend):action>", methods=["GET", "POST"])
@login_required
def new_terms(proposal_id: int, action: str) -> Response | str:
    """Counter-propose (or revise returned terms): the current terms, edited."""
    proposal = viewable_or_404(Proposal, proposal_id)
    if action not in services.open_actions(proposal, current_user):
        abort(403)  # a coordinator, or the side not awaited: no form to fill in vain
    form = terms_form(proposal.kind, with_title=False, data={**proposal.terms,
                                                            "version": proposal.version})
    if form.validate_on_submit():
        outcome = commit_or_show(form, conflict=str(CONFLICT), action=lambda: services.act(
            db_session, proposal, current_user, action, terms=_term_values(form, proposal.kind),
            comment=form.note.data, expected_version=form.version.data))
        if outcome.ok:
            flash(_("Your terms were sent to the other side."), "success")
            return redirect(url_for(".detail", proposal_id=proposal.id))
    return render_template("cooperation/terms.html", form=form, kind=proposal.kind,
                           partner=None, kinds=[], proposal=proposal, action=action)


@bp.route("/<int:proposal_id>/fulfilment", methods=["POST"])
@login_required
def fulfilment(proposal_id: int) -> Response:
    proposal = viewable_or_404(Proposal, proposal_id)
    form = CommentForm()
    counts = {stage: request.form.get(stage, "") for stage in Fulfilment.STAGES}
    return submit_and_return(
        form, lambda: services.record_fulfilment(db_session, proposal, current_user, counts,
                                                 expected_version=form.version.data),
        url_for(".detail", proposal_id=proposal.id, _anchor="fulfilment"),
        conflict=str(CONFLICT), done=_("Progress saved."))


@bp.route("/<int:proposal_id>/messages", methods=["POST"])
@login_required
def message(proposal_id: int) -> Response:
    proposal = viewable_or_404(Proposal, proposal_id)
    form = MessageForm()
    return submit_and_return(
        form, lambda: services.post_message(db_session, proposal, current_user,
                                            form.body.data),
        url_for(".detail", proposal_id=proposal.id, _anchor="messages"))

