"""What each kind of cooperation agrees on: its term fields, and checking them. Unknown
keys are dropped, so a form cannot slip in fields the terms do not have."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
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
    kind: str = "text"  # text, number (whole, not negative), date (ISO) or list
    required: bool = True


def _f(name: str, label: Any, kind: str = "text", required: bool = True) -> TermField:
    return TermField(name, label, kind, required)


# What every agreement states besides its kind's terms: a fixed term, where it is
# signed, and whatever else the parties add (printed as 补充条款, versioned like the rest).
COMMON_TERMS = (
    _f("start_date", _l("Cooperation starts on"), "date"),
    _f("end_date", _l("Cooperation ends on"), "date"),
    _f("signing_place", _l("Place of signing")),
    _f("supplementary", _l("Supplementary terms"), required=False),
)

KIND_TERMS: dict[K, tuple[TermField, ...]] = {
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
TERMS: dict[K, tuple[TermField, ...]] = {
    kind: (*fields, *COMMON_TERMS) for kind, fields in KIND_TERMS.items()}
# Dates as people type them: 2027-09-01, 2027/9/1, 2027.9.1, 2027年9月1日.
DATE_PARTS = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


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


def _date(field: TermField, raw: Any) -> str | None:
    """An ISO date (kept as text, the terms being JSON), or None when left blank."""
    text = unicodedata.normalize("NFKC", str(raw or ""))[:40].strip()
    if not text:
        return None
    parts = DATE_PARTS.fullmatch(text)
    try:
        return date(*(int(part) for part in parts.groups())).isoformat() if parts else \
            date.fromisoformat(text).isoformat()
    except ValueError:
        raise DomainError(_l("%(field)s: please enter a date such as 2027-09-01.",
                             field=field.label), field=field.name) from None


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
        elif field.kind == "date":
            cleaned[field.name] = _date(field, value)
        elif field.kind == "list":
            cleaned[field.name] = [_text(field, item) for item in split_list(
                value if isinstance(value, list) else str(value or ""))]
        else:
            cleaned[field.name] = _text(field, value)
        if field.required and cleaned[field.name] in (None, "", []):
            raise DomainError(_l("%(field)s: this is needed for the agreement.",
                                 field=field.label), field=field.name)
    if cleaned["end_date"] < cleaned["start_date"]:  # ISO dates sort as text
        raise DomainError(_l("The cooperation must end after it starts."), field="end_date")
    return cleaned


def changed_terms(old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Field → (before, after) for what a new version changes."""
    return {name: (old.get(name), value) for name, value in new.items()
            if old.get(name) != value}
