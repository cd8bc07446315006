"""The wheel carries everything the app needs, and works installed outside the checkout."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def tracked(folder: str) -> list[str]:
    """Return the files git tracks under a folder of the checkout, relative to the checkout."""
    listed = subprocess.run(
        ["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [line for line in listed.stdout.splitlines() if "__pycache__" not in line]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the project's wheel with `pip wheel .`, as a packager would."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("weerbaarheidsscan-*.whl")
    return built


def test_wheel__holds_templates_static_questionnaires_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = "scan/platform/shipped/"
    expected = [shipped + path for path in tracked("questionnaires") + tracked("migrations")]
    expected += [path for path in tracked("scan") if "/templates/" in path or "/static/" in path]
    assert [path for path in expected if path not in names] == []
    assert shipped + "questionnaires/referrals.yaml" in names
    assert shipped + "questionnaires/examples/voorbeeld-branche.yaml" in names
    assert shipped + "migrations/env.py" in names and shipped + "migrations/alembic.ini" in names
    assert "scan/platform/templates/base.html" in names
    # The languages: compiled catalogs, the questionnaires' translations, the PDF's font.
    for language in ("en", "pl"):
        assert f"scan/translations/{language}/LC_MESSAGES/messages.mo" in names
        assert shipped + f"questionnaires/voorbeeld.{language}.po" in names
    assert "scan/report/fonts/DejaVuSans.ttf" in names
    assert "scan/report/fonts/LICENSE-DejaVu.txt" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    assert not [name for name in names if name.startswith(("tests/", "bench/"))]


@pytest.mark.slow
def test_wheel__installed_in_a_fresh_venv__init_and_list_work(wheel, tmp_path):
    # The fresh venv gets the wheel itself; its dependencies come from this venv's
    # site-packages through a .pth line (whose own .pth files, such as the editable install
    # of the checkout, are not read), so the test needs no package index.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    fresh_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(fresh_site, "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QUESTIONNAIRE", "DATABASE_URL", "FLASK", "PYTHON"))
    }

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(python), *args], cwd=work, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = run("-c", "import scan; print(scan.__file__)")
    assert where.startswith(str(venv)) and not where.startswith(str(ROOT))
    run("-m", "flask", "--app", "scan", "init")
    listed = run("-m", "flask", "--app", "scan", "questionnaires", "list")
    for sector in ("haven", "transport", "vastgoed", "bedrijventerreinen"):
        assert sector in listed
    instance = venv / "var" / "scan-instance"
    assert (instance / "weerbaarheidsscan.sqlite").is_file()
    assert (instance / "secret_key").is_file()


def test_publiccode__has_the_keys_the_standard_requires():
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text())
    assert data["publiccodeYmlVersion"] == "0.4"
    for key in ("name", "url", "platforms", "softwareType", "developmentStatus", "description"):
        assert data.get(key), key
    assert data["developmentStatus"] in {"concept", "development", "beta", "stable", "obsolete"}
    assert data["softwareType"] in {
        "standalone/mobile",
        "standalone/iot",
        "standalone/desktop",
        "standalone/web",
        "standalone/backend",
        "standalone/other",
        "addon",
        "library",
        "configurationFiles",
    }
    assert set(data["description"]) >= {"nl", "en"}
    for text in data["description"].values():
        assert 0 < len(text["shortDescription"]) <= 150
        assert 150 <= len(text["longDescription"]) <= 10_000
        assert text["features"]
    assert data["legal"]["license"] == "EUPL-1.2"
    maintenance = data["maintenance"]
    assert maintenance["type"] in {"internal", "contract", "community", "none"}
    if maintenance["type"] in {"internal", "contract"}:
        assert maintenance["contacts"]
    assert isinstance(data["localisation"]["localisationReady"], bool)
    assert data["localisation"]["availableLanguages"]
    assert all(dependency["name"] for dependency in data["dependsOn"]["open"])


def test_publiccode__url_and_version_true_to_the_project():
    """The repository address is real, or says plainly that there is none yet (the reserved
    .invalid domain with a comment saying so); never a placeholder that looks like an address
    (example.org); the version is the package's."""
    import tomllib
    from urllib.parse import urlsplit

    text = (ROOT / "publiccode.yml").read_text()
    data = yaml.safe_load(text)
    url = urlsplit(data["url"])
    assert url.scheme == "https"
    host = url.hostname or ""
    assert not host.startswith("example.") and not host.endswith((".example", ".test")), host
    if host.endswith(".invalid"):
        assert "UNKNOWN" in text.split("url:")[0]  # the file says why there is no address
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert data["softwareVersion"] == project["version"]


def test_license__is_the_full_eupl_1_2_text():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    for article in ("Definitions", "Copyleft clause", "Applicable Law", "Appendix"):
        assert article in text
    assert len(text) > 12_000


def test_lock_file__pins_every_production_dependency_within_its_range():
    # Before: Flask-Babel and Babel were added to pyproject.toml without `make lock`, so the
    # documented production install (pip install --require-hashes -r requirements.lock)
    # lacked them and the app could not start.
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(line) for line in project["dependencies"]]
    wanted += [Requirement(line) for line in project["optional-dependencies"]["postgres"]]
    pinned = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, version = line.split(" ")[0].split("==")
            pinned[canonicalize_name(name)] = version
    missing = [str(r) for r in wanted if canonicalize_name(r.name) not in pinned]
    outside = [
        f"{r.name}=={pinned[canonicalize_name(r.name)]} not in {r.specifier}"
        for r in wanted
        if canonicalize_name(r.name) in pinned
        and not r.specifier.contains(pinned[canonicalize_name(r.name)])
    ]
    assert missing == [] and outside == []
