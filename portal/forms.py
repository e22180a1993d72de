"""Shared form pieces: cleaned text fields and messages used across domains."""
from __future__ import annotations

import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, StopValidation
from wtforms.widgets import TextInput

from portal.checks import TEXT_MAX, too_long_message
from portal.text import clean_line, clean_multiline

REQUIRED = _l("This field is required.")


class ActionForm(FlaskForm):
    """An empty form: a CSRF-protected button."""


def too_long(limit: int = TEXT_MAX) -> Length:
    return Length(max=limit, message=too_long_message(limit))


class LineField(StringField):
    """A one-line text field whose value is cleaned of invisible characters and extra spaces."""

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        self.data = clean_line(self.data)


class TextField(TextAreaField):
    """A multi-line text field cleaned of invisible characters."""

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        self.data = clean_multiline(self.data)


def required() -> DataRequired:
    return DataRequired(message=REQUIRED)


def _normalise_number_text(raw: str) -> str:
    """１２０ → 120, "1,000" and "1 000" → 1000: what people type with a Chinese IME."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    return text.replace(",", "").replace(" ", "").replace("_", "")


class _NumberRequired:
    """Like DataRequired, but 0 is a number and a parse error is kept, not replaced."""

    field_flags = {"required": True}  # marked required on the page, like DataRequired

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is None:
            if field.process_errors:
                raise StopValidation()
            raise StopValidation(REQUIRED)


class _NumberOptional:
    def __call__(self, form: Any, field: Any) -> None:
        if field.data is None:
            raise StopValidation()


class NumberField(IntegerField):
    """A whole number field: full-width digits and separators accepted, bounds enforced."""

    def __init__(self, label: Any = None, *, maximum: int, minimum: int = 0,
                 required_: bool = False, **kwargs: Any) -> None:
        validators = [_NumberRequired() if required_ else _NumberOptional(),
                      NumberRange(min=minimum, max=maximum, message=_l(
                          "Please enter a whole number from %(min)s to %(max)s.",
                          min=minimum, max=f"{maximum:,}"))]
        # A text input: type=number refuses the full-width digits a Chinese IME types.
        # The bounds are shown under the field (the forms macro) and checked here.
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators=validators, widget=TextInput(), **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        text = _normalise_number_text(valuelist[0])
        if not text:
            self.data = None
            return
        try:
            self.data = int(text)
        except ValueError:
            self.data = None
            raise ValueError(_l("Please enter a whole number, without decimals or units.")) \
                from None
