"""House rules read from the source: modules stay small, views stay thin."""

from __future__ import annotations

import ast
from pathlib import Path

import scan

PACKAGE = Path(scan.__file__).parent
MAX_MODULE_LINES = 450
MAX_VIEW_LINES = 40
DATABASE_WORDS = ("db.session", "select(", ".query")


def modules() -> list[Path]:
    """Return every Python module of the package."""
    return sorted(PACKAGE.rglob("*.py"))


def views_modules() -> list[Path]:
    """Return the modules that hold views: views.py and *_views.py in every room."""
    return [p for p in modules() if p.name == "views.py" or p.name.endswith("_views.py")]


def view_functions(path: Path) -> list[ast.FunctionDef]:
    """Return the functions of a views module that a route or error handler decorates."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(
            isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
            for d in node.decorator_list
        )
    ]


def test_modules__stay_under_the_line_limit():
    too_long = {
        str(path.relative_to(PACKAGE)): count
        for path in modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines: {too_long}"


def test_views_modules__are_found():
    names = {p.name for p in views_modules()}
    assert {"views.py", "sharing_views.py", "preview_views.py"} <= names


def test_view_functions__stay_under_the_line_limit():
    too_long = {
        f"{path.relative_to(PACKAGE)}:{node.name}": node.end_lineno - node.lineno + 1
        for path in views_modules()
        for node in view_functions(path)
        if node.end_lineno - node.lineno + 1 > MAX_VIEW_LINES
    }
    assert not too_long, f"views over {MAX_VIEW_LINES} lines: {too_long}"


def test_views_modules__leave_the_database_to_services():
    found = {
        f"{path.relative_to(PACKAGE)}:{number}": line.strip()
        for path in views_modules()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(word in line for word in DATABASE_WORDS)
    }
    assert not found, f"views modules that query or write the database: {found}"
