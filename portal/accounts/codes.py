"""Pure checks for Chinese organisation identifiers (no Flask, no database)."""
from __future__ import annotations

import re
import unicodedata

# GB 32100-2015: 18 characters from this 31-character alphabet (no I, O, S, V, Z).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_LENGTH = 18
SCHOOL_CODE_PATTERN = re.compile(r"\d{10}")


def normalise_code(raw: str) -> str:
    """Full-width to half-width, drop spaces and dashes people type, upper-case."""
    text = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"[\s\-]", "", text).upper()


def credit_code_check_char(first17: str) -> str:
    """The 18th character for the first 17 (raises ValueError on characters outside the set)."""
    if len(first17) != CREDIT_CODE_LENGTH - 1:
        raise ValueError("need 17 characters")
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """None if `code` (already normalised) is a valid credit code, else a short reason key."""
    if len(code) != CREDIT_CODE_LENGTH:
        return "length"
    if any(char not in CREDIT_CODE_ALPHABET for char in code):
        return "characters"
    if not code[2:8].isdigit():
        return "division"
    if credit_code_check_char(code[:17]) != code[17]:
        return "check"
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_problem(normalise_code(code)) is None


def is_valid_school_code(code: str) -> bool:
    """学校标识码: ten digits, issued by the Ministry of Education."""
    return bool(SCHOOL_CODE_PATTERN.fullmatch(normalise_code(code)))
