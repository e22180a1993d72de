"""Errors as RFC 9457 problem details (application/problem+json), in the caller's
language, with one message per field for validation failures."""
from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from portal.forms import REQUIRED

MEDIA_TYPE = "application/problem+json"
API_PREFIX = "/api/"

TITLES = {
    400: _l("Bad request"),
    401: _l("Authentication required"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    406: _l("Not acceptable"),
    409: _l("Conflict"),
    412: _l("Precondition failed"),
    413: _l("Request too large"),
    414: _l("Address too long"),
    415: _l("Unsupported media type"),
    422: _l("Invalid request"),
    428: _l("Precondition required"),
    429: _l("Too many requests"),
    500: _l("Server error"),
    503: _l("Service unavailable"),
}

# Pydantic's error types, worded for people (the context supplies the numbers).
VALIDATION_MESSAGES = {
    "missing": REQUIRED,
    "string_too_long": _l("At most %(max_length)s characters."),
    # The only pattern the documents set: required text must not be blank.
    "string_pattern_mismatch": REQUIRED,
    "too_long": _l("At most %(max_length)s items."),
    "string_type": _l("Must be text."),
    "int_type": _l("Must be a whole number."),
    "int_parsing": _l("Must be a whole number."),
    "int_from_float": _l("Must be a whole number."),
    "greater_than_equal": _l("Must be at least %(ge)s."),
    "less_than_equal": _l("Must be at most %(le)s."),
    "list_type": _l("Must be a list."),
    "literal_error": _l("Must be one of: %(expected)s."),
    "enum": _l("Must be one of: %(expected)s."),
    "date_from_datetime_parsing": _l("Must be a date as YYYY-MM-DD."),
    "date_parsing": _l("Must be a date as YYYY-MM-DD."),
    "date_type": _l("Must be a date as YYYY-MM-DD."),
    "datetime_parsing": _l("Must be a date and time in ISO 8601."),
    "datetime_from_date_parsing": _l("Must be a date and time in ISO 8601."),
    "datetime_type": _l("Must be a date and time in ISO 8601."),
    "extra_forbidden": _l("Not a field of this request."),
    "union_tag_invalid": _l("Must be one of: %(expected_tags)s."),
    "union_tag_not_found": REQUIRED,
    "bool_type": _l("Must be true or false."),
    "bool_parsing": _l("Must be true or false."),
    "model_type": _l("Must be a JSON object."),
    "dict_type": _l("Must be a JSON object."),
    "json_invalid": _l("Not valid JSON."),
}
FALLBACK_MESSAGE = _l("This value is not accepted.")


class Problem(Exception):
    """Raised anywhere in an API view; answered as problem details."""

    def __init__(self, status: int, detail: object = "", *,
                 errors: list[dict[str, str]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(str(detail))
        self.status, self.detail = status, detail
        self.errors, self.headers = errors or [], headers or {}


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem_response(status: int, detail: object = "", *,
                     errors: list[dict[str, str]] | None = None,
                     headers: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"type": "about:blank",
                            "title": str(TITLES.get(status, TITLES[400 if status < 500 else 500])),
                            "status": status}
    if str(detail):
        body["detail"] = str(detail)
    if errors:
        body["errors"] = errors
    response = current_app.response_class(
        current_app.json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    response.headers.extend(headers or {})
    response.headers["Content-Language"] = str(get_locale() or
                                               current_app.config["BABEL_DEFAULT_LOCALE"])
    return response


# Steps of pydantic's error locations that are not in the document: a root model's
# "root" and the tag of a discriminated union's branch.
NOT_IN_DOCUMENT = frozenset({"root"})


def _pointer(location: tuple[Any, ...], tags: frozenset[str]) -> str:
    """A JSON Pointer (RFC 6901) to the field in the request's document."""
    parts = [str(part) for part in location if str(part) not in NOT_IN_DOCUMENT | tags]
    return "/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def validation_errors(errors: list[dict[str, Any]],
                      tags: frozenset[str] = frozenset()) -> list[dict[str, str]]:
    """Pydantic's errors as [{"pointer": "/title", "detail": "…"}] in the caller's
    language; the first error of each field only."""
    found: dict[str, str] = {}
    for error in errors:
        pointer = _pointer(tuple(error.get("loc", ())), tags)
        if pointer in found:
            continue
        context = {key: _plain(value) for key, value in (error.get("ctx") or {}).items()}
        wording = VALIDATION_MESSAGES.get(error.get("type", ""), FALLBACK_MESSAGE)
        try:
            found[pointer] = str(wording) % context if context else str(wording)
        except (KeyError, TypeError, ValueError):
            found[pointer] = str(FALLBACK_MESSAGE)
    return [{"pointer": pointer, "detail": detail} for pointer, detail in found.items()]


def _plain(value: Any) -> Any:  # noqa: ANN401 - a pydantic context value
    return value if isinstance(value, int | float | str) else str(value)
