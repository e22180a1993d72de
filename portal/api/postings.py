"""Postings through the API: a JSON body runs through the posting's web form (the one
home of its field rules), and postings become documents."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import SelectMultipleField

from portal.api.problems import Problem
from portal.postings.forms import FORMS, PostingForm
from portal.postings.models import Posting, PostingKind

NOT_OF_KIND = _l("Not a field of this kind of posting.")


def _as_text(value: Any) -> list[str]:  # noqa: ANN401 - a JSON or form value
    if value is None:
        return [""]
    if isinstance(value, date):
        return [value.isoformat()]
    return [str(value)]


def _formdata(form: PostingForm, values: dict[str, Any]) -> MultiDict:
    data = MultiDict()
    for name, value in values.items():
        field = form._fields.get(name)
        if field is None:
            continue
        if isinstance(field, SelectMultipleField):
            for item in value or []:
                data.add(name, str(item))
        elif isinstance(value, list):  # a list field: one item a line
            data.add(name, "\n".join(str(item) for item in value))
        else:
            for text in _as_text(value):
                data.add(name, text)
    return data


def checked_fields(kind: PostingKind, values: dict[str, Any],
                   posting: Posting | None = None) -> dict[str, Any]:
    """Service input from a JSON body (over `posting`'s current values when changing
    it), checked by the kind's web form; its messages become field problems."""
    form_class = FORMS[kind]
    existing = form_class(formdata=None, meta={"csrf": False})
    unknown = sorted(set(values) - set(existing._fields))
    if unknown:
        raise Problem(422, errors=[{"pointer": f"/{name}", "detail": str(NOT_OF_KIND)}
                                   for name in unknown])
    current: dict[str, Any] = {}
    if posting is not None:
        existing.fill_from(posting)
        current = {name: field.data for name, field in existing._fields.items()
                   if name != "version"}
    form = form_class(formdata=_formdata(existing, {**current, **values}),
                      meta={"csrf": False})
    if not form.validate():
        raise Problem(422, errors=[{"pointer": f"/{name}", "detail": str(messages[0])}
                                   for name, messages in form.errors.items() if messages])
    return form.to_fields()
