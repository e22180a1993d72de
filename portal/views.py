"""Small helpers shared by views of every domain."""
from __future__ import annotations

import enum
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, Protocol, TypeVar

from flask import abort, flash, redirect
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal.db import db_session
from portal.errors import DomainError


class Viewable(Protocol):
    def can_view(self, user: Any) -> bool: ...  # noqa: ANN401 - the signed-in user or anonymous


T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)
V = TypeVar("V", bound=Viewable)


def viewable_or_404(model: type[V], object_id: int) -> V:
    """The object if the signed-in user may see it; 404 otherwise, whether it exists or
    not, so that outsiders learn nothing from the answer."""
    found = db_session.get(model, object_id)
    if found is None or not found.can_view(current_user):
        abort(404)
    return found


def form_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal on the field it concerns, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def form_messages(form: FlaskForm) -> str:
    """Everything wrong with a small form, as one line for a flash message."""
    messages = [*form.form_errors, *(error for field in form for error in field.errors)]
    return " ".join(str(message) for message in messages)


def enum_arg(args: MultiDict, name: str, enum_cls: type[E]) -> E | None:
    """The enum member a query-string argument names; None if absent or not a member
    (a malformed filter is ignored, never an error page)."""
    try:
        return enum_cls(args.get(name)) if args.get(name) else None
    except ValueError:
        return None


def file_response(data: bytes, mimetype: str, filename: str, inline: bool = False) -> Response:
    """A file the browser saves (or, `inline`, shows) under `filename`."""
    disposition = "inline" if inline else "attachment"
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})


def date_arg(args: MultiDict, name: str) -> tuple[date | None, bool]:
    """A date (YYYY-MM-DD, full-width digits accepted) from the query string: (the date
    or None, whether something unreadable was given)."""
    raw = unicodedata.normalize("NFKC", args.get(name, "")[:20]).strip()
    if not raw:
        return None, False
    try:
        return date.fromisoformat(raw), False
    except ValueError:
        return None, True


def int_arg(args: MultiDict, name: str, default: int, low: int, high: int) -> int:
    """A whole number from the query string, kept within [low, high]; else the default."""
    raw = args.get(name, "")
    return min(max(int(raw), low), high) if raw.isdigit() and len(raw) < 7 else default


@dataclass
class Outcome(Generic[T]):
    ok: bool
    value: T | None = None


def commit_or_show(form: FlaskForm, action: Callable[[], T],
                   conflict: str | None = None) -> Outcome[T]:
    """Run a service for a submitted form and commit once; on a refusal roll back
    (nothing half-written stays) and show the reason on the form. With `conflict`, the
    database's version check (someone else saved the same object first) is shown as that
    message instead of raised."""
    try:
        value = action()
        db_session.commit()
    except DomainError as error:
        db_session.rollback()
        form_error(form, error)
        return Outcome(False)
    except StaleDataError:
        if conflict is None:
            raise
        db_session.rollback()
        form.form_errors.append(conflict)
        return Outcome(False)
    return Outcome(True, value)


def submit_and_return(form: FlaskForm, action: Callable[[], T], back: str, *,
                      done: str | Callable[[T], str] | None = None, done_back: str | None = None,
                      conflict: str | None = None) -> Response:
    """The tail of every small form posted from a page (a button, a comment box): run the
    service and commit once, say how it went, and go back to the page (`done_back` once it
    worked, if that differs). A refusal is flashed in the reader's language."""
    if form.validate_on_submit():
        outcome = commit_or_show(form, action, conflict)
        if outcome.ok:
            if done is not None:
                flash(done(outcome.value) if callable(done) else done, "success")
            return redirect(done_back or back)
    messages = form_messages(form)
    if messages:
        flash(messages, "error")
    return redirect(back)
