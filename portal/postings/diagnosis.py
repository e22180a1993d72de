"""Posting diagnosis: pure checks for discriminatory, vague or inconsistent postings.

The Employment Promotion Law (就业促进法) and related rules forbid or discourage hiring
conditions on gender, ethnicity, household registration (户籍), marital or childbearing
status, age limits unrelated to the job, and hepatitis B carrier status. The diagnosis
advises the author and coordinators; it never blocks publication.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

DISCRIMINATION = "discrimination"
VAGUE = "vague"
NUMBERS = "numbers"

# Shanghai's monthly minimum wage (2023-07 onwards); a posting offering less is suspect.
MINIMUM_MONTHLY_WAGE = 2690
IMPLAUSIBLE_MONTHLY_SALARY = 300_000
MIN_DESCRIPTION_LENGTH = 30
EXCERPT_CONTEXT = 8

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("age_limit", re.compile(
        r"\d{2}\s*周?岁\s*(以下|以内|以上|之间|左右)|\d{2}\s*[-~～至到]\s*\d{2}\s*周?岁"
        r"|年龄\s*(要求|限制|在|不超过|不大于|小于|低于)?\s*[:：]?\s*\d{2}"
        r"|(under|below|over|younger than|not older than)\s+(the\s+age\s+of\s+)?\d{2}\b"
        r"|\baged?\s+\d{2}\s*(-|to)\s*\d{2}\b|\bage\s+limit", re.I)),
    ("gender", re.compile(
        r"(仅|只)?限(男|女)|只招(男|女)|(男|女)(性|士|生)?(优先|即可|为主)|性别\s*[:：]?\s*(男|女)"
        r"|\b(male|female|men|women)\s+(only|preferred)\b|\b(only|prefer(red)?)\s+(male|female)",
        re.I)),
    # A requirement, not the benefit of help with settling (可解决户口, 落户指标).
    ("hukou", re.compile(
        r"(本地|本市|上海|城镇|农村|非农)(户口|户籍)(?!\s*(指标|办理|落户))|(户籍|户口)\s*(要求|限制)"
        r"|沪籍|本地人|本市生源|\bhukou\b|local (residents?|household registration) only",
        re.I)),
    # 生育保险 (maternity insurance) is a standard benefit, not a condition.
    ("marital_status", re.compile(
        r"已婚|未婚|已育|未育|婚育|生育(?!保险)|怀孕|孕期|单身"
        r"|\b(married|unmarried|single|pregnan\w*|childbearing|no children)\b", re.I)),
    ("ethnicity", re.compile(r"汉族|少数民族|民族\s*[:：]|\bethnic(ity)?\b", re.I)),
    ("health_status", re.compile(r"乙肝|携带者|\bhepatitis\b", re.I)),
    ("appearance", re.compile(r"身高\s*\d|相貌|长相|颜值|五官端正|形象气质佳", re.I)),
]


@dataclass(frozen=True)
class Finding:
    code: str
    category: str
    excerpt: str = ""


def _excerpt(text: str, match: re.Match[str]) -> str:
    start = max(0, match.start() - EXCERPT_CONTEXT)
    end = min(len(text), match.end() + EXCERPT_CONTEXT)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def _as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# Recruitment (招聘) is what enterprises' talent demands and training orders do; the same
# checks on other postings are a plain check of the posting.
RECRUITING_KINDS = {"talent_demand", "training_order"}



def diagnose(kind: str, fields: dict[str, Any]) -> list[Finding]:
    """Findings for a posting of `kind` (a PostingKind value) given its field values."""
    text = unicodedata.normalize("NFKC", " ".join(
        str(fields.get(name) or "") for name in ("title", "description", "major")
    ) + " " + " ".join(str(v) for v in (fields.get("details") or {}).values()
                       if isinstance(v, str)) + " " + " ".join(fields.get("skills") or []))
    findings = []
    for code, pattern in _RULES:
        match = pattern.search(text)
        if match:
            findings.append(Finding(code, DISCRIMINATION, _excerpt(text, match)))

    if not fields.get("skills"):
        findings.append(Finding("no_skills", VAGUE))
    description = str(fields.get("description") or "").strip()
    if len(description) < MIN_DESCRIPTION_LENGTH:
        findings.append(Finding("short_description", VAGUE))

    findings.extend(_number_findings(kind, fields))
    return findings


def _number_findings(kind: str, fields: dict[str, Any]) -> list[Finding]:
    findings = []
    headcount, hires = _as_int(fields.get("headcount")), _as_int(fields.get("hire_count"))
    low, high = _as_int(fields.get("salary_min")), _as_int(fields.get("salary_max"))
    if kind in ("talent_demand", "training_order") and not headcount:
        findings.append(Finding("no_headcount", NUMBERS))
    if kind == "training_order" and headcount and hires is not None and hires > headcount:
        findings.append(Finding("hires_exceed_cohort", NUMBERS))
    if kind == "training_order" and headcount and not hires:
        findings.append(Finding("no_hiring_commitment", NUMBERS))
    if low is not None and high is not None and low > high:
        findings.append(Finding("salary_inverted", NUMBERS))
    if low is not None and 0 < low < MINIMUM_MONTHLY_WAGE:
        findings.append(Finding("salary_below_minimum", NUMBERS))
    if high is not None and high > IMPLAUSIBLE_MONTHLY_SALARY:
        findings.append(Finding("salary_implausible", NUMBERS))
    if kind == "research_topic" and not _as_int(fields.get("budget")):
        findings.append(Finding("no_budget", NUMBERS))
    start, end = fields.get("start_date"), fields.get("end_date")
    if start and end and start > end:
        findings.append(Finding("dates_inverted", NUMBERS))
    return findings
