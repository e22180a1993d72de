"""Locale choice: the visible switch (cookie), then the user's preference, then the browser."""
from __future__ import annotations

from babel import support
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations
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


def current_language() -> str:
    """The language of the catalogue in force ("zh" or "en"): what reports kept in every
    language are read in."""
    return supported_language(str(get_locale())) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_locale() -> str:
    # Catalogues are per language ("zh", "en"); Babel would turn zh_CN into zh_Hans_CN,
    # which has no catalogue, so every source is reduced to its primary language first.
    if not has_request_context():  # CLI and background jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    api = request.path.startswith("/api/")  # programs say their language per request
    choice = None if api else supported_language(request.cookies.get(LANGUAGE_COOKIE))
    if choice:
        return choice
    if not api and current_user and current_user.is_authenticated:
        choice = supported_language(current_user.locale)
        if choice:
            return choice
    for code, _quality in request.accept_languages:
        choice = supported_language(code)
        if choice:
            return choice
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _catalogue() -> support.NullTranslations:
    """The catalogue of the locale in force, found once per request and per locale.

    Flask-Babel finds it again for every string a template translates (about 70 on a
    list page, a tenth of its time). The cache sits beside Flask-Babel's own record of the
    locale and is keyed by that locale, so force_locale (e-mails and PDFs in the
    recipient's language) still switches it; without that record, Flask-Babel decides."""
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return get_translations()
    cached = getattr(state, "portal_catalogue", None)
    if cached is None or cached[0] is not locale:
        cached = state.portal_catalogue = (locale, get_translations())
    return cached[1]


def install_template_gettext(app: Flask) -> None:
    """Templates translate through _catalogue (after babel.init_app, which it replaces)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: _catalogue().ugettext(string),
        ngettext=lambda singular, plural, n: _catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, string: _catalogue().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: _catalogue().unpgettext(
            context, singular, plural, n),
        newstyle=True,
    )
