"""What every API view answers with: JSON documents, pages of them, and the version checks
of If-Match. Shared by the resources' views, so each answers the same way."""
from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

from flask import Response, current_app, request
from flask_babel import LazyString
from pydantic import BaseModel

from portal.api.problems import Problem
from portal.api.schemas import ProblemOut
from portal.paging import KeysetPage

JSON_TYPE = "application/json"


def problems(*codes: int) -> dict[str, Any]:
    """The error answers of an operation, for its OpenAPI description."""
    return {f"HTTP_{code}": ProblemOut for code in codes}


def json_answer(body: dict[str, Any], status: int = 200, **headers: str) -> Response:
    response = current_app.response_class(current_app.json.dumps(body), status=status,
                                          mimetype=JSON_TYPE)
    response.headers.extend(headers)
    return response


def page_answer(page: KeysetPage, items: list[dict[str, Any]]) -> Response:
    return json_answer({"items": items, "next_cursor": page.next_cursor, "total": page.total,
                        "total_is_more": page.total_is_more})


def dump(model: type[BaseModel], document: dict[str, Any]) -> dict[str, Any]:
    """A document checked against its schema, as JSON values."""
    return model.model_validate(document).model_dump(mode="json")


def enum_or_none(value: str | None, enum: type[Enum]) -> Any:  # noqa: ANN401 - a member
    return enum(value) if value else None


def as_utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)  # a time without a zone is read as UTC


def etag(version: int) -> str:
    return f'"v{version}"'


def check_if_match(version: int, *, stale: LazyString,
                   missing: LazyString | None = None) -> None:
    """If-Match carries the version the caller read: `stale` when the object changed since
    (412). With a `missing` message it is required, and its absence is refused (428)."""
    if not request.if_match:
        if missing is not None:
            raise Problem(428, missing)
        return
    if not request.if_match.star_tag and f"v{version}" not in request.if_match:
        raise Problem(412, stale)

