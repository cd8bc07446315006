"""The loading pipeline: YAML -> located data -> (overlay merge) -> typed model -> checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scan.questionnaire.checks import check_questionnaire
from scan.questionnaire.errors import (
    Position,
    Problem,
    QuestionnaireError,
    UnknownQuestionnaire,
    did_you_mean,
)
from scan.questionnaire.located import LocatedDict, locate
from scan.questionnaire.model import Questionnaire, Referral
from scan.questionnaire.overlays import base_ref, check_overlay_shape, is_overlay, merge
from scan.questionnaire.parsecache import ParseCache
from scan.questionnaire.registry import load_registry, registry_entries
from scan.questionnaire.schema import build_model
from scan.questionnaire.textwarnings import readability_warnings, registry_warnings
from scan.questionnaire.yamlsource import read_yaml_file, read_yaml_text

REGISTRY_FILE = "referrals.yaml"
MAX_OVERLAY_DEPTH = 5


@dataclass(frozen=True)
class SourceText:
    """A questionnaire kept as text elsewhere (a stored document): its name, text and owner."""

    name: str  # shown in positions, e.g. haven_rotterdam@2.yaml
    text: str
    owner: str = ""  # who keeps it, e.g. an organisation's name; empty for the shipped files
    key: tuple[str, int] | None = None  # the (id, version) it is stored as; its text must match


@dataclass
class Catalog:
    """Every questionnaire in a folder (and stored texts), by id and by (id, version)."""

    folder: Path
    registry: dict[str, Referral]
    versions: dict[tuple[str, int], Questionnaire] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    owners: dict[tuple[str, int], str] = field(default_factory=dict)
    sources: _Sources | None = field(default=None, repr=False)

    @property
    def latest(self) -> dict[str, Questionnaire]:
        """Return the newest version of each questionnaire, sorted by title."""
        newest: dict[str, Questionnaire] = {}
        for (qid, _), q in sorted(self.versions.items()):
            newest[qid] = q
        return dict(sorted(newest.items(), key=lambda item: item[1].title.lower()))

    @property
    def listed(self) -> dict[str, Questionnaire]:
        """Return the newest versions that the landing page offers (listed: true)."""
        return {qid: q for qid, q in self.latest.items() if q.listed}

    def get(self, questionnaire_id: str, version: int | None = None) -> Questionnaire:
        """Return a questionnaire by id (newest version unless one is given)."""
        if version is None:
            found = self.latest.get(questionnaire_id)
        else:
            found = self.versions.get((questionnaire_id, version))
        if found is None:
            hint = did_you_mean(questionnaire_id, self.latest)
            raise UnknownQuestionnaire(
                f"no questionnaire '{questionnaire_id}'"
                + (f" version {version}" if version else "")
                + (f" ({hint})" if hint else "")
            )
        return found


class _Sources:
    """Parsed files of a folder, indexed by (id, version), for overlay base look-up."""

    def __init__(self, paths: list[Path], cache: ParseCache | None = None):
        self.cache = cache
        self.data: dict[Path, Any] = {}
        self.errors: dict[Path, QuestionnaireError] = {}
        self.by_key: dict[tuple[str, int], Path] = {}
        for path in paths:
            self.add(path)

    def copy(self) -> _Sources:
        """Return a copy that can take more sources without changing this one."""
        twin = _Sources([], self.cache)
        twin.data, twin.errors, twin.by_key = dict(self.data), dict(self.errors), dict(self.by_key)
        return twin

    def add(self, path: Path, text: str | None = None) -> None:
        try:
            if text is not None:
                data = read_yaml_text(text, str(path))
            else:
                data = read_yaml_file(path, cache=self.cache)
        except QuestionnaireError as exc:
            self.errors[path] = exc
            return
        self.data[path] = data
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            version = data.get("version")
            if isinstance(version, int):
                self.by_key.setdefault((data["id"], version), path)


def questionnaire_paths(folder: Path) -> list[Path]:
    """Return the questionnaire files of a folder (every .yaml except the registry)."""
    return sorted(p for p in folder.glob("*.yaml") if p.name != REGISTRY_FILE)


def load_catalog(folder: str | Path, cache: ParseCache | None = None) -> Catalog:
    """Load every questionnaire in a folder; invalid files are reported in problems.

    With a cache, files parsed before (same bytes) are read from it instead of parsed.
    """
    folder = Path(folder)
    registry = load_registry(folder / REGISTRY_FILE, cache)
    paths = questionnaire_paths(folder)
    catalog = Catalog(folder=folder, registry=registry, sources=_Sources(paths, cache))
    for path in paths:
        _add_to(catalog, path, "")
    return catalog


def with_documents(base: Catalog, documents: list[SourceText]) -> Catalog:
    """Return the catalog of the files plus stored documents (overlays may extend either)."""
    sources = base.sources.copy() if base.sources else _Sources([])
    for doc in documents:
        sources.add(Path(doc.name), doc.text)
    catalog = Catalog(
        folder=base.folder,
        registry=base.registry,
        versions=dict(base.versions),
        problems=list(base.problems),
        owners=dict(base.owners),
        sources=sources,
    )
    shipped = {key[0] for key in base.versions if not base.owners.get(key)}
    for doc in documents:
        _add_to(catalog, Path(doc.name), doc.owner, doc.key, shipped)
    return catalog


def _add_to(
    catalog: Catalog,
    path: Path,
    owner: str,
    expected: tuple[str, int] | None = None,
    shipped: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Build one source into the catalog, or record why it is refused.

    A stored document must hold the id and version it is stored as, and never a shipped id.
    """
    try:
        q, warnings, _ = _build(path, catalog.sources, catalog.registry)
    except QuestionnaireError as exc:
        catalog.problems.extend(exc.problems + exc.warnings)
        return
    catalog.problems.extend(warnings)
    key = (q.id, q.version)
    if (expected is not None and key != expected) or (owner and q.id in shipped):
        message = f"'{q.id}' version {q.version} is not what this document may publish"
        hint = "a document keeps its own id and version and never a shipped id"
    elif key in catalog.versions:
        message = f"questionnaire '{q.id}' version {q.version} is defined twice"
        hint = "raise the version of the newer one"
    else:
        message = hint = ""
    if message:
        catalog.problems.append(Problem(message, Position(str(path), 1, 1), hint=hint))
        return
    catalog.versions[key] = q
    catalog.owners[key] = owner


@dataclass
class TextCheck:
    """A text checked against a catalog: the questionnaire (when it loads) and every problem.

    `source` is the text's own located data, `data` the merged data (the same for a text
    without 'extends'); either is None when the text could not be read that far.
    """

    questionnaire: Questionnaire | None
    problems: list[Problem]
    source: Any = None
    data: Any = None
    base: Any = None  # an overlay's base data (merged itself when it is an overlay too)


def check_text(text: str, name: str, catalog: Catalog) -> TextCheck:
    """Check a questionnaire text against a catalog's bases, B1 readability warnings included."""
    sources = catalog.sources.copy() if catalog.sources else _Sources([])
    path = Path(name)
    sources.add(path, text)
    if path in sources.errors:
        return TextCheck(None, sources.errors[path].problems)
    source = sources.data[path]
    data, problems = _resolve(path, sources, depth=0)
    base = _base_data(source, sources)
    if problems:
        return TextCheck(None, problems, source, data, base)
    try:
        q, warnings = typed_questionnaire(data, catalog.registry, name)
    except QuestionnaireError as exc:
        return TextCheck(None, exc.problems + exc.warnings, source, data, base)
    return TextCheck(q, warnings + readability_warnings(q, data, name), source, data, base)


def _base_data(source: Any, sources: _Sources) -> Any:
    """Return the located data of the base an overlay extends, when it can be read."""
    ref = base_ref(source) if is_overlay(source) else None
    base_path = sources.by_key.get(ref) if ref else None
    if base_path is None or base_path not in sources.data:
        return None
    base, problems = _resolve(base_path, sources, depth=1)
    return None if problems else base


def validate_paths(paths: list[Path], folder: str | Path) -> list[Problem]:
    """Validate the given files (bases looked up in folder); return errors and warnings."""
    folder = Path(folder)
    try:
        registry = load_registry(folder / REGISTRY_FILE)
    except QuestionnaireError as exc:
        return exc.problems
    questionnaires = [p for p in paths if p.name != REGISTRY_FILE]
    sources = _Sources(sorted(set(questionnaire_paths(folder)) | set(questionnaires)))
    problems: list[Problem] = []
    for path in paths:
        if path.name == REGISTRY_FILE:
            problems.extend(_registry_problems(path))
            continue
        try:
            q, warnings, data = _build(path, sources, registry)
            problems.extend(warnings + readability_warnings(q, data, str(path)))
        except QuestionnaireError as exc:
            problems.extend(exc.problems + exc.warnings)
    return problems


def _registry_problems(path: Path) -> list[Problem]:
    """Validate a referral registry file on its own; return its errors and text warnings."""
    try:
        registry = load_registry(path)
    except QuestionnaireError as exc:
        return exc.problems
    return registry_warnings(registry.values(), read_yaml_file(path))


def load_questionnaires(
    paths: list[Path], folder: str | Path
) -> list[tuple[Path, Questionnaire | QuestionnaireError]]:
    """Load several files (bases looked up in folder), parsing every file only once."""
    folder = Path(folder)
    registry = load_registry(folder / REGISTRY_FILE)
    sources = _Sources(sorted(set(questionnaire_paths(folder)) | set(paths)))
    loaded: list[tuple[Path, Questionnaire | QuestionnaireError]] = []
    for path in paths:
        try:
            loaded.append((path, _build(path, sources, registry)[0]))
        except QuestionnaireError as exc:
            loaded.append((path, exc))
    return loaded


def load_questionnaire(path: str | Path, folder: str | Path | None = None) -> Questionnaire:
    """Load one questionnaire file; raise QuestionnaireError with every problem if invalid."""
    path = Path(path)
    folder = Path(folder) if folder else path.parent
    registry = load_registry(folder / REGISTRY_FILE)
    sources = _Sources(sorted(set(questionnaire_paths(folder)) | {path}))
    return _build(path, sources, registry)[0]


def load_questionnaire_text(text: str, name: str, catalog: Catalog) -> Questionnaire:
    """Load a questionnaire from text (e.g. a stored snapshot), bases from the catalog folder."""
    sources = _Sources(questionnaire_paths(catalog.folder))
    path = Path(name)
    sources.add(path, text)
    return _build(path, sources, catalog.registry)[0]


def _build(
    path: Path, sources: _Sources, registry: dict[str, Referral]
) -> tuple[Questionnaire, list[Problem], Any]:
    """Build and check one questionnaire; return it with its warnings and located data."""
    if path in sources.errors:
        raise sources.errors[path]
    data, problems = _resolve(path, sources, depth=0)
    if problems:
        raise QuestionnaireError(problems)
    return (*typed_questionnaire(data, registry, str(path)), data)


def _own_registry(data: Any, registry: dict[str, Referral]) -> dict[str, Referral]:
    """Return the registry plus an overlay's own referral entries; raise on a bad entry."""
    entries = getattr(data, "own_referrals", None)
    if not entries:
        return registry
    holder = LocatedDict(referrals=entries)
    holder.position = entries.position
    holder.key_positions = {"referrals": entries.position}
    holder.value_positions = {"referrals": entries.position}
    own = registry_entries(holder, "new_referrals")
    problems = [
        Problem(
            f"referral '{ref.id}' is in the shared registry already",
            locate(holder, ("referrals", i)),
            f"new_referrals[{i}].id",
            "refer to it by id under add.referrals, or give yours another id",
        )
        for i, ref in enumerate(own)
        if ref.id in registry
    ]
    if problems:
        raise QuestionnaireError(problems)
    return registry | {ref.id: ref for ref in own}


def typed_questionnaire(
    data: Any, registry: dict[str, Referral], source: str, stored: bool = False
) -> tuple[Questionnaire, list[Problem]]:
    """Validate data into a checked, compiled Questionnaire; return it with its warnings."""
    registry = _own_registry(data, registry)
    model, problems = build_model(Questionnaire, data)
    if model is None:
        raise QuestionnaireError(problems)
    compiled, problems = check_questionnaire(model, data, registry, stored)
    if compiled is None:
        raise QuestionnaireError(problems)
    model._compiled, model._registry, model._source = compiled, registry, source
    return model, problems


def _resolve(path: Path, sources: _Sources, depth: int) -> tuple[Any, list[Problem]]:
    """Return the located data of a file, with overlays merged onto their bases."""
    if path in sources.errors:
        return None, sources.errors[path].problems
    data = sources.data[path]
    if not isinstance(data, dict):
        return None, [
            Problem(
                "a questionnaire file must be a mapping of keys",
                locate(data, ()) or Position(str(path), 1, 1),
                hint="start with 'id: ...' on the first line",
            )
        ]
    if not is_overlay(data):
        return data, []
    problems = check_overlay_shape(data)
    if problems:
        return None, problems
    ref = base_ref(data)
    base_path = sources.by_key.get(ref) if ref else None
    if ref is None:  # pragma: no cover - check_overlay_shape refuses a malformed 'extends'
        return None, [Problem("'extends' needs an id and a version", locate(data, ("extends",)))]
    if base_path == path:
        return None, [
            Problem(
                "an overlay cannot extend itself",
                locate(data, ("extends",)),
                "extends",
                "give the overlay its own id, and extend the base questionnaire's id",
            )
        ]
    if base_path is None:
        known = sorted(f"{i}@{v}" for i, v in sources.by_key)
        return None, [
            Problem(
                f"extends '{ref[0]}' version {ref[1]}, which is not found",
                locate(data, ("extends",)),
                "extends",
                did_you_mean(f"{ref[0]}@{ref[1]}", known)
                or "check the id and version of the base questionnaire",
            )
        ]
    chain_problem = _chain_problem(path, sources) if depth == 0 else None
    if chain_problem is not None:
        return None, [chain_problem]
    if depth >= MAX_OVERLAY_DEPTH:  # pragma: no cover - _chain_problem catches it first
        return None, [
            Problem(
                "overlays extend each other too deeply (or in a circle)",
                locate(data, ("extends",)),
                "extends",
            )
        ]
    base, problems = _resolve(base_path, sources, depth + 1)
    if problems:
        return None, [
            Problem(
                f"the base questionnaire '{ref[0]}' has errors; fix those first",
                locate(data, ("extends",)),
                "extends",
            ),
            *problems,
        ]
    return merge(base, data)


def _chain_problem(path: Path, sources: _Sources) -> Problem | None:
    """Follow the 'extends' chain from a file; report a circle or too many overlays there."""
    chain = [path]
    while True:
        data = sources.data.get(chain[-1])
        ref = base_ref(data) if is_overlay(data) else None
        base_path = sources.by_key.get(ref) if ref else None
        if base_path is None:  # a standalone base, or a problem _resolve reports itself
            return None
        names = [f"{sources.data[p]['id']}@{sources.data[p]['version']}" for p in chain]
        if base_path in chain:
            circle = " -> ".join([*names[chain.index(base_path) :], f"{ref[0]}@{ref[1]}"])
            return Problem(
                f"overlays extend each other in a circle: {circle}",
                locate(sources.data[path], ("extends",)),
                "extends",
                "in the end an overlay must extend a questionnaire without 'extends'",
            )
        if len(chain) > MAX_OVERLAY_DEPTH:
            return Problem(
                f"more than {MAX_OVERLAY_DEPTH} overlays on top of each other: "
                + " -> ".join(names),
                locate(sources.data[path], ("extends",)),
                "extends",
                "extend a questionnaire lower in the chain",
            )
        chain.append(base_path)
