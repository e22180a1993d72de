"""Coordinators' warnings: the rules, the warnings they fired, and the responses."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import FloatField, IntegerField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange

from portal.db import db_session, utcnow
from portal.forms import ActionForm, TextField, required, too_long
from portal.monitoring import warnings
from portal.monitoring.models import (
    Dimension,
    MonitoringWarning,
    RuleKind,
    WarningRule,
    WarningState,
)
from portal.monitoring.periods import PeriodKind, city_zone
from portal.monitoring.views import bp
from portal.permissions import coordinator_required
from portal.views import commit_or_show, enum_arg, submit_and_return, viewable_or_404

NUMBER = _l("Enter a number.")


class RuleForm(FlaskForm):
    kind = SelectField(_l("Warn when"), choices=[SelectChoice(k.value, k.label) for k in RuleKind])
    dimension = SelectField(_l("Counted by"),
                            choices=[SelectChoice(d.value, d.label) for d in Dimension])
    period_kind = SelectField(_l("Periods"), choices=[
        SelectChoice(k.value, k.label) for k in (PeriodKind.MONTH, PeriodKind.QUARTER)])
    threshold = FloatField(_l("Demand ÷ supply above"), default=2.0,
                           validators=[InputRequired(NUMBER)])
    span = IntegerField(_l("For how many periods (days, or months after completion)"),
                        default=2,
                        validators=[InputRequired(NUMBER),
                                    NumberRange(1, warnings.MAX_DAYS)])


class ResponseForm(FlaskForm):
    response = TextField(_l("What was done"),
                         validators=[required(), too_long(warnings.RESPONSE_MAX)])


def _list_url() -> str:
    return url_for("monitoring.warning_list")


def _list_page(state: WarningState | None, form: RuleForm) -> str:
    return render_template(
        "monitoring/warnings.html", state=state, states=list(WarningState),
        found=warnings.in_state(db_session, state), rules=warnings.rules(db_session),
        describe=warnings.describe, form=form, action_form=ActionForm())


@bp.route("/warnings")
@coordinator_required
def warning_list() -> str:
    return _list_page(enum_arg(request.args, "state", WarningState), RuleForm())


@bp.route("/warnings/rules", methods=["POST"])
@coordinator_required
def add_rule() -> Response | str:
    form = RuleForm()
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: warnings.create_rule(
            db_session, current_user, RuleKind(form.kind.data), threshold=form.threshold.data,
            span=form.span.data, dimension=Dimension(form.dimension.data),
            period_kind=PeriodKind(form.period_kind.data)))
        if outcome.ok:
            flash(_("The rule is kept; it is checked every morning, or now with “Check "
                    "now”."), "success")
            return redirect(_list_url())
    return _list_page(None, form)


@bp.route("/warnings/rules/<int:rule_id>/<any(pause, resume):action>", methods=["POST"])
@coordinator_required
def toggle_rule(rule_id: int, action: str) -> Response:
    rule = db_session.get(WarningRule, rule_id)
    if rule is None:
        return redirect(_list_url())
    return submit_and_return(
        ActionForm(), lambda: warnings.set_rule_active(db_session, rule, action == "resume"),
        _list_url(), done=_("The rule is paused.") if action == "pause"
        else _("The rule is checked again."))


@bp.route("/warnings/check", methods=["POST"])
@coordinator_required
def check_now() -> Response:
    return submit_and_return(
        ActionForm(), lambda: warnings.evaluate(db_session, utcnow(),
                                                city_zone(current_app.config)),
        _list_url(), done=lambda fired: _("Checked: %(count)d new warnings.",
                                          count=len(fired)))


@bp.route("/warnings/<int:warning_id>")
@coordinator_required
def warning(warning_id: int) -> str:
    found = viewable_or_404(MonitoringWarning, warning_id)
    return render_template(
        "monitoring/warning.html", warning=found, rule_text=warnings.describe(found.rule),
        candidates=warnings.candidates(db_session, found),
        followed={i.id: warnings.followed(db_session, i) for i in found.invitations},
        response_form=ResponseForm(), action_form=ActionForm())


@bp.route("/warnings/<int:warning_id>/<any(acknowledge, close):action>", methods=["POST"])
@coordinator_required
def warning_act(warning_id: int, action: str) -> Response:
    found = viewable_or_404(MonitoringWarning, warning_id)
    back = url_for(".warning", warning_id=found.id)
    return submit_and_return(ActionForm(), lambda: warnings.act(db_session, found, current_user,
                                                                action), back,
                             done=_("Saved."))


@bp.route("/warnings/<int:warning_id>/respond", methods=["POST"])
@coordinator_required
def respond(warning_id: int) -> Response:
    found = viewable_or_404(MonitoringWarning, warning_id)
    form = ResponseForm()
    return submit_and_return(
        form, lambda: warnings.respond(db_session, found, current_user, form.response.data),
        url_for(".warning", warning_id=found.id), done=_("The response is recorded."))


@bp.route("/warnings/<int:warning_id>/invite", methods=["POST"])
@coordinator_required
def invite(warning_id: int) -> Response:
    found = viewable_or_404(MonitoringWarning, warning_id)
    chosen = [int(v) for v in request.form.getlist("organization")[:100] if v.isdigit()
              and len(v) < 10]
    return submit_and_return(
        ActionForm(), lambda: warnings.invite(db_session, found, current_user, chosen),
        url_for(".warning", warning_id=found.id),
        done=lambda made: _("%(count)d universities invited.", count=len(made)))
