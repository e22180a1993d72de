"""Locale choice: the visible switch (cookie), then the user's preference, then the browser."""
from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_babel import Babel
from flask_login import current_user

LANGUAGE_COOKIE = "portal_lang"
HTML_LANG = {"zh": "zh-CN", "en": "en"}

babel = Babel()


def supported_language(code: str | None) -> str | None:
    """Map any spelling of a supported language (zh-CN, zh_Hans_CN, EN-us) to its catalogue."""
    if not code:
        return None
    primary = code.replace("_", "-").split("-")[0].lower()
    return primary if primary in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    # Catalogues are per language ("zh", "en"); Babel would turn zh_CN into zh_Hans_CN,
    # which has no catalogue, so every source is reduced to its primary language first.
    if not has_request_context():  # CLI and background jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    choice = supported_language(request.cookies.get(LANGUAGE_COOKIE))
    if choice:
        return choice
    if current_user and current_user.is_authenticated:
        choice = supported_language(current_user.locale)
        if choice:
            return choice
    for code, _quality in request.accept_languages:
        choice = supported_language(code)
        if choice:
            return choice
    return current_app.config["BABEL_DEFAULT_LOCALE"]
