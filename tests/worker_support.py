"""Each pytest-xdist worker on services of its own: a PostgreSQL database and a Redis db.

`make test` runs the suite in several worker processes (pytest -n). Tests on PostgreSQL already
work in a schema of their own, but the workers also get a database each, so that nothing one
worker creates or drops (schemas, connections, a database a test makes) can meet another's; the
Redis tests read and delete the rate-limit keys they find, so each worker gets its own db number.
Ports are free ones the kernel hands out (bind to port 0) and pytest gives every worker its own
temporary folder, so those need nothing here.

The worker's settings replace TEST_DATABASE_URL and TEST_REDIS_URL in its environment, so
fixtures and the gunicorn, flask and nginx subprocesses the tests start all use them. A worker's
database name carries the run's own id (TEST_RUN_ID, made by the controller), so that two runs
on one PostgreSQL server (two engineers, two checkouts) never drop each other's databases.
"""

from __future__ import annotations

import os
import secrets

import pytest

# Redis db numbers per worker: TEST_REDIS_WORKER_DBS="14,10" gives gw0 db 14 and gw1 db 10
# (a machine where other people use the dbs in between). Without it worker n gets the db of
# TEST_REDIS_URL plus n: CI's base 0 gives 0, 1, 2 ...
REDIS_DBS_VARIABLE = "TEST_REDIS_WORKER_DBS"
REDIS_DB_COUNT = 16  # redis-server's default number of databases
RUN_VARIABLE = "TEST_RUN_ID"  # set by the controller, inherited by its workers


def worker_name() -> str:
    """Return the xdist worker's name ("gw0", "gw1" ...), or "" outside xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def worker_index(name: str) -> int:
    return int(name.removeprefix("gw"))


def redis_db_for_worker(base: int, index: int, explicit: str | None) -> int:
    """Return the Redis db number of worker `index`: from the explicit list, else base + index."""
    if explicit:
        numbers = [int(part) for part in explicit.split(",") if part.strip()]
        if index >= len(numbers):
            raise pytest.UsageError(
                f"{REDIS_DBS_VARIABLE}={explicit} names {len(numbers)} dbs, "
                f"but worker {index + 1} needs one: name more or run fewer workers (-n)"
            )
        return numbers[index]
    number = base + index
    if number >= REDIS_DB_COUNT:
        raise pytest.UsageError(
            f"worker {index} would need Redis db {number}: lower TEST_REDIS_URL's db "
            f"or set {REDIS_DBS_VARIABLE}"
        )
    return number


def worker_redis_url(url: str, index: int) -> str:
    """Return TEST_REDIS_URL with the worker's db number in its path."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    number = redis_db_for_worker(base, index, os.environ.get(REDIS_DBS_VARIABLE))
    return parts._replace(path=f"/{number}").geturl()


def worker_database_url(url: str, worker: str, run: str) -> str:
    """Return TEST_DATABASE_URL on the worker's database: its name plus the run's id and
    _gw0, _gw1 ..."""
    import sqlalchemy

    parsed = sqlalchemy.make_url(url)
    name = f"{parsed.database}_{run}_{worker}"
    return parsed.set(database=name).render_as_string(hide_password=False)


def _admin_engine(url: str):
    """An autocommit engine on the server's base database (CREATE DATABASE needs autocommit)."""
    import sqlalchemy

    from scan.platform.config import database_uri

    return sqlalchemy.create_engine(database_uri(url), isolation_level="AUTOCOMMIT")


def recreate_database(base_url: str, worker_url: str) -> None:
    """Drop the worker's database if a run before left it, and create it empty."""
    import sqlalchemy

    name = sqlalchemy.make_url(worker_url).database
    engine = _admin_engine(base_url)
    try:
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


def drop_worker_databases(base_url: str, run: str) -> None:
    """Drop this run's worker databases (the controller, after the workers)."""
    import re

    import sqlalchemy

    name = sqlalchemy.make_url(base_url).database
    engine = _admin_engine(base_url)
    try:
        with engine.connect() as connection:
            names = connection.execute(
                sqlalchemy.text("SELECT datname FROM pg_database WHERE datname ~ :pattern"),
                {"pattern": f"^{re.escape(name)}_{re.escape(run)}_gw[0-9]+$"},
            ).scalars()
            for worker_database in list(names):
                connection.execute(
                    sqlalchemy.text(f'DROP DATABASE IF EXISTS "{worker_database}" WITH (FORCE)')
                )
    finally:
        engine.dispose()


def isolate_worker(config) -> None:
    """In an xdist worker: point TEST_DATABASE_URL and TEST_REDIS_URL at the worker's own.

    In the controller of a parallel run: give the run its id, before the workers start.
    """
    worker = worker_name()
    if not worker:
        if getattr(config.option, "numprocesses", None):
            os.environ[RUN_VARIABLE] = secrets.token_hex(3)
        return
    database_url = os.environ.get("TEST_DATABASE_URL")
    if database_url:
        own = worker_database_url(database_url, worker, os.environ.get(RUN_VARIABLE, "solo"))
        recreate_database(database_url, own)
        os.environ["TEST_DATABASE_URL"] = own
    redis_url = os.environ.get("TEST_REDIS_URL")
    if redis_url:
        os.environ["TEST_REDIS_URL"] = worker_redis_url(redis_url, worker_index(worker))


def release_workers(config) -> None:
    """In the xdist controller, once every worker is done: drop the workers' databases.

    (A worker cannot do it itself: the controller may end it before its own clean-up ran.)
    """
    database_url = os.environ.get("TEST_DATABASE_URL")
    if worker_name() or not database_url or not getattr(config.option, "numprocesses", None):
        return
    drop_worker_databases(database_url, os.environ[RUN_VARIABLE])
