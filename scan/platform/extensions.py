"""Flask extensions, created unbound here and bound in create_app."""

import datetime as dt
import hashlib
import hmac
import select

from flask import current_app, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event, exc, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# How long a SQLite connection waits for another one's write lock before it gives up.
SQLITE_BUSY_TIMEOUT_MS = 15_000


class Base(DeclarativeBase):
    """Declarative base for all tables."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()


def keyed_hash(*parts: str, day: dt.date | None = None) -> str:
    """Return a keyed hash of the parts, under a key made from SECRET_KEY and the UTC date.

    The rate limits count under these hashes, never under an address or an e-mail address:
    the stored keys name no one, and tomorrow's key makes other hashes of the same address.
    """
    day = day or dt.datetime.now(dt.UTC).date()
    secret = current_app.secret_key
    raw = secret if isinstance(secret, bytes) else str(secret).encode("utf-8")
    day_key = hmac.new(raw, b"rate-limit-key/" + day.isoformat().encode(), "sha256").digest()
    message = "\0".join(parts).encode("utf-8", "replace")
    return hmac.new(day_key, message, hashlib.sha256).hexdigest()[:40]


def client_key() -> str:
    """Return the rate-limit key of the client's address: its keyed hash of today."""
    return keyed_hash("address", get_remote_address() or "")


class AppLimiter(Limiter):
    """Flask-Limiter, with RATELIMIT_ENABLED per app instead of per process.

    Flask-Limiter keeps `enabled` on its one object, so the app made last in a process decided
    for every app: a test app with limits, then a second app without them (a tables template),
    and the first one's limits were off. Here an app whose RATELIMIT_ENABLED is false leaves
    the limiter as it is (its state, its storage) and is exempt through a request filter.
    """

    def init_app(self, app) -> None:
        if app.config.get("RATELIMIT_ENABLED", True):
            super().init_app(app)


def _limits_off() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED", True)


# In-memory storage suits one process; set RATELIMIT_STORAGE_URI (e.g. redis://) in production.
limiter = AppLimiter(key_func=client_key, default_limits=[])
limiter.request_filter(_limits_off)


def database_works() -> bool:
    """Tell whether the database answers a trivial query (the health check)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        db.session.rollback()
        return False
    return True


class AccountLoginManager(LoginManager):
    """Flask-Login's manager, with session protection only for sessions that hold a login.

    In "strong" mode Flask-Login takes any non-empty session without its network fingerprint
    for a stolen one. An entrepreneur's scan session has no login, so every scan response got
    a rewritten session cookie and a cookie deleting 'remember_token'. A login, or a remember
    cookie (never set by this app), is checked as before.
    """

    def _session_protection_failed(self) -> bool:
        cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        if "_user_id" not in session and cookie not in request.cookies:
            return False  # nothing to protect: no login in this session
        return super()._session_protection_failed()


login_manager = AccountLoginManager()


def use_sqlite_wal(engine: Engine) -> None:
    """Give every new SQLite connection WAL mode and a busy timeout (no-op for other databases).

    In WAL mode readers never wait for a writer, and a writer waits for another writer's lock
    instead of failing at once with "database is locked".
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()


def drop_connections_the_server_closed(engine: Engine) -> None:
    """Hand out no pooled PostgreSQL connection that the server has closed (no-op otherwise).

    A restarting or crashing server closes its connections; the socket of each then reads
    as ready (its last message and the end of the stream), while a healthy idle connection
    mostly has nothing to read. Looking costs one poll() and no round trip, where
    SQLAlchemy's pool_pre_ping sent a query before every request (docs/deploy.md, CPU per
    request). Something to read is handed to libpq, which takes in what an idle connection
    may be sent (a notice, a notification, TLS's own records) and finds the end of the
    stream; only a connection it then finds broken is replaced by a new one
    (DisconnectionError makes the pool try again). A server that is gone altogether fails
    that new connection, which the request answers with a 503 (scan/platform/errors.py). A
    connection cut without a word (a network gone quiet) is not seen here: its first query
    fails, with the same 503.
    """
    if engine.dialect.name != "postgresql":
        return
    from psycopg import pq

    @event.listens_for(engine, "checkout")
    def _closed_by_server(dbapi_connection, _record, _proxy):
        if dbapi_connection.closed or dbapi_connection.broken:
            raise exc.DisconnectionError("connection closed")
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLPRI)
        if not poller.poll(0):
            return  # nothing sent while it was idle: the usual case
        try:
            dbapi_connection.pgconn.consume_input()
            alive = dbapi_connection.pgconn.status == pq.ConnStatus.OK
        except Exception:  # noqa: BLE001 - whatever libpq says: this one is gone
            alive = False
        if not alive:
            raise exc.DisconnectionError("the server closed the connection")


def shared_limits_reachable() -> bool:
    """Tell whether the rate-limit store answers (always for the in-memory store)."""
    if current_app.config.get("RATELIMIT_STORAGE_URI", "memory://").startswith("memory://"):
        return True
    try:
        return bool(limiter.storage.check())
    except Exception:  # noqa: BLE001 - any storage failure means: not reachable
        return False
