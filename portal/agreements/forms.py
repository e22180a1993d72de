"""Forms of the agreements pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import Field, StringField
from wtforms.validators import DataRequired, Length, ValidationError


class LookupForm(FlaskForm):
    """Looking a code up changes nothing: a plain GET form without a CSRF token."""

    class Meta:
        csrf = False

    code = StringField(_l("Verification code"), validators=[
        DataRequired(message=_l("Please enter the verification code printed on the agreement.")),
        Length(max=40, message=_l("A verification code has 12 letters and digits."))])


class CheckFileForm(FlaskForm):
    file = FileField(_l("The PDF you were given"), validators=[
        FileRequired(message=_l("Please choose the PDF file to check."))])

    def validate_file(self, field: Field) -> None:
        if not field.data.stream.read(1):
            raise ValidationError(_l("The file is empty."))
        field.data.stream.seek(0)


class ScanForm(FlaskForm):
    """The signed and sealed copy; its type and size are checked by the service."""

    file = FileField(_l("Signed and sealed copy (PDF, JPEG or PNG)"), validators=[
        FileRequired(message=_l("Please choose the scanned file."))])


class EnglishForm(FlaskForm):
    """A button: ask for the English copy."""
