"""Members' matches (with dismissal feedback) and coordinators' matching vocabulary."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from portal.db import db_session
from portal.forms import ActionForm
from portal.matching import feedback, jobs, outcomes, overview, suggestions, synonyms
from portal.matching.forms import DismissForm, SynonymForm
from portal.matching.models import SkillSynonym
from portal.matching.services import tools
from portal.matching.store import recommendations_for
from portal.permissions import coordinator_required, member_required
from portal.postings.models import Posting, PostingKind, PostingStatus
from portal.postings.services import postings_of
from portal.security import safe_next_url
from portal.views import commit_or_show, enum_arg, int_arg, submit_and_return

bp = Blueprint("matching", __name__, url_prefix="/matching")


@bp.route("/mine")
@member_required
def mine() -> str:
    """Every live or draft posting of my organisation with its best matches."""
    today = date.today()
    postings = [p for p in postings_of(db_session, current_user.organization)
                if p.effective_status(today) in (PostingStatus.PUBLISHED, PostingStatus.DRAFT)]
    best = recommendations_for(db_session, postings, top=3)
    return render_template("matching/mine.html", today=today, dismiss_form=DismissForm(),
                           rows=[(p, best[p.id]) for p in postings])


@bp.route("/postings/<int:posting_id>/dismiss/<int:other_id>", methods=["POST"])
@member_required
def dismiss(posting_id: int, other_id: int) -> Response:
    posting = db_session.get(Posting, posting_id)
    other = db_session.get(Posting, other_id)
    if posting is None or other is None or not posting.can_view(current_user) \
            or not other.can_view(current_user):
        abort(404)
    if not posting.can_edit(current_user):
        abort(403)
    form = DismissForm()
    return submit_and_return(
        form, lambda: feedback.dismiss(db_session, posting, other, current_user,
                                       form.reason.data),
        safe_next_url(request.form.get("next")) or url_for(".mine"),
        done=_("Thank you. “%(title)s” will not be recommended for this posting again.",
               title=other.title))


@bp.route("/all")
@coordinator_required
def all_matches() -> str:
    """Every live pair above a score, filtered; with the recompute job's progress."""
    query = overview.MatchQuery(
        demand_kind=enum_arg(request.args, "demand_kind", PostingKind),
        supply_kind=enum_arg(request.args, "supply_kind", PostingKind),
        district=request.args.get("district", "")[:50].strip(),
        text=request.args.get("q", "")[:100].strip(),
        min_score=int_arg(request.args, "min_score", overview.MatchQuery.min_score, 0, 100),
        after=request.args.get("after", ""), before=request.args.get("before", ""))
    runs = jobs.latest_runs(db_session)
    return render_template(
        "matching/all.html", query=query, results=overview.all_matches(db_session, query),
        evaluations=outcomes.history(db_session),
        runs=runs, outcome=jobs.outcome, form=ActionForm(),
        active=any(jobs.under_way(run) for run in runs),
        demand_kinds=[k for k in PostingKind if k.is_demand],
        supply_kinds=[k for k in PostingKind if not k.is_demand])


@bp.route("/recompute", methods=["POST"])
@coordinator_required
def recompute() -> Response:
    return submit_and_return(
        ActionForm(), lambda: jobs.request_recompute(db_session, current_user),
        url_for(".all_matches"),
        done=_("Recompute started. Progress is shown below; the page refreshes itself."))


@bp.route("/feedback")
@coordinator_required
def feedback_list() -> str:
    """Why members dismissed recommendations: material for synonyms and tuning."""
    page = int_arg(request.args, "page", 1, 1, 100_000)
    return render_template("matching/feedback.html",
                           results=overview.dismissals(db_session, page))


@bp.route("/synonyms", methods=["GET", "POST"])
@coordinator_required
def synonym_list() -> Response | str:
    form = SynonymForm()
    if request.method == "GET":  # a word offered elsewhere (monitoring's new vocabulary)
        form.alias.data = request.args.get("alias", "")[:synonyms.MAX_ALIAS_LENGTH]
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: synonyms.add_synonym(
            db_session, form.concept.data, form.alias.data, current_user))
        if outcome.ok:
            synonym = outcome.value
            flash(_("“%(alias)s” now counts as %(concept)s. Every match is being recomputed "
                    "with it.", alias=synonym.alias,
                    concept=synonyms.concept_label(synonym.concept_id)), "success")
            return redirect(url_for(".synonym_list"))
    return render_template("matching/synonyms.html", form=form,
                           synonyms=synonyms.all_synonyms(db_session),
                           label=synonyms.concept_label)


@bp.route("/synonyms/<int:synonym_id>/delete", methods=["POST"])
@coordinator_required
def delete_synonym(synonym_id: int) -> Response:
    synonym = db_session.get(SkillSynonym, synonym_id) or abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: synonyms.delete_synonym(
            db_session, synonym, current_user))
        if outcome.ok:
            flash(_("Synonym removed. Every match is being recomputed without it."), "success")
    return redirect(url_for(".synonym_list"))


@bp.route("/skills/suggest")
@login_required
def suggest_skills() -> Response:
    """Skill names for the tag field's suggestions (the shipped taxonomy and the
    coordinators' synonyms: nothing private)."""
    found = suggestions.suggest(tools(db_session), request.args.get("q", ""))
    return jsonify([{"value": item.value, "hint": item.hint} for item in found])
