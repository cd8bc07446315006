"""The referral registry: the shared list of organisations to call, validated with positions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scan.questionnaire.errors import Problem, QuestionnaireError
from scan.questionnaire.located import locate
from scan.questionnaire.model import Referral, RegistryFile
from scan.questionnaire.parsecache import ParseCache
from scan.questionnaire.safetyerrors import link_errors
from scan.questionnaire.schema import build_model
from scan.questionnaire.yamlsource import read_yaml_file


def load_registry(path: str | Path, cache: ParseCache | None = None) -> dict[str, Referral]:
    """Load and validate the referral registry; raise QuestionnaireError when it is wrong."""
    data = read_yaml_file(path, cache=cache)
    return {ref.id: ref for ref in registry_entries(data, "referrals")}


def registry_entries(data: Any, label: str) -> list[Referral]:
    """Validate referral entries (a registry file, or an overlay's own); raise when wrong."""
    model, problems = build_model(RegistryFile, data)
    if model is not None:
        seen: set[str] = set()
        for i, ref in enumerate(model.referrals):
            where = locate(data, ("referrals", i))
            if ref.id in seen:
                problems.append(
                    Problem(
                        f"referral id '{ref.id}' is used more than once",
                        where,
                        f"referrals[{i}].id",
                        "rename or remove one",
                    )
                )
            if not (ref.phone or ref.url or ref.contact):
                problems.append(
                    Problem(
                        "a referral needs a phone, url or contact",
                        where,
                        f"referrals[{i}]",
                        "add at least one way to reach them",
                    )
                )
            for field in ("name", "contact", "when", "source"):
                text = getattr(ref, field)
                if text:
                    problems.extend(link_errors(data, f"referrals[{i}].{field}", text))
            seen.add(ref.id)
    if problems:
        if label != "referrals":
            problems = [
                Problem(p.message, p.position, label + p.path.removeprefix("referrals"), p.hint)
                for p in problems
            ]
        raise QuestionnaireError(problems)
    return list(model.referrals)
