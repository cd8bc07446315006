"""Benchmark: the first start, loading every shipped questionnaire without the parse cache.

Figure: load_catalog on the shipped folder with no parse cache (read, locate, validate,
compile), as a new installation or a changed file does it.
Baselines from the same run: a plain `yaml.load` with libyaml's CSafeLoader of the same files
(no positions, no model, no checks), and a plain pure-Python load (PyYAML's SafeLoader).
Before: the same load with the fast path switched off, so every file goes through the full
reader (ruamel.yaml's pure parser), as every start did before.
CPU time, best of a few runs, so that other processes on the machine disturb it less.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import yaml

from bench.bench_scoring import FOLDER, LOAD_AIM_MS, best_cpu, verdict
from scan.questionnaire import libyaml_reader, load_catalog
from scan.questionnaire.loader import REGISTRY_FILE, questionnaire_paths


def plain_load(paths: list[Path], loader: type) -> None:
    """Load the files with a plain safe YAML load: no positions, no model, no checks."""
    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def main() -> None:
    """Print the first-start figure, its baselines, the ratios and the verdict."""
    paths = [*questionnaire_paths(FOLDER), FOLDER / REGISTRY_FILE]
    first_ms = best_cpu(lambda: load_catalog(FOLDER)) * 1000
    c_ms = best_cpu(lambda: plain_load(paths, yaml.CSafeLoader)) * 1000
    pure_ms = best_cpu(lambda: plain_load(paths, yaml.SafeLoader)) * 1000
    with mock.patch.object(libyaml_reader, "LIBYAML", False):
        before_ms = best_cpu(lambda: load_catalog(FOLDER), times=2) * 1000
    print(
        f"first start, {len(paths)} files (no parse cache): {first_ms:8.1f} ms  "
        f"(aim < {LOAD_AIM_MS:.0f} ms: {verdict(first_ms, LOAD_AIM_MS)}; "
        f"libyaml: {libyaml_reader.LIBYAML})"
    )
    print(f"before (full reader for every file):       {before_ms:8.1f} ms")
    print(f"baseline: yaml.load, CSafeLoader:          {c_ms:8.1f} ms")
    print(f"baseline: yaml.load, pure-Python loader:   {pure_ms:8.1f} ms")
    print(f"ratio to the C load:                       {first_ms / c_ms:8.1f}x")
    print(f"ratio to the pure-Python load:             {first_ms / pure_ms:8.2f}x")
    print(f"speed-up over the full reader:             {before_ms / first_ms:8.1f}x")


if __name__ == "__main__":
    main()
