"""Shared form pieces: cleaned text fields and messages used across domains."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.text import clean_line, clean_multiline

REQUIRED = _l("This field is required.")


def too_long(limit: int) -> Length:
    return Length(max=limit, message=_l("Please keep this under %(max)d characters.", max=limit))


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
