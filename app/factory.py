"""create_app(): the only place that wires the application together."""

import datetime as dt
import logging
import os
from pathlib import Path

from flask import Flask

from app import errors, i18n, security
from app.auth import guard
from app.database import close_db
from app.extensions import babel, csrf
from app.node import home

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
MAX_BODY = 65_536

# Views that accept bodies over MAX_BODY: the global CSRF check would read the
# body before the view can raise the limit, so they check the token themselves.
SELF_CHECKED_CSRF = (
    "capture.paper",
    "capture.paper_import",
    "capture.queue_import",
    "capture.new_need",  # may carry an audio note (app.capture.audio_page)
)

def create_app(config: dict | None = None) -> Flask:
    """Build the app for one node home.

    config keys: HOME (the node home; default SAUTI_HOME or ./sauti-home),
    SECURE_COOKIES (True when served over HTTPS), TESTING, and any Flask key.
    """
    config = dict(config or {})
    node_home = home.open_home(config.pop("HOME", None) or os.environ.get("SAUTI_HOME"))
    app = Flask(__name__)
    app.json = security.StrictJSONProvider(app)  # request bodies: app.security.strict_loads
    app.url_map.converters["int"] = security.SQLiteInt
    db = node_home.connect()
    try:
        from app.store import node as node_store

        node = node_store.get(db)
    finally:
        db.close()
    app.config.update(
        SECRET_KEY=node_home.secret_key(),
        MAX_CONTENT_LENGTH=MAX_BODY,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="sauti_session",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=12 * 3600,
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS),
        BABEL_DEFAULT_LOCALE=i18n.DEFAULT,
        SAUTI_DEFAULT_LANGUAGE=node["language"],
    )
    app.config.update(config)
    app.config["SESSION_COOKIE_SECURE"] = bool(app.config.get("SECURE_COOKIES"))
    app.extensions["sauti_home"] = node_home

    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    errors.register(app)
    app.before_request(guard.check_access)
    app.after_request(security.add_headers)
    app.teardown_appcontext(close_db)
    _register_blueprints(app)
    _template_helpers(app)
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    return app


def _register_blueprints(app: Flask) -> None:
    from app.admin.routes import bp as admin_bp
    from app.aggregate.routes import bp as aggregate_bp
    from app.api.routes import bp as api_bp
    from app.auth.routes import bp as auth_bp
    from app.capture.routes import bp as capture_bp
    from app.council.routes import bp as council_bp
    from app.main.routes import bp as main_bp
    from app.open311.routes import bp as open311_bp
    from app.public.routes import bp as public_bp

    blueprints = (main_bp, auth_bp, capture_bp, council_bp, aggregate_bp, public_bp, admin_bp,
                  api_bp, open311_bp)  # fmt: skip
    for bp in blueprints:
        app.register_blueprint(bp)
    csrf.exempt(api_bp)
    csrf.exempt(open311_bp)  # api_key or the kiosk's rules, no session  # token-authenticated; session-authenticated API writes: app.auth.guard
    for endpoint in SELF_CHECKED_CSRF:
        csrf.exempt(app.view_functions[endpoint])


def _template_helpers(app: Flask) -> None:
    from flask import request
    from flask_babel import format_date, format_datetime, format_decimal

    from app.auth.guard import current_user
    from app.auth.permissions import allowed
    from app.i18n.bidi import arrow, ltr_numbers, ltr_plus
    from app.i18n.labels import (
        history_label,
        label_of,
        level_label,
        mark_placeholders,
        role_label,
    )
    from app.main.home_actions import home_actions, nav_items
    from app.node.device_clock import suspect as clock_suspect

    @app.context_processor
    def inject():
        user = current_user()
        return {
            "locale": i18n.current(),
            "locales": i18n.LOCALES.values(),
            "user": user,
            "can": lambda permission: allowed(user["role"] if user else None, permission),
            "label_of": label_of,
            "history_label": history_label,
            "role_label": role_label,
            "level_label": level_label,
            "home_actions": home_actions,
            "nav_items": nav_items,
            "current_path": request.full_path.rstrip("?"),
        }

    app.jinja_env.globals["arrow"] = arrow
    app.jinja_env.filters["ltr_plus"] = ltr_plus
    app.jinja_env.filters["ltr_numbers"] = ltr_numbers
    app.jinja_env.filters["mark_placeholders"] = mark_placeholders
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.globals["clock_suspect"] = clock_suspect  # wrong device clocks (issue 12)
