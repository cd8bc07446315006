"""The test workers' own services (tests/worker_support.py): which database, which Redis db."""

from __future__ import annotations

import pytest
from conftest import postgres_url
from template_code import compile_settings
from worker_support import (
    drop_worker_databases,
    recreate_database,
    redis_db_for_worker,
    worker_database_url,
    worker_redis_url,
)

from scan import create_app


def test_redis_db__no_list__base_plus_worker_number():
    assert [redis_db_for_worker(0, index, None) for index in range(3)] == [0, 1, 2]
    assert redis_db_for_worker(5, 2, "") == 7


def test_redis_db__explicit_list__taken_in_order():
    assert [redis_db_for_worker(14, index, "14,10") for index in range(2)] == [14, 10]


def test_redis_db__more_workers_than_listed_or_past_the_last_db__usage_error():
    with pytest.raises(pytest.UsageError, match="names 2 dbs"):
        redis_db_for_worker(14, 2, "14,10")
    with pytest.raises(pytest.UsageError, match="would need Redis db 16"):
        redis_db_for_worker(15, 1, None)


def test_worker_urls__database_name_and_redis_path_per_worker(monkeypatch):
    monkeypatch.delenv("TEST_REDIS_WORKER_DBS", raising=False)
    url = "postgresql://postgres:geheim@127.0.0.1:54329/scan_test"
    assert (
        worker_database_url(url, "gw1", "a1b2c3")
        == "postgresql://postgres:geheim@127.0.0.1:54329/scan_test_a1b2c3_gw1"
    )
    assert worker_redis_url("redis://127.0.0.1:6390/0", 2) == "redis://127.0.0.1:6390/2"
    assert worker_redis_url("redis://127.0.0.1:6390", 1) == "redis://127.0.0.1:6390/1"


def test_shared_template_code__settings_that_change_compiled_code__in_the_key(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    environment = app.jinja_env
    before = compile_settings(environment)
    environment.trim_blocks = not environment.trim_blocks
    assert compile_settings(environment) != before


@pytest.mark.postgres
def test_two_runs_on_one_server__ending_one_leaves_the_others_databases():
    """Two parallel runs on one PostgreSQL server: each drops only its own workers' databases
    (before, a run ending or starting dropped every <name>_gwN, and the other run's tests
    failed with 'database does not exist')."""
    import secrets

    import sqlalchemy

    server = postgres_url()
    name = sqlalchemy.make_url(server).database
    ours, theirs = (f"run{secrets.token_hex(3)}" for _ in range(2))
    for run in (ours, theirs):
        recreate_database(server, worker_database_url(server, "gw0", run))
    drop_worker_databases(server, ours)
    engine = sqlalchemy.create_engine(server)
    try:
        with engine.connect() as connection:
            names = set(
                connection.execute(sqlalchemy.text("SELECT datname FROM pg_database")).scalars()
            )
    finally:
        engine.dispose()
    drop_worker_databases(server, theirs)
    assert f"{name}_{theirs}_gw0" in names
    assert f"{name}_{ours}_gw0" not in names
