"""Flask-Login wiring: users are loaded by their session token, not their id."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import select

from portal.accounts.models import User
from portal.db import db_session

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    user = db_session.scalar(select(User).where(User.session_token == session_token))
    return user if user is not None and user.is_active else None
