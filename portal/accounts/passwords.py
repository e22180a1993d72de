"""What a password must be (one rule for forms, services and the CLI), and argon2id
hashing with costs taken from the configuration."""
from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

from portal.errors import DomainError

MAX_LENGTH = 128
# zxcvbn's scale: 0-1 fall to an online guessing attack in hours; 2 resists throttled
# online guessing, which sign-in throttling provides.
MIN_SCORE = 2
ESTIMATED_LENGTH = 72  # the estimator's own bound: its work stays small
COMMON_ZH = Path(__file__).parent / "data" / "common_passwords_zh.txt"
TOO_EASY = _l("This password is too easy to guess. Try a few unrelated words, or a longer "
              "phrase.")


@cache
def _common_zh() -> frozenset[str]:
    lines = COMMON_ZH.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and line[0] != "#")


def password_problem(password: str, personal: Iterable[str] = ()) -> LazyString | None:
    """Why `password` will not do, or None. `personal`: the account's e-mail, names and
    organisation, which a password must not lean on."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if not minimum <= len(password) <= MAX_LENGTH:
        return _l("The password must have between %(min)d and %(max)d characters.",
                  min=minimum, max=MAX_LENGTH)
    if password.lower() in _common_zh() or len(set(password)) < 4:
        return TOO_EASY
    hints = [part for value in personal if value
             for part in (value, *value.replace("@", " ").replace(".", " ").split())][:20]
    if zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=hints)["score"] < MIN_SCORE:
        return TOO_EASY
    return None


def check_password(password: str, personal: Iterable[str] = ()) -> None:
    problem = password_problem(password, personal)
    if problem is not None:
        raise DomainError(problem, field="password")


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


# A real hash to verify against when the e-mail is unknown, so timing does not reveal it.
_dummy_hash: dict[tuple[int, int, int], str] = {}


def burn_time(password: str) -> None:
    hasher = _hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _dummy_hash:
        _dummy_hash[key] = hasher.hash("not-a-real-password")
    verify_password(_dummy_hash[key], password)
