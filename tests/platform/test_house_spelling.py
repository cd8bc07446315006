"""Names spelled as their owners write them, in every text a person reads.

The Kamer van Koophandel writes itself "KVK" since 2018; "KvK" and "Kvk" crept into the
questionnaires and their translations. This reads the questionnaires and their .po files, the
templates, the interface catalogs and the documentation. (The id `kvk_check` and the address
www.kvk.nl stay lower case: ids and addresses are not prose.)
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OLD_SPELLINGS = re.compile(r"\bK[vV]k\b|\bKvK\b")


def user_facing_files() -> list[Path]:
    found = [
        *ROOT.glob("questionnaires/*.yaml"),
        *ROOT.glob("questionnaires/*.po"),
        *ROOT.glob("scan/**/templates/**/*.html"),
        *ROOT.glob("scan/translations/**/*.po"),
        *ROOT.glob("scan/**/*.py"),
        *ROOT.glob("docs/*.md"),
        *ROOT.glob("*.md"),
        ROOT / "questionnaires" / "README.md",
    ]
    return sorted(path for path in found if path.is_file())


def test_the_pattern_finds_the_old_spellings():
    assert OLD_SPELLINGS.search("Kijk in het KvK-register")
    assert OLD_SPELLINGS.search("de Kvk")
    assert not OLD_SPELLINGS.search("Kijk in het KVK-register op www.kvk.nl (kvk_check)")


def test_kvk_is_written_as_the_organisation_writes_it():
    files = user_facing_files()
    assert any(path.suffix == ".po" for path in files) and len(files) > 50
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OLD_SPELLINGS.search(line)
    ]
    assert offenders == []
