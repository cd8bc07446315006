"""Snapshots: the plain data a stored scan keeps of its questionnaire, and the way back.

A scan is pinned to the questionnaire it was filled in with; its snapshot rebuilds exactly that
questionnaire (registry entries included), independent of today's YAML files.
"""

from __future__ import annotations

from typing import Any

from scan.questionnaire.errors import Problem, QuestionnaireError
from scan.questionnaire.loader import typed_questionnaire
from scan.questionnaire.model import Questionnaire, RegistryFile
from scan.questionnaire.schema import build_model


def to_snapshot(q: Questionnaire) -> dict[str, Any]:
    """Return plain data that rebuilds exactly this questionnaire, registry entries included."""
    used = set(q.referrals) | {r for rule in q.rules for r in rule.referrals}
    used.add("meld_misdaad_anoniem")
    used.update(ref for step in q.red_flag_outcome.today for ref in step.call)
    return {
        "questionnaire": q.model_dump(mode="json", exclude={"examples"}),
        "referrals": [q.registry[r].model_dump(mode="json") for r in sorted(used)],
    }


def from_snapshot(snapshot: dict[str, Any]) -> Questionnaire:
    """Rebuild a questionnaire pinned in a stored scan, independent of today's YAML files."""
    if not isinstance(snapshot, dict):  # a damaged database row: refuse, do not crash
        raise QuestionnaireError([Problem("a snapshot must be a mapping", path="snapshot")])
    referrals = snapshot.get("referrals")
    registry_model, problems = build_model(RegistryFile, {"referrals": referrals})
    if registry_model is None:
        raise QuestionnaireError(problems)
    registry = {r.id: r for r in registry_model.referrals}
    data = snapshot.get("questionnaire")
    # Checked when it was published: rebuilt as it was (see checks.check_questionnaire).
    return typed_questionnaire(data, registry, "snapshot", stored=True)[0]
