"""What each kind of cooperation agrees on: its term fields, and checking them. Unknown
keys are dropped, so a form cannot slip in fields the terms do not have."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.checks import checked_text
from portal.cooperation.models import CooperationKind as K
from portal.errors import DomainError
from portal.text import split_list

NUMBER_MAX = 1_000_000_000


@dataclass(frozen=True)
class TermField:
    name: str
    label: Any
    kind: str = "text"  # text, number (whole, not negative) or list
    required: bool = True


def _f(name: str, label: Any, kind: str = "text", required: bool = True) -> TermField:
    return TermField(name, label, kind, required)


TERMS: dict[K, tuple[TermField, ...]] = {
    K.ORDER_TRAINING: (
        _f("cohort_size", _l("Cohort size"), "number"),
        _f("major", _l("Major")),
        _f("skills", _l("Skills taught"), "list"),
        _f("schedule", _l("Schedule (terms or semesters)")),
        _f("co_taught_courses", _l("Courses taught together"), "list", required=False),
        _f("training_place", _l("Place of practical training")),
        _f("cost_sharing", _l("Cost sharing")),
        _f("hires", _l("Graduates the enterprise will hire"), "number"),
        _f("hiring_conditions", _l("Hiring conditions"), required=False),
        _f("retention_months", _l("Retention period (months)"), "number"),
    ),
    K.TALENT_PIPELINE: (
        _f("positions", _l("Positions"), "list"),
        _f("headcount", _l("Headcount"), "number"),
        _f("period", _l("Period")),
        _f("allowance", _l("Allowance"), required=False),
        _f("supervision", _l("Supervision")),
    ),
    K.DUAL_MENTOR: (
        _f("enterprise_mentors", _l("Enterprise mentors (name, title, expertise)")),
        _f("faculty_mentors", _l("Faculty mentors")),
        _f("courses_or_projects", _l("Courses or projects"), "list"),
        _f("hours_per_term", _l("Teaching hours per term"), "number"),
        _f("hours_recording", _l("How hours are recorded")),
    ),
    K.JOINT_RESEARCH: (
        _f("topic", _l("Research topic")),
        _f("team", _l("Team")),
        _f("milestones", _l("Milestones")),
        _f("budget", _l("Budget (yuan)"), "number"),
        _f("payment_schedule", _l("Payment schedule")),
        _f("ip_ownership", _l("Ownership of intellectual property")),
        _f("confidentiality", _l("Confidentiality")),
    ),
}


def _number(field: TermField, raw: Any) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = int(str(raw).strip().replace(",", "").replace("，", ""))
    except ValueError:
        raise DomainError(_l("%(field)s: please enter a whole number.", field=field.label),
                          field=field.name) from None
    if not 0 <= value <= NUMBER_MAX:
        raise DomainError(_l("%(field)s: please enter a number from 0 to %(max)d.",
                             field=field.label, max=NUMBER_MAX), field=field.name)
    return value


def _text(field: TermField, raw: Any) -> str:
    return checked_text(str(raw or ""), field.name)


def clean_terms(kind: K, raw: dict[str, Any]) -> dict[str, Any]:
    """The terms of `kind` from `raw`, checked: numbers whole and not negative, lists split,
    required fields present. The first problem is raised with its field."""
    cleaned: dict[str, Any] = {}
    for field in TERMS[kind]:
        value = raw.get(field.name)
        if field.kind == "number":
            cleaned[field.name] = _number(field, value)
        elif field.kind == "list":
            cleaned[field.name] = [_text(field, item) for item in split_list(
                value if isinstance(value, list) else str(value or ""))]
        else:
            cleaned[field.name] = _text(field, value)
        if field.required and cleaned[field.name] in (None, "", []):
            raise DomainError(_l("%(field)s: this is needed for the agreement.",
                                 field=field.label), field=field.name)
    return cleaned


def changed_terms(old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Field → (before, after) for what a new version changes."""
    return {name: (old.get(name), value) for name, value in new.items()
            if old.get(name) != value}
