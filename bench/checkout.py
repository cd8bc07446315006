"""Measure another checkout's code (BENCH_BEFORE) with this checkout's bench, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def figures_of(checkout: str, script: str, *args: str) -> dict:
    """Run `script --json *args` on that checkout's scan package (this checkout's bench
    package), in that checkout's folder, and return the JSON figures it prints last."""
    with tempfile.TemporaryDirectory(prefix="bench-before-") as tmp:
        (Path(tmp) / "scan").symlink_to(Path(checkout).resolve() / "scan")
        env = {**os.environ, "PYTHONPATH": f"{tmp}{os.pathsep}{ROOT}"}
        result = subprocess.run(
            [sys.executable, script, "--json", *args],
            env=env,
            cwd=checkout,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(result.stdout.strip().splitlines()[-1])
