"""Coarse role gates for views; object rules live on the models (can_view, can_edit…)."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from portal.accounts.models import Role

F = TypeVar("F", bound=Callable[..., Any])


def role_required(*roles: Role) -> Callable[[F], F]:
    """Signed in (else to the login page) and holding one of `roles` (else 403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


coordinator_required = role_required(Role.COORDINATOR)
member_required = role_required(Role.ENTERPRISE_HR, Role.UNIVERSITY_STAFF)
