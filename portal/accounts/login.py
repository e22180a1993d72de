"""Flask-Login wiring: users are loaded by their sign-in's token (accounts.signins), never
by their id; a remember-me cookie that signs a browser in is replaced."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, user_loaded_from_cookie

from portal.accounts import signins
from portal.accounts.models import User
from portal.db import db_session

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(sign_in_token: str) -> User | None:
    return signins.load(db_session, sign_in_token)


def _renew_remembered(_app: Flask, user: User) -> None:
    signins.renew_remembered(user)


user_loaded_from_cookie.connect(_renew_remembered)
