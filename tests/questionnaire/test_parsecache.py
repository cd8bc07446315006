"""The parse cache: same data and positions as a parse, and never trusted when damaged."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from loader_samples import MINI

from scan import create_app
from scan.questionnaire import Catalog, QuestionnaireError, load_catalog
from scan.questionnaire.located import LocatedDict, LocatedList
from scan.questionnaire.parsecache import ParseCache
from scan.questionnaire.snapshots import to_snapshot
from scan.questionnaire.yamlsource import read_yaml_file, read_yaml_text

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"


def located(node):
    """Return located data as plain values with every position, to compare two reads."""
    if isinstance(node, LocatedDict):
        return (
            "d",
            str(node.position),
            [
                (k, str(node.key_positions[k]), str(node.value_positions[k]), located(v))
                for k, v in node.items()
            ],
        )
    if isinstance(node, LocatedList):
        return (
            "l",
            str(node.position),
            [(str(p), located(v)) for p, v in zip(node.item_positions, node, strict=True)],
        )
    return (type(node).__name__, node)


@pytest.fixture
def cache(tmp_path):
    return ParseCache(tmp_path / "cache", "a secret key")


def entry(cache: ParseCache) -> Path:
    (path,) = cache.folder.glob("*.json")
    return path


@pytest.mark.parametrize("path", sorted(QUESTIONNAIRES.glob("*.yaml")), ids=lambda p: p.name)
def test_a_cached_read_equals_a_parse_with_every_position(cache, path):
    parsed = read_yaml_file(path)
    assert located(read_yaml_file(path, cache=cache)) == located(parsed)  # parses, stores
    assert len(list(cache.folder.glob("*.json"))) == 1
    again = read_yaml_file(path, cache=cache)
    assert located(again) == located(parsed)
    assert cache.get(path.read_bytes(), str(path)) is not None  # it came from the cache


@pytest.mark.slow
def test_a_cached_catalog_equals_a_parsed_one(cache):
    parsed = load_catalog(QUESTIONNAIRES)
    load_catalog(QUESTIONNAIRES, cache)
    cached = load_catalog(QUESTIONNAIRES, cache)
    assert len(list(cache.folder.glob("*.json"))) == len(list(QUESTIONNAIRES.glob("*.yaml")))
    assert {k: to_snapshot(q) for k, q in cached.versions.items()} == {
        k: to_snapshot(q) for k, q in parsed.versions.items()
    }


def test_a_file_with_errors_is_never_cached_and_keeps_its_position(cache):
    text = MINI.replace("weight: 2", "weight: [2")
    for _ in range(2):
        with pytest.raises(QuestionnaireError) as exc:
            read_yaml_text(text, "mini.yaml", cache)
        assert str(exc.value.problems[0].position).startswith("mini.yaml:")
    assert not cache.folder.exists() or not list(cache.folder.glob("*.json"))


def test_positions_name_the_file_being_read_not_the_one_cached(cache):
    read_yaml_text(MINI, "first.yaml", cache)
    data = read_yaml_text(MINI, "second.yaml", cache)
    assert cache.get(MINI.encode(), "x") is not None
    assert located(data) == located(read_yaml_text(MINI, "second.yaml"))
    assert str(data["themes"][1].position).startswith("second.yaml:")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) // 2], id="truncated"),
        pytest.param(lambda b: b"", id="empty"),
        pytest.param(lambda b: b"\xff\xfe\x00garbage", id="garbage"),
        pytest.param(lambda b: b.replace(b"Mini", b"Maxi"), id="tampered-data"),
    ],
)
def test_a_damaged_entry_is_ignored_and_the_file_parsed_again(cache, damage):
    parsed = read_yaml_text(MINI, "mini.yaml")
    read_yaml_text(MINI, "mini.yaml", cache)
    path = entry(cache)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get(MINI.encode(), "mini.yaml") is None
    data = read_yaml_text(MINI, "mini.yaml", cache)
    assert located(data) == located(parsed)
    assert cache.get(MINI.encode(), "mini.yaml") is not None  # and stored afresh


def test_an_entry_signed_with_another_key_is_not_trusted(cache):
    read_yaml_text(MINI, "mini.yaml", cache)
    stranger = ParseCache(cache.folder, "another key")
    assert stranger.get(MINI.encode(), "mini.yaml") is None


def test_a_well_signed_entry_of_bad_shape_is_refused(cache):
    """Even with the key, data that is not located data is refused, not returned."""
    read_yaml_text(MINI, "mini.yaml", cache)
    path = entry(cache)
    digest = hashlib.sha256(MINI.encode()).hexdigest()
    for payload in (b'["d",0,1,[]]', b'{"id": "mini"}', b'["d",1,1,[[1,1,1,1,1,"x"]]]'):
        path.write_bytes(cache._mac(digest, payload).encode() + b"\n" + payload)
        assert cache.get(MINI.encode(), "mini.yaml") is None
    good = b'["d",1,1,[["id",1,1,1,5,"mini"]]]'
    path.write_bytes(cache._mac(digest, good).encode() + b"\n" + good)
    assert cache.get(MINI.encode(), "mini.yaml") == {"id": "mini"}


def test_an_entry_for_other_bytes_does_not_serve_a_changed_file(cache):
    read_yaml_text(MINI, "mini.yaml", cache)
    changed = MINI.replace("title: Mini", "title: Anders")
    assert read_yaml_text(changed, "mini.yaml", cache)["title"] == "Anders"


def test_an_unwritable_cache_folder_only_costs_the_parse(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = ParseCache(blocker / "cache", "k")
    assert read_yaml_text(MINI, "mini.yaml", cache)["id"] == "mini"


def test_the_app_loads_its_catalog_at_start_when_not_testing(tmp_path):
    folder = tmp_path / "questionnaires"
    shutil.copytree(QUESTIONNAIRES, folder)
    config = {
        "SECRET_KEY": "x",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "QUESTIONNAIRE_DIR": str(folder),
        "QUESTIONNAIRE_CACHE_DIR": str(tmp_path / "cache"),
    }
    app = create_app(config)
    assert "scan_catalog" in app.extensions
    assert len(list((tmp_path / "cache").glob("*.json"))) == len(list(folder.glob("*.yaml")))
    testing = create_app({**config, "TESTING": True})
    assert "scan_catalog" not in testing.extensions


def test_a_broken_registry_stops_the_server_but_not_the_cli(tmp_path, caplog):
    import click

    from scan import StartupError

    folder = tmp_path / "questionnaires"
    shutil.copytree(QUESTIONNAIRES, folder)
    (folder / "referrals.yaml").write_text("referrals: [\n", encoding="utf-8")
    config = {
        "SECRET_KEY": "x",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "QUESTIONNAIRE_DIR": str(folder),
        "QUESTIONNAIRE_CACHE_DIR": "",
    }
    with pytest.raises(StartupError, match="referrals.yaml:"):
        create_app(config)  # a server (no CLI) refuses to start
    with click.Context(click.Command("check")):  # commands such as 'check' still run
        app = create_app(config)
    assert not isinstance(app.extensions.get("scan_catalog"), Catalog)
    assert "questionnaires not loaded" in caplog.text
    assert "referrals.yaml:" in caplog.text
