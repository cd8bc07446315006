"""The personal link on the resume page comes from PUBLIC_BASE_URL, never from the Host header."""

from __future__ import annotations

import pytest
from conftest import make_app

from scan.extensions import db

FORGED = {"Host": "evil.example"}


def _start(client) -> str:
    from portal_factories import csrf_token

    token = csrf_token(client, "/scan/vastgoed")
    response = client.post("/scan/vastgoed/start", data={"csrf_token": token})
    assert response.status_code == 302
    return response.location


def _app(tmp_path, **extra):
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'u.sqlite'}"}, **extra)
    with app.app_context():
        db.create_all()
    return app


def test_resume_link__forged_host__uses_configured_base(tmp_path):
    app = _app(tmp_path, PUBLIC_BASE_URL="https://weerbaarheidsscan.example/")
    client = app.test_client()
    resume = _start(client)
    page = client.get(resume, headers=FORGED).get_data(as_text=True)
    assert "evil.example" not in page
    assert f'value="https://weerbaarheidsscan.example{resume.split("?")[0]}"' in page


def test_resume_link__production_without_base__refused_not_guessed(tmp_path, caplog):
    app = _app(tmp_path, TESTING=False)
    client = app.test_client()
    resume = _start(client)
    response = client.get(resume, headers=FORGED)
    assert response.status_code == 500
    assert "evil.example" not in response.get_data(as_text=True)
    assert any("PUBLIC_BASE_URL" in r.getMessage() for r in caplog.records)


def test_resume_link__development__falls_back_to_request_host(tmp_path):
    app = _app(tmp_path)
    client = app.test_client()
    resume = _start(client)
    page = client.get(resume).get_data(as_text=True)
    assert f'value="http://localhost{resume.split("?")[0]}"' in page


@pytest.mark.parametrize("value", ["weerbaarheidsscan.example", "ftp://x.example", "https://"])
def test_public_base_url__malformed__refused_at_start(tmp_path, value):
    with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
        _app(tmp_path, PUBLIC_BASE_URL=value)
