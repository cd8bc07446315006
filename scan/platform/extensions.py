"""Flask extensions, created unbound here and bound in create_app."""

from flask import current_app, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# How long a SQLite connection waits for another one's write lock before it gives up.
SQLITE_BUSY_TIMEOUT_MS = 15_000


class Base(DeclarativeBase):
    """Declarative base for all tables."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
# In-memory storage suits one process; set RATELIMIT_STORAGE_URI (e.g. redis://) in production.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


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
