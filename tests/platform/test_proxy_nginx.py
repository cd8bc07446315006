"""The documented nginx in front of gunicorn (issue 22): the nginx block of docs/deploy.md, run
on loopback without TLS, passes a 70 KB studio save and keeps /healthz quick while 60 clients
stall. Skipped only where nginx is not installed; REQUIRE_NGINX=1 (CI) makes that a failure."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request

import pytest
from gunicorn_support import ROOT, free_port, gunicorn
from portal_factories import PASSWORD, make_org, make_user
from studio_samples import OVERLAY
from test_serving import sqlite_app

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.studio import documents

# Timed answers and several server processes: run alone, after the parallel part (make test).
pytestmark = pytest.mark.serial

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
STALLED = 60


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail("REQUIRE_NGINX=1 but nginx is not installed")
        pytest.skip("nginx is not installed")
    return found


def documented_config(folder, port: int, upstream: int) -> str:
    """Return the nginx block of docs/deploy.md for loopback: no TLS, files in folder."""
    text = (ROOT / "docs" / "deploy.md").read_text()
    block = re.search(r"```nginx\n(.*?)```", text, re.S).group(1)
    block = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", block, flags=re.S)
    block = block.replace("listen 443 ssl;", f"listen 127.0.0.1:{port};")
    block = re.sub(r"\n\s*(http2 on|ssl_certificate\S*)[^\n]*", "", block)
    block = re.sub(r"access_log \S+", f"access_log {folder}/access.log", block)
    block = re.sub(r"error_log \S+", f"error_log {folder}/error.log", block)
    block = re.sub(
        r"(\n\s*server 10\.0\.0\.\d+:8000;[^\n]*)+", f"\n    server 127.0.0.1:{upstream};", block
    )
    temp = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/main-error.log;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n{temp}\n{block}\n}}\n"
    )


@contextlib.contextmanager
def nginx_in_front(folder, upstream: int):
    binary = nginx_binary()
    port = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(documented_config(folder, port, upstream))
    process = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(conf), "-e", str(folder / "main-error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            assert process.poll() is None, (folder / "main-error.log").read_text()
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    break
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    nginx_binary()
    folder = tmp_path_factory.mktemp("nginx")
    app = sqlite_app(folder / "db.sqlite")
    with app.app_context():
        branch = make_org("Recron", kind="branche")
        make_user("branche@recron.nl", "branch_admin", branch)
        doc, _ = documents.import_text(branch, "test", OVERLAY, get_catalog())
        db.session.commit()
        public_id = doc.public_id
        db.engine.dispose()
    log = folder / "gunicorn.log"
    with gunicorn(f"sqlite:///{folder / 'db.sqlite'}", "-w", "2", log=log) as straight:
        upstream = int(straight.rsplit(":", 1)[1])
        with nginx_in_front(folder, upstream) as base:
            yield base, public_id, folder


def test_studio_save_of_70_kb__passes_the_proxy(proxied):
    base, public_id, folder = proxied
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def form(url: str) -> str:
        with browser.open(base + url, timeout=10) as response:
            return CSRF.search(response.read().decode()).group(1)

    login = {"csrf_token": form("/inloggen"), "email": "branche@recron.nl", "password": PASSWORD}
    browser.open(base + "/inloggen", urllib.parse.urlencode(login).encode(), timeout=30).close()
    padding = "".join(f"# Uitleg bij regel {i}: één wijziging, zó bedoeld.\n" for i in range(900))
    text = OVERLAY + padding
    body = urllib.parse.urlencode(
        {"csrf_token": form(f"/studio/{public_id}"), "source": text, "action": "opslaan"}
    ).encode()
    assert 65 * 1024 < len(body) < 90 * 1024  # a haven-sized document: about 70 KB
    with browser.open(f"{base}/studio/{public_id}", body, timeout=30) as response:
        assert response.status == 200
        assert "Opgeslagen." in response.read().decode()


def test_sixty_stalled_clients__healthz_answers_within_a_second(proxied):
    base, _, _ = proxied
    port = int(base.rsplit(":", 1)[1])
    stalled = []
    try:
        for i in range(STALLED):
            sock = socket.create_connection(("127.0.0.1", port))
            if i % 2:  # half stop inside the headers, half announce a body and never send it
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            else:
                sock.sendall(
                    b"POST /inloggen HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\n\r\nemail="
                )
            stalled.append(sock)
        time.sleep(0.5)
        timings = []
        for _ in range(5):
            start = time.monotonic()
            with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
                assert response.status == 200
            timings.append(time.monotonic() - start)
        assert max(timings) < 1.0, timings
    finally:
        for sock in stalled:
            sock.close()
