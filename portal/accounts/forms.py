"""Forms for sign-in, registration, organisation details, invitations and review."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from portal.accounts.codes import credit_code_problem, is_valid_school_code, normalise_code
from portal.accounts.models import EnterpriseSize, Organization, OrgKind, UniversityLevel
from portal.accounts.passwords import password_problem
from portal.accounts.services import OrganizationDetails
from portal.forms import LineField, TextField, required, too_long

CREDIT_CODE_PROBLEMS = {
    "length": _l("A unified social credit code has exactly 18 characters."),
    "characters": _l("A unified social credit code uses digits and capital letters except "
                     "I, O, S, V and Z."),
    "division": _l("Characters 3 to 8 of the credit code are the administrative division "
                   "code and must be digits."),
    "check": _l("The last character of the credit code does not match: please check the "
                "code for a typing error."),
}


def _email_field(label: object) -> LineField:
    return LineField(label, validators=[
        required(), too_long(254),
        Email(message=_l("Please enter a valid e-mail address."), granular_message=False),
    ])


class NewPasswordMixin:
    """Password twice, with the length rule read from the configuration."""

    password = PasswordField(_l("Password"), validators=[required()])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        required(), EqualTo("password", message=_l("The two passwords do not match.")),
    ])

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", self.personal_details())
        if problem is not None:
            raise ValidationError(problem)

    def personal_details(self) -> list[str]:
        """What the password must not lean on: whatever of it this form asks for."""
        names = ("email", "user_name", "name", "credit_code", "school_code")
        return [str(getattr(self, name).data or "") for name in names if hasattr(self, name)]


class PersonMixin:
    user_name = LineField(_l("Your name"), validators=[required(), too_long(100)])
    phone = LineField(_l("Phone (optional)"), validators=[Optional(), too_long(30)])


class LoginForm(FlaskForm):
    email = LineField(_l("E-mail"), validators=[required(), too_long(254)])
    password = PasswordField(_l("Password"), validators=[required(), Length(max=128)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


DESCRIPTION_MAX = 2000  # what an organisation says about itself


def _choices(enum_cls: type) -> list[SelectChoice]:
    return [SelectChoice(member.value, member.label) for member in enum_cls]


class OrganizationMixin:
    """Fields every organisation has, and their conversion to service input."""

    name = LineField(_l("Full registered name"), validators=[required(), too_long(200)])
    district = LineField(_l("District"), validators=[required(), too_long(50)])
    industry = LineField(_l("Industry or field"), validators=[Optional(), too_long(100)])
    address = LineField(_l("Address"), validators=[Optional(), too_long(300)])
    representative = LineField(_l("Legal representative"), validators=[Optional(), too_long(100)])
    contact_phone = LineField(_l("Office phone"), validators=[Optional(), too_long(30)])
    description = TextField(_l("About the organisation"),
                            validators=[Optional(), too_long(DESCRIPTION_MAX)])

    def organization_details(self, kind: OrgKind,
                             current: Organization | None = None) -> OrganizationDetails:
        """The form as service input. Fields removed from the form (the identity of a
        verified organisation) keep the values of `current`."""
        data = self.data  # type: ignore[attr-defined]

        def value(name: str) -> Any:
            return data[name] if name in data else getattr(current, name, None)

        size, level = value("size"), value("level")
        return OrganizationDetails(
            kind=kind,
            name=value("name") or "",
            credit_code=value("credit_code"),
            school_code=value("school_code"),
            district=value("district") or "",
            industry=value("industry") or "",
            size=EnterpriseSize(size) if size else None,
            level=UniversityLevel(level) if level else None,
            address=value("address") or "",
            representative=value("representative") or "",
            contact_phone=value("contact_phone") or "",
            description=value("description") or "",
        )


class CreditCodeMixin:
    def validate_credit_code(self, field: LineField) -> None:
        if not field.data:
            return
        problem = credit_code_problem(normalise_code(field.data))
        if problem:
            raise ValidationError(CREDIT_CODE_PROBLEMS[problem])


class EnterpriseForm(CreditCodeMixin, OrganizationMixin, FlaskForm):
    credit_code = LineField(_l("Unified social credit code (统一社会信用代码)"),
                            validators=[required(), too_long(40)])
    size = SelectField(_l("Size"), choices=_choices(EnterpriseSize),
                       validators=[InputRequired(message=_l("Please choose one."))])


class UniversityForm(CreditCodeMixin, OrganizationMixin, FlaskForm):
    school_code = LineField(_l("School code (学校标识码, optional)"),
                            validators=[Optional(), too_long(20)])
    credit_code = LineField(_l("Unified social credit code (optional)"),
                            validators=[Optional(), too_long(40)])
    level = SelectField(_l("Level"), choices=_choices(UniversityLevel),
                        validators=[InputRequired(message=_l("Please choose one."))])

    def validate_school_code(self, field: LineField) -> None:
        if field.data and not is_valid_school_code(field.data):
            raise ValidationError(_l("A school code has exactly 10 digits."))


class AccountMixin(PersonMixin, NewPasswordMixin):
    email = _email_field(_l("Your work e-mail"))
    agree = BooleanField(_l("I confirm that I am authorised to register this organisation."),
                         validators=[InputRequired(message=_l("Please confirm."))])


class EnterpriseRegistrationForm(AccountMixin, EnterpriseForm):
    licence = FileField(_l("Business licence (营业执照) scan"),
                        render_kw={"accept": "application/pdf,image/jpeg,image/png"})


class UniversityRegistrationForm(AccountMixin, UniversityForm):
    licence = FileField(_l("School licence (办学许可证) or legal-person certificate scan"),
                        render_kw={"accept": "application/pdf,image/jpeg,image/png"})


class LicenceForm(FlaskForm):
    """A replacement licence scan; its type and size are checked by accounts.licences."""

    file = FileField(_l("Scan (PDF, JPEG or PNG)"), validators=[
        FileRequired(message=_l("Please choose the scanned file."))],
        render_kw={"accept": "application/pdf,image/jpeg,image/png"})


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[required()])


class ForgotPasswordForm(FlaskForm):
    email = LineField(_l("E-mail"), validators=[required(), too_long(254)])


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    password = PasswordField(_l("New password"), validators=[required()])


class InviteForm(FlaskForm):
    email = _email_field(_l("Colleague's e-mail"))


class AcceptInvitationForm(PersonMixin, NewPasswordMixin, FlaskForm):
    pass


class ReviewForm(FlaskForm):
    """Verify or return an organisation; `version` guards against double decisions."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    decision = RadioField(_l("Decision"), choices=[
        SelectChoice("verify", _l("Verify: the organisation may publish")),
        SelectChoice("reject", _l("Return for correction")),
    ], validators=[InputRequired(message=_l("Please choose one."))])
    reason = TextField(_l("Reason shown to the applicant (required when returning)"),
                       validators=[too_long(1000)])

    def validate_reason(self, field: TextField) -> None:
        if self.decision.data == "reject" and not field.data:
            raise ValidationError(_l("Please give the reason so the applicant can correct it."))


class LogoForm(FlaskForm):
    """The logo image; its type and size are checked by accounts.logos."""

    file = FileField(_l("Logo (PNG or JPEG, up to 2 MB)"), validators=[
        FileRequired(message=_l("Please choose the logo image."))],
        render_kw={"accept": "image/png,image/jpeg"})
