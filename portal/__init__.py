"""School-enterprise cooperation portal (产教融合对接平台)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory. `config` overrides everything else (tests pass theirs here)."""
    config = dict(config or {})
    app = Flask(
        __name__,
        # PORTAL_INSTANCE_PATH: one folder shared by every instance of a scaled-out portal.
        instance_path=config.pop("INSTANCE_PATH", None) or os.environ.get(
            "PORTAL_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    from portal.config import configure
    from portal.security import CleanRequest

    app.request_class = CleanRequest
    app.json.ensure_ascii = False  # JSON answers carry Chinese as UTF-8, not \uXXXX
    configure(app, config)
    if app.config["CHECK_PRINTING"]:
        from portal.agreements.fonts import check_printing

        check_printing()
    _init_extensions(app)
    _register_blueprints(app)

    from portal import cli, errors_views, tasks
    from portal.agreements import services as agreement_services
    from portal.alerts import services as alerts
    from portal.api import webhooks
    from portal.matching import jobs, store, weights
    from portal.monitoring import facets
    from portal.notifications import digest  # noqa: F401 - declares the daily digest's job
    from portal.notifications import services as notifications

    errors_views.init_app(app)
    store.init_app()
    jobs.init_app()
    notifications.init_app()
    alerts.init_app()
    weights.init_app(app)
    agreement_services.init_app()
    webhooks.init_app()
    facets.init_app()
    tasks.init_app(app)
    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from flask_wtf.csrf import CSRFProtect

    from portal import db, operations, security
    from portal.accounts.login import login_manager
    from portal.i18n import babel, install_template_gettext, select_locale
    from portal.templating import init_app as init_templating

    db.init_app(app)
    operations.init_app(app)  # first: request ids and timing wrap everything else
    security.init_app(app)  # before CSRF: it bounds the body the CSRF check reads
    CSRFProtect(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    login_manager.init_app(app)
    init_templating(app)


def _register_blueprints(app: Flask) -> None:
    from portal.accounts.org_views import bp as organizations_bp
    from portal.accounts.review_views import bp as review_bp
    from portal.accounts.views import bp as accounts_bp
    from portal.agreements.views import bp as agreements_bp
    from portal.alerts.views import bp as alerts_bp
    from portal.alerts.views import unsubscribe
    from portal.api.client_views import bp as api_clients_bp
    from portal.api.token_views import bp as api_tokens_bp
    from portal.api.views import bp as api_bp
    from portal.api.webhook_views import bp as api_webhooks_bp
    from portal.cooperation.views import bp as cooperation_bp
    from portal.directory.views import bp as directory_bp
    from portal.main.views import bp as main_bp
    from portal.matching.views import bp as matching_bp
    from portal.monitoring.report_views import public as reports_bp
    from portal.monitoring.views import bp as monitoring_bp
    from portal.notifications.views import bp as notifications_bp
    from portal.postings.views import bp as postings_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(organizations_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(alerts_bp)
    app.extensions["csrf"].exempt(unsubscribe)  # its signed link is the credential
    app.register_blueprint(review_bp)
    app.register_blueprint(postings_bp)
    app.register_blueprint(matching_bp)
    app.register_blueprint(cooperation_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(agreements_bp)
    app.register_blueprint(monitoring_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(api_tokens_bp)
    app.register_blueprint(api_webhooks_bp)
    app.register_blueprint(api_clients_bp)
    app.register_blueprint(api_bp)
    app.extensions["csrf"].exempt(api_bp)  # bearer tokens only: cookies never sign in there
    from portal.api import limits, oauth

    limits.init_app(app, api_bp)
    oauth.init_app(app)
