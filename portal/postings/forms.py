"""One form per posting kind, over a shared base; numbers accept full-width digits."""
from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, IntegerField, SelectChoice, SelectField, SelectMultipleField
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from portal.checks import checked_list
from portal.errors import DomainError
from portal.forms import LineField, NumberField, TextField, required, too_long
from portal.postings.models import EducationLevel, Posting, PostingKind
from portal.text import split_list

DETAIL_MAX = Posting.DETAIL_TEXT_MAX


def limit(name: str) -> Length:
    """The length a posting's text `name` may have (the one limit, on the model)."""
    return too_long(Posting.TEXT_LIMITS[name])



class DayField(DateField):
    """A date (YYYY-MM-DD), full-width digits accepted."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators=[Optional()], format="%Y-%m-%d", **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not unicodedata.normalize("NFKC", valuelist[0]).strip():
            self.data = None
            return
        try:
            super().process_formdata([unicodedata.normalize("NFKC", valuelist[0]).strip()])
        except ValueError:
            raise ValueError(_l("Please enter a date as YYYY-MM-DD.")) from None


# Skill fields become tag inputs with suggestions where the script runs (static/js).
TAGS = {"data-tags": "skills"}


class ListField(TextField):
    """Items separated by 、 ； , or new lines; stored as a list."""

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        # Only text within its length is split: work stays bounded by the limit.
        if not validation_stopped and self.data and not self.errors:
            try:
                checked_list(split_list(self.data), self.name)
            except DomainError as error:
                self.errors.append(str(error.message))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _education_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Not specified")),
            *(SelectChoice(level.value, level.label) for level in EducationLevel)]


CONTRIBUTIONS = [
    SelectChoice("practical_training", _l("Practical training places")),
    SelectChoice("equipment", _l("Equipment")),
    SelectChoice("mentors", _l("Enterprise mentors")),
    SelectChoice("funding", _l("Funding / scholarships")),
]
MENTOR_OFFERS = [
    SelectChoice("theory", _l("Theory guidance")),
    SelectChoice("joint_rd", _l("Joint R&D")),
    SelectChoice("host_mentors", _l("Host enterprise mentors on campus")),
]
IP_ARRANGEMENTS = [
    SelectChoice("", _l("To be negotiated")),
    SelectChoice("enterprise", _l("Owned by the enterprise")),
    SelectChoice("university", _l("Owned by the university, licensed to the enterprise")),
    SelectChoice("joint", _l("Jointly owned")),
]


class PostingForm(FlaskForm):
    """Fields every posting has. Subclasses add their own and relabel the shared ones."""

    # Fields stored in the posting's `details` dict rather than in columns.
    DETAIL_FIELDS: tuple[str, ...] = ()
    # The order fields appear in on the page.
    LAYOUT: tuple[str, ...] = ("title", "description", "skills", "major", "district", "deadline")

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    title = LineField(_l("Title"), validators=[required(), limit("title")])
    description = TextField(_l("Description"), validators=[required(), limit("description")])
    skills = ListField(_l("Skills"), validators=[limit("skills")], render_kw=TAGS,
                       description=_l("Separate with 、 ； or new lines, e.g. PLC编程、电气制图"))
    major = LineField(_l("Major"), validators=[limit("major")])
    district = LineField(_l("District"), validators=[limit("district")])
    deadline = DayField(_l("Open until (optional)"))

    def validate_deadline(self, field: DayField) -> None:
        if field.data and field.data < date.today():
            raise ValidationError(_l("The deadline cannot be in the past."))

    def to_fields(self) -> dict[str, Any]:
        """The form as service input: column values plus the `details` dict."""
        fields: dict[str, Any] = {}
        for name, form_field in self._fields.items():
            if name in ("csrf_token", "version") or name in self.DETAIL_FIELDS:
                continue
            fields[name] = form_field.data
        if "education" in fields:
            fields["education"] = EducationLevel(fields["education"]) if fields["education"] \
                else None
        fields["details"] = {name: self._fields[name].data for name in self.DETAIL_FIELDS}
        return fields

    def fill_from(self, posting: Posting) -> None:
        for name, form_field in self._fields.items():
            if name == "csrf_token":
                continue
            if name in self.DETAIL_FIELDS:
                form_field.data = (posting.details or {}).get(name)
            elif name in ("skills", "courses"):
                form_field.data = "、".join(getattr(posting, name) or [])
            elif name == "education":
                form_field.data = posting.education.value if posting.education else ""
            else:
                form_field.data = getattr(posting, name)


class DateRangeMixin:
    def validate_end_date(self, field: DayField) -> None:
        start = self.start_date.data  # type: ignore[attr-defined]
        if start and field.data and field.data < start:
            raise ValidationError(_l("The end date cannot be before the start date."))


class TalentDemandForm(PostingForm):
    title = LineField(_l("Position"), validators=[required(), limit("title")])
    description = TextField(_l("Duties and requirements"),
                            validators=[required(), limit("description")])
    major = LineField(_l("Preferred majors"), validators=[limit("major")])
    education = SelectField(_l("Education level"), choices=_education_choices(), default="")
    headcount = NumberField(_l("Headcount"), minimum=1, maximum=10_000, required_=True)
    salary_min = NumberField(_l("Monthly salary from (yuan, optional)"), maximum=1_000_000)
    salary_max = NumberField(_l("Monthly salary to (yuan, optional)"), maximum=1_000_000)
    start_date = DayField(_l("Start date (optional)"))

    LAYOUT = ("title", "description", "skills", "major", "education", "headcount",
              "salary_min", "salary_max", "start_date", "district", "deadline")

    def validate_salary_max(self, field: NumberField) -> None:
        if field.data is not None and self.salary_min.data is not None \
                and self.salary_min.data > field.data:
            raise ValidationError(_l("The upper salary cannot be below the lower one."))


class TrainingOrderForm(PostingForm):
    DETAIL_FIELDS = ("start_term", "contributions", "contribution_notes", "hiring_terms")

    title = LineField(_l("Name of the training class"), validators=[required(), limit("title")])
    description = TextField(_l("What the class should learn"),
                            validators=[required(), limit("description")])
    major = LineField(_l("Target major"), validators=[required(), limit("major")])
    education = SelectField(_l("Education level"), choices=_education_choices(), default="")
    headcount = NumberField(_l("Cohort size"), minimum=1, maximum=10_000, required_=True)
    duration_months = NumberField(_l("Training period (months)"), maximum=120)
    start_term = LineField(_l("Start term, e.g. 2027 autumn"), validators=[too_long(50)])
    contributions = MultiCheckboxField(_l("What the enterprise contributes"),
                                       choices=CONTRIBUTIONS)
    contribution_notes = TextField(_l("Details of the contribution"),
                                   validators=[too_long(DETAIL_MAX)])
    hire_count = NumberField(_l("Graduates the enterprise commits to hire"), maximum=10_000)
    hiring_terms = TextField(_l("Hiring terms (position, salary, retention)"),
                             validators=[too_long(DETAIL_MAX)])

    LAYOUT = ("title", "major", "description", "skills", "education", "headcount",
              "duration_months", "start_term", "contributions", "contribution_notes",
              "hire_count", "hiring_terms", "district", "deadline")


class ResearchTopicForm(DateRangeMixin, PostingForm):
    DETAIL_FIELDS = ("goals", "ip_arrangement", "ip_notes")

    title = LineField(_l("Topic"), validators=[required(), limit("title")])
    description = TextField(_l("Background"), validators=[required(), limit("description")])
    goals = TextField(_l("Goals and measurable indicators"),
                      validators=[required(), too_long(DETAIL_MAX)])
    skills = ListField(_l("Expertise required"), validators=[limit("skills")], render_kw=TAGS,
                       description=_l("Separate with 、 ； or new lines"))
    major = LineField(_l("Discipline"), validators=[limit("major")])
    budget = NumberField(_l("Budget (yuan)"), maximum=1_000_000_000)
    duration_months = NumberField(_l("Duration (months)"), maximum=120)
    start_date = DayField(_l("Start date (optional)"))
    end_date = DayField(_l("End date (optional)"))
    ip_arrangement = SelectField(_l("Intellectual property"), choices=IP_ARRANGEMENTS,
                                 default="")
    ip_notes = TextField(_l("IP and confidentiality notes"), validators=[too_long(DETAIL_MAX)])

    LAYOUT = ("title", "description", "goals", "skills", "major", "budget", "duration_months",
              "start_date", "end_date", "ip_arrangement", "ip_notes", "district", "deadline")


class CurriculumForm(PostingForm):
    DETAIL_FIELDS = ("facilities",)

    title = LineField(_l("Programme name"), validators=[required(), limit("title")])
    description = TextField(_l("Programme description"),
                            validators=[required(), limit("description")])
    major = LineField(_l("Major (as in the official catalogue)"),
                      validators=[required(), limit("major")])
    education = SelectField(_l("Level"), choices=_education_choices(), default="")
    courses = ListField(_l("Courses"), validators=[limit("courses")],
                        description=_l("Separate with 、 ； or new lines"))
    skills = ListField(_l("Skills taught"), validators=[limit("skills")], render_kw=TAGS,
                       description=_l("Separate with 、 ； or new lines"))
    capacity = NumberField(_l("Graduates a year"), maximum=100_000)
    facilities = TextField(_l("Practical-training facilities"), validators=[too_long(DETAIL_MAX)])

    LAYOUT = ("title", "major", "education", "description", "courses", "skills", "capacity",
              "facilities", "district", "deadline")


class MentorOfferForm(PostingForm):
    DETAIL_FIELDS = ("offers", "availability")

    title = LineField(_l("Team or mentor"), validators=[required(), limit("title")])
    description = TextField(_l("Expertise"), validators=[required(), limit("description")])
    skills = ListField(_l("Fields of expertise"), validators=[limit("skills")], render_kw=TAGS,
                       description=_l("Separate with 、 ； or new lines"))
    major = LineField(_l("Discipline"), validators=[limit("major")])
    offers = MultiCheckboxField(_l("What the team offers"), choices=MENTOR_OFFERS)
    capacity = NumberField(_l("Mentors available"), maximum=10_000)
    availability = TextField(_l("Availability"), validators=[too_long()])

    LAYOUT = ("title", "description", "skills", "major", "offers", "capacity", "availability",
              "district", "deadline")


FORMS: dict[PostingKind, type[PostingForm]] = {
    PostingKind.TALENT_DEMAND: TalentDemandForm,
    PostingKind.TRAINING_ORDER: TrainingOrderForm,
    PostingKind.RESEARCH_TOPIC: ResearchTopicForm,
    PostingKind.CURRICULUM: CurriculumForm,
    PostingKind.MENTOR_OFFER: MentorOfferForm,
}

SORT_CHOICES = [
    SelectChoice("newest", _l("Newest")),
    SelectChoice("deadline", _l("Closing soonest")),
    SelectChoice("headcount", _l("Most people")),
    SelectChoice("title", _l("Title")),
]


class ImportForm(FlaskForm):
    file = FileField(_l("File (portal-import/1 JSON, CSV or Excel)"), validators=[
        FileRequired(message=_l("Please choose a file.")),
        FileAllowed(["json", "csv", "xlsx"], message=_l("Please upload a .json, .csv or "
                                                         ".xlsx file.")),
    ])
