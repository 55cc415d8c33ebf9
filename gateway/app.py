"""The application factory: `create_app(settings)` builds the app; nothing happens at import."""

from __future__ import annotations

import atexit
import logging

from flask import Flask, jsonify, request
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from casebridge.settings import Settings

from . import metrics, redact
from .bodylimit import BodyLimit
from .json_provider import DepthSafeJSON
from .providers.registry import all_providers, missing_webhook_secrets
from .services import Services
from .voice import audio
from .web import account, admin, dashboard, home, privacy, simulator, workspace

log = logging.getLogger(__name__)
PAGES = (
    audio.blueprint,
    home.blueprint,
    simulator.blueprint,
    dashboard.blueprint,
    workspace.blueprint,
    account.blueprint,
    admin.blueprint,
)
"""Blueprints that belong to no provider: the voice line's audio files and the web pages."""


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Build the app. With no Redis configured (and none handed in), an embedded Redis is
    started for this process and stopped when it exits."""
    if services is None:
        settings = (settings or Settings.load()).with_secret()
        if settings.redis_url is None:
            from dataclasses import replace

            from .embedded_redis import EmbeddedRedis

            embedded = EmbeddedRedis(settings.instance_dir)
            settings = replace(settings, redis_url=embedded.start())
            atexit.register(embedded.stop)
        services = Services.build(settings)
        _upgrade_sqlite(services)
    settings = services.settings
    redact.install()

    app = Flask(__name__)
    app.json = DepthSafeJSON(app)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
    )
    app.extensions["services"] = services
    privacy.install(app, https=settings.public_base_url.startswith("https://"))
    metrics.install(app, services)
    for provider in all_providers():
        if provider.metrics is not None:
            app.extensions["metrics_extra"].append(provider.metrics)

    from .api import bp as api_bp
    from .api import ratelimit
    from .health import bp as health_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(api_bp)
    ratelimit.install(app, services, api_bp)
    for provider in all_providers():
        for blueprint in provider.blueprints:
            app.register_blueprint(blueprint)
    for blueprint in PAGES:
        app.register_blueprint(blueprint)
    _error_handlers(app)
    _warn_unsigned(settings)
    app.wsgi_app = BodyLimit(app.wsgi_app, settings.max_body_bytes)  # outermost: before anything
    return app


def _warn_unsigned(settings: Settings) -> None:
    """Say which provider secrets are missing, and what that does to its webhooks."""
    for provider, setting in missing_webhook_secrets(settings):
        if settings.allow_unsigned_webhooks:
            log.warning(
                "%s is not set: %s webhooks are accepted unsigned (ALLOW_UNSIGNED_WEBHOOKS)",
                setting,
                provider,
            )
        else:
            log.error("%s is not set: every %s webhook answers 403 until it is", setting, provider)


def _upgrade_sqlite(services: Services) -> None:
    """A fresh SQLite database is brought up to date by itself; PostgreSQL uses `db upgrade`."""
    if services.db.is_sqlite:
        from casebridge.migrate import upgrade

        upgrade(services.db.url, keys=services.db.keys)


def _error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            return jsonify(
                error=exc.name.lower().replace(" ", "_"), message=exc.description
            ), exc.code
        return exc

    @app.errorhandler(OperationalError)
    @app.errorhandler(RedisConnectionError)
    def _backend_down(exc: Exception):
        """The database or Redis is away: answer with an error the provider will retry, never
        a success for something that was not stored."""
        log.warning("backend unavailable on %s %s: %s", request.method, request.path, exc)
        response = jsonify(error="unavailable", message="temporarily unavailable; try again")
        response.headers["Retry-After"] = "5"
        return response, 503

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return jsonify(error="internal", message="something went wrong; it has been logged"), 500
