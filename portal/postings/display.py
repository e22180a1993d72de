"""A posting's fields as labelled rows for its page, with the labels of its kind's form."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from portal.postings.forms import FORMS, PostingForm
from portal.postings.models import Posting, PostingKind

# Shown separately at the top of the page.
HEADLINE_FIELDS = {"title", "description", "skills", "courses"}
# A form's label may instruct the author ("…, e.g. 2027 autumn", "(optional)"); a page
# and its history name the field plainly.
DISPLAY_LABELS = {
    "deadline": _l("Open until"),
    "salary_min": _l("Monthly salary from (yuan)"),
    "salary_max": _l("Monthly salary to (yuan)"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "start_term": _l("Start term"),
}


def label(form: PostingForm, name: str) -> str:
    return str(DISPLAY_LABELS.get(name) or form[name].label.text)


@dataclass
class Row:
    label: str
    value: Any  # str, int, date or list of str
    is_text: bool = False  # free text: keep its line breaks


def _choice_labels(form_field: Any) -> dict[str, str]:
    return {str(choice.value): str(choice.label) for choice in form_field.choices}


def rows(posting: Posting) -> list[Row]:
    form: PostingForm = FORMS[posting.kind](formdata=None, meta={"csrf": False})
    result = []
    for name in form.LAYOUT:
        if name in HEADLINE_FIELDS:
            continue
        form_field = form[name]
        value = ((posting.details or {}).get(name) if name in form.DETAIL_FIELDS
                 else getattr(posting, name))
        if value in (None, "", []):
            continue
        if hasattr(value, "label"):
            value = str(value.label)
        elif getattr(form_field, "choices", None) is not None:
            labels = _choice_labels(form_field)
            value = ([labels.get(v, v) for v in value] if isinstance(value, list)
                     else labels.get(str(value), value))
        if isinstance(value, int) and not isinstance(value, bool):
            value = f"{value:,}"
        if isinstance(value, date):
            value = value.isoformat()
        result.append(Row(label(form, name), value,
                          is_text=form_field.type == "TextField"))
    return result


# By (kind, locale): building a form only to read its labels was a tenth of a page view.
_field_labels: dict[tuple[PostingKind, str], dict[str, str]] = {}


def field_labels(posting: Posting) -> dict[str, str]:
    """Field name → label in the posting's form, for naming changed fields in its history."""
    key = (posting.kind, str(get_locale()))
    if key not in _field_labels:
        form: PostingForm = FORMS[posting.kind](formdata=None, meta={"csrf": False})
        _field_labels[key] = {name: label(form, name) for name in form.LAYOUT}
    return _field_labels[key]
