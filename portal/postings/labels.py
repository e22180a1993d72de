"""What the diagnosis findings and history actions say to people."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.postings.diagnosis import RECRUITING_KINDS

DIAGNOSIS_MESSAGES = {
    "age_limit": _l("Age limit: age requirements unrelated to the job are discriminatory "
                    "(e.g. “35岁以下”). Describe the experience needed instead."),
    "gender": _l("Gender requirement: the Employment Promotion Law forbids gender conditions "
                 "unless the work is legally restricted."),
    "hukou": _l("Household registration (户籍) requirement: do not restrict applicants by "
                "hukou."),
    "marital_status": _l("Marital or childbearing status: such conditions are unlawful "
                         "discrimination against women."),
    "ethnicity": _l("Ethnicity: hiring may not be restricted by ethnic group."),
    "health_status": _l("Hepatitis B or other carrier status: testing or excluding carriers "
                        "is forbidden."),
    "appearance": _l("Appearance or height: only ask for this where the job truly needs it."),
    "no_skills": _l("No skills listed: matching works best with concrete skills."),
    "short_description": _l("Very short description: say what the work or programme involves."),
    "no_headcount": _l("No headcount given."),
    "hires_exceed_cohort": _l("More hires committed than places in the cohort."),
    "no_hiring_commitment": _l("No hiring commitment: order-based training usually promises "
                               "to hire graduates."),
    "salary_inverted": _l("The lower salary is above the upper one."),
    "salary_below_minimum": _l("The salary is below the city's monthly minimum wage."),
    "salary_implausible": _l("The salary looks implausibly high: check for a typing error."),
    "no_budget": _l("No budget given for the research topic."),
    "dates_inverted": _l("The end date is before the start date."),
}

DISCRIMINATION_CODES = frozenset({"age_limit", "gender", "hukou", "marital_status",
                                  "ethnicity", "health_status", "appearance"})
# The discriminatory findings in a word each (for tables that count them).
DISCRIMINATION_NAMES = {
    "age_limit": _l("Age"), "gender": _l("Gender"), "hukou": _l("Household registration"),
    "marital_status": _l("Marital status"), "ethnicity": _l("Ethnicity"),
    "health_status": _l("Health"), "appearance": _l("Appearance"),
}

HISTORY_ACTIONS = {
    "created": _l("Created"),
    "edited": _l("Edited"),
    "published": _l("Published"),
    "closed": _l("Closed"),
    "expired": _l("Expired"),
    "imported": _l("Imported"),
}


def diagnosis_title(kind: str) -> str:
    """The diagnosis box's title: 招聘诊断 where the posting recruits, else a plain check."""
    return str(_l("Recruitment diagnosis") if kind in RECRUITING_KINDS else
               _l("Posting check"))
