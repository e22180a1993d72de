"""Forms of the agreements pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import Field, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from portal.agreements.certificates import HOURS_MAX
from portal.forms import LineField, NumberField, TextField, required, too_long


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
        FileRequired(message=_l("Please choose the scanned file."))],
        render_kw={"accept": "application/pdf,image/jpeg,image/png"})


class EnglishForm(FlaskForm):
    """A button: ask for the English copy."""


class CertificateForm(FlaskForm):
    """One enterprise mentor's teaching in one term, as the university records it."""

    mentor_name = LineField(_l("Enterprise mentor"), validators=[required(), too_long(100)])
    mentor_title = LineField(_l("Title or position (optional)"), validators=[too_long(100)])
    term = LineField(_l("Term"), validators=[required(), too_long(60)],
                     description=_l("For example: 2026–2027 学年第一学期"))
    courses = TextField(_l("Courses or projects taught"), validators=[required()],
                        description=_l("Separate items with 、 or ;"))
    hours = NumberField(_l("Teaching hours"), maximum=HOURS_MAX, required_=True)


class DecisionForm(FlaskForm):
    """A coordinator's countersignature, or a refusal with its reason."""

    comment = TextField(_l("Reason (when declining)"), validators=[too_long()])
