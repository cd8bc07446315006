"""The personal link on the resume page comes from PUBLIC_BASE_URL, never from the Host header."""

from __future__ import annotations

import re

import pytest
from conftest import create_tables, make_app

FORGED = {"Host": "evil.example"}
LINK = r'value="{base}/scan/[A-Za-z0-9_-]{{32}}/"'  # the personal link on the link page


def _start(client, headers=None) -> str:
    from portal_factories import CSRF

    token = CSRF.search(client.get("/scan/vastgoed", headers=headers).get_data(as_text=True))[1]
    response = client.post("/scan/vastgoed/start", data={"csrf_token": token}, headers=headers)
    assert response.status_code == 302
    return response.location  # the link page, which shows the personal link once


def _app(tmp_path, **extra):
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'u.sqlite'}"}, **extra)
    with app.app_context():
        create_tables()
    return app


def test_resume_link__forged_host__uses_configured_base(tmp_path):
    app = _app(tmp_path, PUBLIC_BASE_URL="https://weerbaarheidsscan.example/")
    client = app.test_client()
    resume = _start(client, FORGED)  # the session cookie belongs to the forged host
    page = client.get(resume, headers=FORGED).get_data(as_text=True)
    assert "evil.example" not in page
    assert re.search(LINK.format(base=re.escape("https://weerbaarheidsscan.example")), page)


def test_resume_link__production_without_base__refused_not_guessed(tmp_path, caplog):
    app = _app(tmp_path, TESTING=False)
    client = app.test_client()
    resume = _start(client, FORGED)  # the session cookie belongs to the forged host
    response = client.get(resume, headers=FORGED)
    assert response.status_code == 500
    assert "evil.example" not in response.get_data(as_text=True)
    assert any("PUBLIC_BASE_URL" in r.getMessage() for r in caplog.records)


def test_resume_link__development__falls_back_to_request_host(tmp_path):
    app = _app(tmp_path)
    client = app.test_client()
    resume = _start(client)
    page = client.get(resume).get_data(as_text=True)
    assert re.search(LINK.format(base=re.escape("http://localhost")), page)


@pytest.mark.parametrize("value", ["weerbaarheidsscan.example", "ftp://x.example", "https://"])
def test_public_base_url__malformed__refused_at_start(tmp_path, value):
    with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
        _app(tmp_path, PUBLIC_BASE_URL=value)
