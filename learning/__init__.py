"""The study platform for Party directives and resolutions."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from learning import db, i18n
from learning.config import load_config
from learning.core import ratelimit  # registers the database:// storage and its table
from learning.extensions import babel, csrf, limiter, login_manager

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """config → db → login → i18n → blueprints → cli → errors."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.update(load_config(app.instance_path, config))
    if app.config.get("TRUST_PROXY"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    db.init_app(app)
    _init_login(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    i18n.init_app(app)
    ratelimit.init_app(app)
    limiter.init_app(app)

    from learning.web import assets, errors, register_blueprints, security
    security.init_app(app)
    assets.init_app(app)
    register_blueprints(app)
    errors.init_app(app)

    from learning import cli
    cli.init_app(app)

    # Relationships are resolved at start-up (a tenth of a second) rather than
    # on each worker's first request, which would make some member wait.
    from sqlalchemy.orm import configure_mappers
    configure_mappers()
    return app


def _init_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l
    from learning.services.accounts import load_by_session_token

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    # Phones change IP address all the time on mobile networks: a protection
    # mode keyed on the client's address would sign members out mid-quiz.
    login_manager.session_protection = None
    login_manager.user_loader(load_by_session_token)
