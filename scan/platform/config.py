"""Configuration: defaults here, then instance/config.py, then the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from redis.backoff import NoBackoff
from redis.retry import Retry

SECRET_KEY_FILE = "secret_key"
# A wheel carries the questionnaires and migrations inside the package (setup.py copies them
# here when it builds); a checkout keeps them at its top level, where authors edit them.
PACKAGED_DATA = Path(__file__).resolve().parent / "shipped"
CHECKOUT = Path(__file__).resolve().parents[2]


def shipped_path(folder: str) -> Path:
    """Return where the shipped folder ("questionnaires" or "migrations") is, installed or not."""
    packaged = PACKAGED_DATA / folder
    return packaged if packaged.is_dir() else CHECKOUT / folder


def defaults(instance_path: str) -> dict:
    """Return the default settings for an app whose instance folder is instance_path."""
    return {
        "SECRET_KEY": None,
        "SQLALCHEMY_DATABASE_URI": "sqlite:///"
        + str(Path(instance_path) / "weerbaarheidsscan.sqlite"),
        # create_app adds hide_parameters=True to whatever engine options are given. No
        # pool_pre_ping: a pooled PostgreSQL connection the server closed is dropped at checkout
        # without a round trip (extensions.drop_connections_the_server_closed).
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "QUESTIONNAIRE_DIR": str(shipped_path("questionnaires")),
        # Parsed questionnaire files as signed JSON, so a start skips the YAML parser; "" = off.
        "QUESTIONNAIRE_CACHE_DIR": str(Path(instance_path) / "cache" / "questionnaires"),
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "MAX_FORM_PARTS": 500,
        "SCAN_TTL_DAYS": 90,
        # A scan shared with an adviser is kept, past SCAN_TTL_DAYS, while the share is active
        # and until this many days after the last activity on it (scan/retention.py).
        "SHARED_RETENTION_DAYS": 365,
        "REPORT_CACHE_LIMIT": 10_000,  # stored PDFs (up to about 100 kB each), oldest go first
        # Render a scan's PDF in a background thread right after it is submitted.
        "REPORT_PRERENDER": True,
        # A first download this many seconds after submitting waits for that rendering (as
        # long as it runs) instead of rendering the same PDF twice.
        "REPORT_PRERENDER_WAIT": 10,
        # Trends show no figure for a group of fewer scans than this (see docs/advisers.md).
        "TRENDS_MIN_GROUP": 10,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": "memory://",  # one process only; redis://... in production
        "RATELIMIT_KEY_PREFIX": "scan",
        # Redis unreachable: count per worker until it is back, rather than answer 500; and
        # find that out within a second, not after redis-py's default 3 retries with backoff.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # A limiter error (Redis gone between counting and the response headers) never turns
        # a request that did its work (a saved scan start) into a 500: it is logged instead.
        "RATELIMIT_SWALLOW_ERRORS": True,
        # Logging in fails closed while the shared store is unreachable (docs/deploy.md): each
        # worker counting on its own would multiply the password guesses by the workers.
        "LOGIN_NEEDS_SHARED_LIMITS": True,
        "RATELIMIT_STORAGE_OPTIONS": {
            "socket_connect_timeout": 1,
            "socket_timeout": 1,
            "retry": Retry(NoBackoff(), 1),
        },
        # Starting a scan: enough for a workshop of 60 behind one address, not for a flood; the
        # ceiling over all addresses keeps a spread-out flood from filling the database.
        "SCAN_START_LIMIT": "100 per minute;1000 per day",
        "SCAN_START_GLOBAL_LIMIT": "600 per minute",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto headers we trust;
        # 0 = none. Behind one proxy set 1, or every client shares the proxy's rate limits.
        "TRUSTED_PROXIES": 0,
        # Where the public reaches the app, e.g. https://weerbaarheidsscan.nl: personal links
        # are built from it. Required in production; development and tests use the request.
        "PUBLIC_BASE_URL": None,
        # Where "Snel weg" (quick exit) sends the visitor: an everyday site that draws no notice.
        "QUICK_EXIT_URL": "https://www.nu.nl/",
        # Who runs this installation, shown in every page's footer and the privacy and
        # accessibility statements. Unset, the pages say the operator has not filled it in.
        "OPERATOR_NAME": None,
        "OPERATOR_CONTACT": None,  # an e-mail address or an https:// address
        # Where security researchers report a vulnerability (security.txt, RFC 9116): a
        # mailto: or https: address. Unset, /.well-known/security.txt answers 404.
        "SECURITY_CONTACT": None,
        # Staff sessions end this many hours after the login, however active (besides the
        # idle timeout); publishing, exporting and account changes need a login this fresh.
        "SESSION_ABSOLUTE_HOURS": 12,
        "FRESH_LOGIN_MINUTES": 15,
        # E-mail (scan/platform/mail.py): "smtp", or "console" to print mails (make run).
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": None,
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_DEFAULT_SENDER": None,
        # Send queued mail in a thread beside the response that queued it; otherwise only
        # `flask mail send` (cron or a worker) sends.
        "MAIL_SEND_AFTER_RESPONSE": True,
    }


def from_environment() -> dict:
    """Return settings given through environment variables."""
    settings: dict = {}
    if os.environ.get("SECRET_KEY"):
        settings["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = database_uri(os.environ["DATABASE_URL"])
    if os.environ.get("QUESTIONNAIRE_DIR"):
        settings["QUESTIONNAIRE_DIR"] = os.environ["QUESTIONNAIRE_DIR"]
    if os.environ.get("RATELIMIT_STORAGE_URI"):
        settings["RATELIMIT_STORAGE_URI"] = os.environ["RATELIMIT_STORAGE_URI"]
    if os.environ.get("RATELIMIT_KEY_PREFIX"):
        settings["RATELIMIT_KEY_PREFIX"] = os.environ["RATELIMIT_KEY_PREFIX"]
    if os.environ.get("PUBLIC_BASE_URL"):
        settings["PUBLIC_BASE_URL"] = os.environ["PUBLIC_BASE_URL"]
    for name in (
        "QUICK_EXIT_URL",
        "OPERATOR_NAME",
        "OPERATOR_CONTACT",
        "SECURITY_CONTACT",
        "MAIL_BACKEND",
        "MAIL_SERVER",
        "MAIL_USERNAME",
        "MAIL_PASSWORD",
        "MAIL_DEFAULT_SENDER",
    ):
        if os.environ.get(name):
            settings[name] = os.environ[name]
    for name in ("MAIL_PORT", "SESSION_ABSOLUTE_HOURS", "FRESH_LOGIN_MINUTES"):
        if os.environ.get(name, "").isdigit():
            settings[name] = int(os.environ[name])
    for name in ("MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_SEND_AFTER_RESPONSE"):
        if os.environ.get(name):
            settings[name] = os.environ[name].lower() in ("1", "true", "yes")
    if os.environ.get("TRUSTED_PROXIES", "").isdigit():
        settings["TRUSTED_PROXIES"] = int(os.environ["TRUSTED_PROXIES"])
    if os.environ.get("SHARED_RETENTION_DAYS", "").isdigit():
        settings["SHARED_RETENTION_DAYS"] = int(os.environ["SHARED_RETENTION_DAYS"])
    if os.environ.get("TRENDS_MIN_GROUP", "").isdigit():
        settings["TRENDS_MIN_GROUP"] = int(os.environ["TRENDS_MIN_GROUP"])
    if os.environ.get("INSECURE_COOKIES") == "1":  # plain-http development only
        settings["SESSION_COOKIE_SECURE"] = settings["REMEMBER_COOKIE_SECURE"] = False
    return settings


def database_uri(url: str) -> str:
    """Use the psycopg 3 driver for postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def read_secret_key(instance_path: str) -> str | None:
    """Return the secret key kept in the instance folder, if any."""
    path = Path(instance_path) / SECRET_KEY_FILE
    return path.read_text().strip() or None if path.exists() else None


def write_secret_key(instance_path: str) -> bool:
    """Create instance/secret_key (owner-only) unless it exists; True when written."""
    path = Path(instance_path) / SECRET_KEY_FILE
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return True


class MissingSetting(SystemExit):
    """A setting production cannot work without is not set: the server does not start."""


def require_production_settings(app) -> None:
    """Refuse to start production (gunicorn) without a setting it cannot work without.

    Raise MissingSetting with one line naming the first missing setting. Development
    (`make run`, `flask run`) and tests never come here and work with nothing set.
    """
    if not app.config.get("PUBLIC_BASE_URL"):
        raise MissingSetting(
            "Not started: PUBLIC_BASE_URL is not set (the public address personal links are "
            "built from, e.g. https://weerbaarheidsscan.nl); see docs/deploy.md."
        )
    if app.extensions.get("scan_temporary_secret_key"):
        raise MissingSetting(
            "Not started: SECRET_KEY is not set (set it in the environment, or run "
            "'flask --app scan init' to create instance/secret_key); see docs/deploy.md."
        )
