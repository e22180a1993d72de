"""Values every template sees."""
from __future__ import annotations

from typing import Any

from babel.dates import get_timezone_name
from flask import Flask, current_app, request
from flask_babel import format_date, format_datetime, get_locale, get_timezone

from portal.accounts.lookalike import unusual_characters
from portal.i18n import HTML_LANG


def _template_globals() -> dict[str, Any]:
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return {
        "portal_name": current_app.config["PORTAL_NAME"],
        "current_language": locale,
        "html_lang": HTML_LANG.get(locale, locale),
        "current_path": request.full_path.rstrip("?") if request else "/",
        "city_districts": current_app.config["CITY_DISTRICTS"],
        "industry_suggestions": current_app.config["INDUSTRY_SUGGESTIONS"],
        "time_zone_name": time_zone_name(),
    }


def time_zone_name() -> str:
    """The portal's one time zone (BABEL_DEFAULT_TIMEZONE), named in the reader's language."""
    return get_timezone_name(get_timezone(), locale=get_locale())


def query_args(args: Any) -> dict[str, str]:
    """The address's parameters, to build a link to another page of the same list. Names
    starting with "_" are left out: url_for reads _scheme, _external and _anchor itself
    (an address carrying _scheme made every paged list fail)."""
    return {name: value for name, value in args.to_dict().items() if not name.startswith("_")}


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(_template_globals)
    # Shown in the portal's time zone (Asia/Shanghai) and the user's language.
    app.add_template_filter(format_datetime, "format_datetime")
    app.add_template_filter(format_date, "format_date")
    app.add_template_filter(unusual_characters, "unusual_characters")
    app.add_template_filter(query_args, "query_args")
