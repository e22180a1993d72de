"""Small helpers shared by views of every domain."""
from __future__ import annotations

from flask_wtf import FlaskForm

from portal.errors import DomainError


def form_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal on the field it concerns, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))
