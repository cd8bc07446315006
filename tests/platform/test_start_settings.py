"""A wrong configuration stops the start, not every request (issue 22): gunicorn without a
setting production needs exits with one line naming it; development starts with nothing set."""

from __future__ import annotations

import os
import subprocess

import pytest
from gunicorn_support import GUNICORN, ROOT, free_port

from scan import create_app
from scan.platform import config


def _start_gunicorn(tmp_path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY",)}
    environment.pop("PUBLIC_BASE_URL", None)
    environment.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}", **env)
    port = free_port()
    return subprocess.run(
        [str(GUNICORN), "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
def test_gunicorn__public_base_url_missing__refuses_to_start_with_one_line(tmp_path):
    finished = _start_gunicorn(tmp_path, SECRET_KEY="s")
    output = finished.stderr + finished.stdout
    assert finished.returncode != 0
    lines = [x for x in output.splitlines() if "Not started" in x]
    assert len(lines) == 1 and "PUBLIC_BASE_URL is not set" in lines[0]
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("settings", "missing"),
    [
        ({"SECRET_KEY": "s"}, "PUBLIC_BASE_URL"),
        ({"PUBLIC_BASE_URL": "https://scan.example"}, "SECRET_KEY"),
    ],
)
def test_production_settings__each_missing_one__named(tmp_path, monkeypatch, settings, missing):
    monkeypatch.setattr(config, "read_secret_key", lambda _folder: None)  # no instance key
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}", **settings})
    with pytest.raises(config.MissingSetting, match=f"{missing} is not set"):
        config.require_production_settings(app)


def test_development__nothing_set__starts_and_answers(tmp_path, monkeypatch):
    for name in ("SECRET_KEY", "PUBLIC_BASE_URL", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    app = create_app()
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'dev.sqlite'}"
    assert app.test_client().get("/healthz").status_code in (200, 503)
