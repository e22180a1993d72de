"""The matching pages' forms: a member's "not a fit", a coordinator's synonym."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from portal.checks import SHORT_MAX
from portal.forms import LineField, required, too_long
from portal.matching import synonyms


class SynonymForm(FlaskForm):
    concept = SelectField(_l("Skill or major"), choices=[])
    alias = LineField(_l("Another word for it"),
                      validators=[required(), too_long(synonyms.MAX_ALIAS_LENGTH)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.concept.choices = [SelectChoice(value, label)
                                for value, label in synonyms.concept_choices()]


class DismissForm(FlaskForm):
    reason = LineField(_l("Why does it not fit?"), validators=[required(), too_long(SHORT_MAX)])
