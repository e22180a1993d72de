"""Forms for proposing and answering: the terms form is built from the kind's fields."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from portal.checks import LINE_MAX
from portal.cooperation.models import CooperationKind
from portal.cooperation.terms import TERMS
from portal.forms import LineField, TextField, required, too_long


class TermsForm(FlaskForm):
    """Title (on a new proposal), the kind's terms and a note to the other side. Numbers
    are typed as text: the service explains what is wrong with them in words."""

    note = TextField(_l("Note to the other side"), validators=[too_long()])
    # The proposal version the form was filled in against: acting on a newer one is refused.
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])

    TERM_NAMES: tuple[str, ...] = ()


def terms_form(kind: CooperationKind, with_title: bool,
               data: dict[str, Any] | None = None) -> TermsForm:
    """The form for `kind`, filled with `data` (lists shown as 、-separated text)."""
    lists = {term.name for term in TERMS[kind] if term.kind == "list"}
    shown = {name: "、".join(value) if name in lists and isinstance(value, list) else value
             for name, value in (data or {}).items()}
    fields: dict[str, Any] = {}
    if with_title:
        fields["title"] = LineField(_l("Name of the cooperation"),
                                    validators=[required(), too_long(LINE_MAX)])
    for term in TERMS[kind]:
        label = term.label if term.required else _l("%(field)s (optional)", field=term.label)
        hint = HINTS.get(term.kind) or HINTS.get(term.name) or ""
        if term.kind == "date":
            fields[term.name] = LineField(label, description=hint, render_kw={"type": "date"})
        elif term.kind == "text" and term.name not in SHORT_TEXT:
            fields[term.name] = TextField(label, description=hint)
        else:
            fields[term.name] = LineField(label, description=hint)
    form_class = type("KindTermsForm", (TermsForm,), {
        **fields, "TERM_NAMES": tuple(term.name for term in TERMS[kind])})
    return form_class(data=shown)


# Text terms short enough for one line.
SHORT_TEXT = {"major", "period", "allowance", "training_place", "topic", "team",
              "signing_place"}
# Help under a field, by its kind or its name.
HINTS = {
    "list": _l("Separate items with 、 or ;"),
    "signing_place": _l("Where the parties sign, e.g. 上海市浦东新区."),
    "supplementary": _l("Anything else the parties agree; printed in the agreement as "
                        "supplementary terms."),
}


class CommentForm(FlaskForm):
    """An action button with an optional (or required, by the action) comment."""

    comment = TextField(_l("Reason or comment"), validators=[too_long()])
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class MessageForm(FlaskForm):
    body = TextField(_l("Message"), validators=[required(), too_long()])
