"""Configuration: defaults, instance/config.py, PORTAL_* variables, then test overrides."""
from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

ENV_PREFIX = "PORTAL_"
SECRET_KEY_FILE = "secret_key"


class DefaultConfig:
    # Identity and locale
    PORTAL_NAME = "产教融合对接平台"
    LANGUAGES = ("zh", "en")
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"

    # Sessions and cookies: HttpOnly and SameSite always; Secure switches on with PRODUCTION.
    SESSION_COOKIE_NAME = "portal_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_NAME = "portal_remember"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    # Sign-ins end on the server (accounts.signins): after this long unused, or this old;
    # "keep me signed in" after REMEMBER_COOKIE_DURATION unused, or REMEMBER_MAX_AGE.
    SIGN_IN_IDLE_TIMEOUT = timedelta(hours=2)
    SIGN_IN_MAX_AGE = timedelta(hours=12)
    REMEMBER_MAX_AGE = timedelta(days=30)
    PRODUCTION = False
    TRUSTED_PROXIES: int | None = None  # reverse proxies in front; None: 1 in production
    LOG_FORMAT: str | None = None  # "json" (an object per line) or "text"; None: json in production
    LOG_LEVEL = "INFO"
    METRICS_TOKEN: str | None = None  # /metrics answers this bearer token, else only localhost

    # Forms
    WTF_CSRF_TIME_LIMIT = 4 * 3600
    # A request body: forms are small (a posting's longest text is 10,000 characters);
    # routes that take a file raise the limit to theirs (security.accepts_upload).
    MAX_CONTENT_LENGTH = 512 * 1024
    MAX_FORM_MEMORY_SIZE = 512 * 1024  # the fields of a form (a posting URL-encoded: ~300 KB)
    IMPORT_MAX_BYTES = 16 * 1024 * 1024  # a bulk import file, as uploaded

    # Database: None means sqlite:///<instance>/portal.db
    DATABASE_URL: str | None = None
    DATABASE_ECHO = False
    SQLITE_BUSY_TIMEOUT_MS = 15_000

    # Passwords (argon2id). Tests lower the cost; production keeps the library defaults.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    PASSWORD_MIN_LENGTH = 10

    # Login throttling: failures within the window before sign-in is refused.
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5  # from one address, before delays begin
    LOGIN_MAX_FAILURES_PER_ADDRESS = 30
    LOGIN_DELAY_BASE = timedelta(seconds=30)  # doubled with each further failure
    LOGIN_DELAY_MAX = timedelta(minutes=15)
    DEVICE_COOKIE_NAME = "portal_device"
    DEVICE_COOKIE_DURATION = timedelta(days=365)

    INVITATION_LIFETIME = timedelta(days=7)
    EMAIL_CONFIRMATION_LIFETIME = timedelta(days=3)
    PASSWORD_RESET_LIFETIME = timedelta(minutes=30)
    # Reset mails to one address per LOGIN_FAILURE_WINDOW, at most (no mail bombing).
    PASSWORD_RESETS_PER_ACCOUNT = 3

    # The address people reach the portal at: printed in agreements' QR codes and e-mails,
    # which are made outside any request.
    BASE_URL = "http://localhost:5000"

    # Refuse to start without a Chinese font; warn when PDFs would take the slow path.
    CHECK_PRINTING = True

    # Where the document font is built (flask agreements build-font); None: instance/fonts.
    FONT_DIR: str | None = None

    # Matching weights refitted from members' outcomes (flask match-refit); None:
    # instance/match-weights.json. Without that file the shipped weights apply.
    MATCH_WEIGHTS: str | None = None

    # Signed agreement scans parties upload (PDF, JPEG or PNG).
    SCAN_MAX_BYTES = 15 * 1024 * 1024
    # An organisation's logo as uploaded; it is stored shrunk to at most LOGO_SIDE pixels.
    LOGO_MAX_BYTES = 2 * 1024 * 1024

    # Background jobs: Redis when set (redis://host:6379/0), else a SQLite queue in instance/.
    REDIS_URL = ""
    TASKS_IMMEDIATE = False  # run jobs at once, in process (tests)
    TASKS_QUEUE = "portal"  # the queue's name in Redis: portals sharing a Redis differ here
    # A full match recompute is split into this many block jobs, which several workers
    # (on several machines, through Redis) score side by side; 1 scores it in one job.
    MATCH_BLOCKS = 1

    # The API's requests per token (per address without one), in Flask-Limiter's notation.
    # Counted in Redis when REDIS_URL is set, so the limit holds across workers and
    # machines; in each process's memory otherwise.
    API_RATE_LIMIT = "600 per minute"

    # E-mail for notifications: without a server they are written to the log instead.
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_FROM = "noreply@portal.local"

    # Suggestions offered on organisation forms; free text is still accepted.
    CITY_DISTRICTS = (
        "黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区",
        "宝山区", "嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区",
    )
    INDUSTRY_SUGGESTIONS = (
        "智能制造", "新能源汽车", "集成电路", "生物医药", "人工智能/软件", "跨境电商",
        "养老护理/健康", "现代物流", "建筑/BIM", "文化创意", "金融科技", "航空航天", "教育",
    )


def _coerce(raw: str, current: object) -> object:
    """Turn an environment string into the type of the default it overrides."""
    if isinstance(current, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(current, int):
        return int(raw)
    if isinstance(current, timedelta):
        return timedelta(seconds=int(raw))
    if isinstance(current, (list, tuple, dict)):
        return json.loads(raw)
    return raw


def load_environment(app: Flask) -> None:
    """Apply PORTAL_<KEY> variables over the configuration (PORTAL_DATABASE_URL -> DATABASE_URL)."""
    for name, raw in os.environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        key = name[len(ENV_PREFIX):]
        if not key or key.startswith("TEST_"):
            continue
        app.config[key] = _coerce(raw, app.config.get(key))


def ensure_secret_key(app: Flask) -> None:
    """Use the configured key, else one generated once and kept in the instance folder."""
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / SECRET_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two workers starting together must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    app.config["SECRET_KEY"] = path.read_text().strip()


def apply_production(app: Flask) -> None:
    """One switch (PORTAL_PRODUCTION=1) turns on secure cookies and trusts the proxy hops
    TRUSTED_PROXIES says (1: the nginx in front). Without a trusted proxy the client's
    own X-Forwarded-For is ignored: throttling never keys on what a client claims."""
    if app.config["LOG_FORMAT"] is None:
        app.config["LOG_FORMAT"] = "json" if app.config["PRODUCTION"] else "text"
    proxies = app.config["TRUSTED_PROXIES"]  # an int, or a string from the environment
    proxies = int(proxies) if proxies is not None else 1 if app.config["PRODUCTION"] else 0
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore[method-assign]
                                x_host=proxies)
    if not app.config["PRODUCTION"]:
        return
    app.config.update(
        SESSION_COOKIE_SECURE=True,
        REMEMBER_COOKIE_SECURE=True,
        PREFERRED_URL_SCHEME="https",
    )


def configure(app: Flask, overrides: dict | None) -> None:
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    load_environment(app)
    if overrides:
        app.config.update(overrides)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'portal.db'}"
    ensure_secret_key(app)
    apply_production(app)
