"""Weerbaarheidsscan: the application factory."""

from __future__ import annotations

import logging
import secrets

from flask import Flask

from scan.platform import config


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app: config, extensions, blueprints, commands, errors."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="platform/templates",
        static_folder="platform/static",
    )
    app.config.from_mapping(config.defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_mapping(config.from_environment())
    else:
        app.config.from_mapping(test_config)
    load_secret_key(app)
    check_public_base_url(app)
    configure_logging(app)
    register_proxy_fix(app)
    register_input_checks(app)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_errorhandlers(app)
    register_security_headers(app)
    check_shipped_questionnaires(app)
    if not app.testing:
        load_catalog_now(app)
    return app


def load_catalog_now(app: Flask) -> None:
    """Load the questionnaires at start-up, so that no request waits for them."""
    from sqlalchemy.exc import SQLAlchemyError

    from scan.platform.catalog import get_catalog
    from scan.questionnaire import QuestionnaireError

    try:
        with app.app_context():  # the published documents come from the database
            get_catalog(app)
    except QuestionnaireError as exc:  # a broken registry: commands such as 'check' still run
        app.logger.error("questionnaires not loaded: %s", exc)
    except SQLAlchemyError as exc:  # the database is not there yet: the first request loads
        app.logger.warning("published questionnaires not loaded at start: %s", exc)


class StartupError(RuntimeError):
    """The shipped questionnaires or referral registry are broken: the app must not serve."""


def check_shipped_questionnaires(app: Flask) -> None:
    """Refuse to start when a shipped file is broken, naming FILE:LINE:COL of every error.

    Under the flask CLI and in tests the app is still made, so that 'questionnaires validate'
    can report the errors; its pages then answer 503 (not 500) and say nothing works yet.
    """
    import click

    from scan.platform import logs
    from scan.platform.catalog import shipped_errors

    errors = shipped_errors(app)
    if not errors:
        return
    report = logs.CodeText("\n".join(str(p) for p in errors))  # the shipped files: trusted
    app.logger.error("the shipped questionnaires have errors:\n%s", report)
    if not app.testing and click.get_current_context(silent=True) is None:
        raise StartupError(
            "The shipped questionnaires have errors; fix them and start again "
            "(flask --app scan questionnaires validate):\n" + report
        )
    app.extensions["scan_shipped_errors"] = errors

    @app.before_request
    def _unavailable():
        from flask import request

        from scan.platform.errors import MAINTENANCE, render_error

        if request.endpoint == "static":
            return None
        if request.endpoint == "public.healthz":
            return {"status": "questionnaires invalid", "errors": len(errors)}, 503
        return render_error(503, MAINTENANCE)


def load_secret_key(app: Flask) -> None:
    """Take the secret key from config, else instance/secret_key, else a throwaway one."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.read_secret_key(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        logging.getLogger(__name__).warning(
            "No SECRET_KEY: using a temporary one. Run 'flask --app scan init' to create one."
        )
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        app.extensions["scan_temporary_secret_key"] = True


def configure_logging(app: Flask) -> None:
    """Keep tokens, client addresses and SQL parameters out of every log."""
    from scan.platform import logs

    # A database error in the log never quotes names, notes or answers: always, also when a
    # deployment or a test passes engine options of its own.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
        "hide_parameters": True,
    }
    logs.install(app.logger)


def check_public_base_url(app: Flask) -> None:
    """Refuse a malformed PUBLIC_BASE_URL; warn when production has none."""
    from scan.platform import links

    links.check_config(app)


def register_proxy_fix(app: Flask) -> None:
    """Trust X-Forwarded-* headers from the configured number of reverse proxies."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_input_checks(app: Flask) -> None:
    """Refuse unusable input (control characters, file parts) before anything reads it."""
    from scan.platform import inputs

    inputs.register(app)


def register_extensions(app: Flask) -> None:
    """Bind the extensions to this app."""
    from scan.platform import (  # noqa: F401 - the tables must be known to SQLAlchemy and Alembic
        account_models,
        caseload_models,
        draft_models,
        models,
        visit_models,
    )
    from scan.platform.extensions import (
        csrf,
        db,
        drop_connections_the_server_closed,
        limiter,
        login_manager,
        migrate,
        use_sqlite_wal,
    )

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            use_sqlite_wal(engine)
            drop_connections_the_server_closed(engine)
    migrate.init_app(app, db, directory=str(config.shipped_path("migrations")))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    from scan.platform import languages, mail

    languages.register(app)

    mail.register(app)


def register_blueprints(app: Flask) -> None:
    """Register one blueprint per audience, and the template filters they share."""
    from scan.platform import filters, layout_parts
    from scan.portal import (  # noqa: F401 - these modules add the advisers' routes
        account_views,
        admin_views,
        auth,
        caseload_views,
        invitation_views,
        security_views,
        trend_views,
        twofactor_views,
        visit_views,
    )
    from scan.portal import views as advisers
    from scan.public import views as public
    from scan.scans import followup_views as followup
    from scan.scans import link_views as savelink
    from scan.scans import paper_views as paper
    from scan.scans import sharing_views as sharing
    from scan.scans import views as scans
    from scan.scans import visit_views as visits
    from scan.studio import (
        base_views,  # noqa: F401 - adds the base tab, ids and the guide
        draft_views,  # noqa: F401 - adds the earlier saves and waiting texts
        form_views,  # noqa: F401 - adds the forms for common changes
        preview_views,  # noqa: F401 - adds the trial run's studio routes
        translation_views,  # noqa: F401 - adds the Talen tab, .po download and upload
        undo_views,  # noqa: F401 - adds republish and restore
    )
    from scan.studio import views as studio

    filters.register(app)
    layout_parts.register(app)

    app.register_blueprint(public.bp)
    app.register_blueprint(scans.bp)
    app.register_blueprint(paper.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(twofactor_views.bp)
    app.register_blueprint(security_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(invitation_views.bp)
    app.register_blueprint(advisers.bp)
    app.register_blueprint(sharing.bp)
    app.register_blueprint(savelink.bp)
    followup.register(app)
    visits.register(app)
    app.register_blueprint(studio.bp)


def register_commands(app: Flask) -> None:
    """Register the flask CLI commands."""
    from scan.platform import commands as platform_commands
    from scan.portal import commands as portal_commands
    from scan.scans import commands as scans_commands
    from scan.studio import commands as studio_commands

    for room in (platform_commands, scans_commands, portal_commands, studio_commands):
        room.register(app)


def register_security_headers(app: Flask) -> None:
    """Give every response, error pages included, the security headers."""
    from scan.platform import security

    security.register(app)


def register_errorhandlers(app: Flask) -> None:
    """Show friendly Dutch error pages, never a traceback."""
    from scan.platform import errors
    from scan.portal import error_pages

    errors.register(app)
    error_pages.register(app)
