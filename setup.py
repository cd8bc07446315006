"""Build hook: the wheel carries the shipped questionnaires and the migrations.

Authors edit questionnaires/ and migrations/ at the top of the checkout; a wheel has no
checkout, so the build copies both into scan/platform/shipped/, where scan.platform.config
finds them wherever the package is installed. Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("questionnaires", "migrations")


class BuildWithShippedData(build_py):
    """build_py that also copies the shipped data folders into the built package."""

    def run(self):
        super().run()
        shipped = Path(self.build_lib) / "scan" / "platform" / "shipped"
        shutil.rmtree(shipped, ignore_errors=True)  # no file deleted since the last build
        for folder in SHIPPED:
            for source in sorted((ROOT / folder).rglob("*")):
                if source.is_dir() or "__pycache__" in source.parts:
                    continue
                relative = source.relative_to(ROOT)
                target = shipped / relative
                self.mkpath(str(target.parent))
                self.copy_file(str(source), str(target))


setup(cmdclass={"build_py": BuildWithShippedData})
