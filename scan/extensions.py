"""Flask extensions, created unbound here and bound in create_app."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
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
login_manager = LoginManager()


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
