"""Run every benchmark module in bench/ (python -m bench [NAME ...])."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench


def main(names: list[str]) -> None:
    """Import each bench_*.py module (or only the named ones) and run its main()."""
    modules = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    for name in modules:
        if names and name not in names and name.removeprefix("bench_") not in names:
            continue
        print(f"== {name}", flush=True)
        importlib.import_module(f"bench.{name}").main()
        print(flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
