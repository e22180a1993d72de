"""统一社会信用代码 (GB 32100-2015) and 学校标识码 checks."""
import pytest

from portal.accounts.codes import (
    credit_code_check_char,
    credit_code_problem,
    is_valid_credit_code,
    is_valid_school_code,
    normalise_code,
)

# Published codes of real organisations and the standard's own example.
REAL_CODES = [
    "91350100M000100Y43",  # example in GB 32100-2015
    "91440300708461136T",  # an enterprise in Shenzhen
    "91110108551385082Q",  # an enterprise in Beijing
    "12100000400000624D",  # a public institution (type 12), as universities have
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert is_valid_credit_code(code)
    assert credit_code_check_char(code[:17]) == code[17]


@pytest.mark.parametrize("raw", [
    "９１４４０３００７０８４６１１３６Ｔ",  # full-width, as typed with a Chinese IME
    "91440300 7084 6113 6T",
    "91440300-708461136t",
])
def test_codes_are_normalised_before_checking(raw):
    assert normalise_code(raw) == "91440300708461136T"
    assert is_valid_credit_code(raw)


@pytest.mark.parametrize("code, problem", [
    ("91440300708461136", "length"),
    ("91440300708461136TT", "length"),
    ("91440300708461136I", "characters"),  # I is not in the alphabet
    ("9144O300708461136T", "characters"),
    ("91ABCDEF708461136T", "division"),
    ("91440300708461136U", "check"),  # one character off
    ("91440300708461163T", "check"),  # two digits swapped
])
def test_bad_codes_name_their_problem(code, problem):
    assert credit_code_problem(code) == problem
    assert not is_valid_credit_code(code)


def test_every_single_character_typo_is_caught():
    code = "91440300708461136T"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(17):
        for char in alphabet:
            if char != code[position]:
                typo = code[:position] + char + code[position + 1:]
                assert not is_valid_credit_code(typo), typo


@pytest.mark.parametrize("code, valid", [
    ("4111010001", True), ("４１１１０１０００１", True), ("411101000", False),
    ("41110100011", False), ("41110100A1", False), ("", False),
])
def test_school_codes(code, valid):
    assert is_valid_school_code(code) is valid
