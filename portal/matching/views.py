"""Coordinators' vocabulary page: synonyms the matcher learns without a restart."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectChoice, SelectField

from portal.accounts.forms import ActionForm
from portal.db import db_session
from portal.forms import LineField, required, too_long
from portal.matching import synonyms
from portal.matching.models import SkillSynonym
from portal.permissions import coordinator_required
from portal.views import commit_or_show

bp = Blueprint("matching", __name__, url_prefix="/matching")


class SynonymForm(FlaskForm):
    concept = SelectField(_l("Skill or major"), choices=[])
    alias = LineField(_l("Another word for it"), validators=[required(), too_long(50)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.concept.choices = [SelectChoice(value, label)
                                for value, label in synonyms.concept_choices()]


@bp.route("/synonyms", methods=["GET", "POST"])
@coordinator_required
def synonym_list() -> Response | str:
    form = SynonymForm()
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: synonyms.add_synonym(
            db_session, form.concept.data, form.alias.data, current_user))
        if outcome.ok:
            flash(_("“%(alias)s” now counts as %(concept)s in every match.",
                    alias=outcome.value.alias,
                    concept=synonyms.concept_label(outcome.value.concept_id)), "success")
            return redirect(url_for(".synonym_list"))
    return render_template("matching/synonyms.html", form=form,
                           synonyms=synonyms.all_synonyms(db_session),
                           label=synonyms.concept_label)


@bp.route("/synonyms/<int:synonym_id>/delete", methods=["POST"])
@coordinator_required
def delete_synonym(synonym_id: int) -> Response:
    synonym = db_session.get(SkillSynonym, synonym_id) or abort(404)
    form = ActionForm()
    if form.validate_on_submit() and commit_or_show(
            form, lambda: synonyms.delete_synonym(db_session, synonym, current_user)).ok:
        flash(_("Synonym removed."), "success")
    return redirect(url_for(".synonym_list"))
