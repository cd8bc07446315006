"""The app's questionnaire catalog: the shipped files plus the published documents.

The files are loaded once per process and folder state. The documents come from the database;
every publish or retire raises the generation in the catalog_state row, and each process
checks that number at most every CATALOG_CHECK_SECONDS and rebuilds its catalog when it moved.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from scan.platform.cache import lru
from scan.platform.extensions import db
from scan.platform.models import CatalogState, Organisation, QuestionnaireDocument
from scan.questionnaire import Catalog, Problem, QuestionnaireError, load_catalog
from scan.questionnaire.loader import SourceText, with_documents
from scan.questionnaire.parsecache import ParseCache

# A loaded catalog, keyed on the folder and the name, modification time and size of every
# YAML file in it. Safe: a changed, added or removed file changes the key, and a catalog is
# never changed after loading. Apps (e.g. in tests) that share a folder share its catalog.
_catalogs = lru("catalogs", 8)


@dataclass
class _State:
    """One app's catalog, the generation it was built from and when that was last checked."""

    files: Catalog | None = None
    catalog: Catalog | None = None
    generation: int | None = None
    checked_at: float = float("-inf")
    lock: threading.Lock = field(default_factory=threading.Lock)


def get_catalog(app: Flask | None = None) -> Catalog:
    """Return the catalog of the current app, rebuilt when a document was published or retired."""
    app = app or current_app
    state = app.extensions.setdefault("scan_catalog", _State())
    if isinstance(state, Catalog):  # a catalog set by hand (tests pin one) is used as it is
        return state
    interval = app.config.get("CATALOG_CHECK_SECONDS", 1.0)
    if state.catalog is not None and time.monotonic() - state.checked_at < interval:
        return state.catalog
    with state.lock:
        if state.catalog is not None and time.monotonic() - state.checked_at < interval:
            return state.catalog
        if state.files is None:
            state.files = file_catalog(app)
        generation = _generation()
        if state.catalog is None or generation != state.generation:
            documents = _published() if generation is not None else []
            catalog = _with(state.files, documents) if documents else state.files
            for problem in catalog.problems[len(state.files.problems) :]:
                if problem.severity == "error":
                    app.logger.error("published questionnaire refused: %s", problem)
            state.catalog, state.generation = catalog, generation
        state.checked_at = time.monotonic()
        return state.catalog


def bump_generation() -> None:
    """Raise the catalog generation in the caller's transaction (every process reloads)."""
    result = db.session.execute(
        update(CatalogState)
        .where(CatalogState.id == 1)
        .values(generation=CatalogState.generation + 1)
    )
    if result.rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.add(CatalogState(id=1, generation=1))
    except IntegrityError:  # another process made the row at the same moment
        db.session.execute(
            update(CatalogState)
            .where(CatalogState.id == 1)
            .values(generation=CatalogState.generation + 1)
        )


def invalidate(app: Flask | None = None) -> None:
    """Make the next get_catalog of this app check the generation at once."""
    state = (app or current_app).extensions.get("scan_catalog")
    if isinstance(state, _State):
        state.checked_at = float("-inf")


def file_catalog(app: Flask) -> Catalog:
    """Return the catalog of the shipped files only; raise QuestionnaireError on a bad registry."""
    catalog = _load(Path(app.config["QUESTIONNAIRE_DIR"]), _parse_cache(app))
    for problem in catalog.problems:
        if problem.severity == "error":
            app.logger.error("questionnaire refused: %s", problem)
    return catalog


def shipped_errors(app: Flask) -> list[Problem]:
    """Return every error in the shipped questionnaire files and referral registry."""
    try:
        catalog = _load(Path(app.config["QUESTIONNAIRE_DIR"]), _parse_cache(app))
    except QuestionnaireError as exc:
        return exc.problems
    return [p for p in catalog.problems if p.severity == "error"]


def _generation() -> int | None:
    """Return the catalog generation in the database (None before the tables exist)."""
    try:
        with db.engine.connect() as connection:
            value = connection.execute(select(CatalogState.generation)).scalar()
    except SQLAlchemyError:  # not migrated yet: only the files count
        return None
    return value or 0


def _published() -> list[SourceText]:
    """Return the published documents as source texts, owner named by organisation."""
    query = (
        select(QuestionnaireDocument.version, QuestionnaireDocument.questionnaire_id)
        .add_columns(QuestionnaireDocument.source, Organisation.name)
        .join(Organisation, QuestionnaireDocument.organisation_id == Organisation.id)
        .where(QuestionnaireDocument.status == "published")
        .order_by(QuestionnaireDocument.questionnaire_id, QuestionnaireDocument.version)
    )
    with db.engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        SourceText(f"{qid}@{version}.yaml", source, owner, (qid, version))
        for version, qid, source, owner in rows
    ]


# The files plus published documents, keyed on the files' catalog and every document's name,
# text and owner. Safe: a publish or retire changes the texts and so the key; the value keeps
# the files' catalog, so its id() cannot be reused while the entry lives.
_combined = lru("catalogs with documents", 8)


def _with(files: Catalog, documents: list[SourceText]) -> Catalog:
    """Return files plus documents, re-using the catalog built for the same texts before."""
    key = (id(files), tuple(documents))
    cached = _combined.get(key)
    if cached is not None and cached[0] is files:
        return cached[1]
    return _combined.put(key, (files, with_documents(files, documents)))[1]


def _parse_cache(app: Flask) -> ParseCache | None:
    """Return the app's cache of parsed questionnaire files, signed with its secret key."""
    folder = app.config.get("QUESTIONNAIRE_CACHE_DIR")
    return ParseCache(folder, app.config["SECRET_KEY"]) if folder else None


def _load(folder: Path, cache: ParseCache | None) -> Catalog:
    """Load a folder's catalog, re-using one loaded earlier while no file has changed."""
    state = (
        str(folder.resolve()),
        tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.yaml"))
        ),
    )
    return _catalogs.get_or_make(state, lambda: load_catalog(folder, cache))
