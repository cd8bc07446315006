"""Snapshots pin a questionnaire version: the rebuilt one scores exactly like the original."""

from __future__ import annotations

import json

import pytest
from loader_samples import QUESTIONNAIRES, TEMPLATE

from scan.questionnaire import QuestionnaireError, load_questionnaire
from scan.questionnaire.loader import questionnaire_paths
from scan.questionnaire.snapshots import from_snapshot, to_snapshot
from scan.scoring import score, visible_questions

SHIPPED = [p.stem for p in questionnaire_paths(QUESTIONNAIRES)]


def through_json(q):
    """Snapshot a questionnaire, store it as JSON text (as the database does) and rebuild it."""
    text = json.dumps(to_snapshot(q), ensure_ascii=False, allow_nan=False)
    return from_snapshot(json.loads(text))


@pytest.fixture(scope="module")
def template():
    return load_questionnaire(TEMPLATE, QUESTIONNAIRES)


def every_questionnaire(catalog, template):
    return [*catalog.latest.values(), template]


def test_catalog__every_shipped_file_loaded(catalog):
    assert catalog.problems == []
    assert len(catalog.versions) == len(SHIPPED)


def test_snapshot__json_round_trip__same_model(catalog, template):
    for q in every_questionnaire(catalog, template):
        rebuilt = through_json(q)
        assert rebuilt.key == q.key
        assert rebuilt.model_dump(exclude={"examples"}) == q.model_dump(exclude={"examples"})
        assert rebuilt.source == "snapshot"


def test_snapshot__every_example__identical_result(catalog, template):
    compared = 0
    for q in every_questionnaire(catalog, template):
        rebuilt = through_json(q)
        assert q.examples, f"{q.id} has no examples to compare"
        for example in q.examples:
            original = score(q, example.answers)
            again = score(rebuilt, example.answers)
            assert again == original, f"{q.id}: {example.name}"
            assert again.to_dict() == original.to_dict()
            assert visible_questions(rebuilt, example.answers) == visible_questions(
                q, example.answers
            )
            compared += 1
    assert compared >= len(SHIPPED) * 2


def test_snapshot__no_answers_and_all_unknown__identical_result(catalog):
    for q in catalog.latest.values():
        rebuilt = through_json(q)
        assert score(rebuilt, {}) == score(q, {})
        unknown = {x.id: "weet_niet" for x in q.questions if x.allow_unknown and not x.show_if}
        assert score(rebuilt, unknown) == score(q, unknown)


def test_snapshot__carries_the_referrals_it_needs(catalog):
    q = catalog.get("voorbeeld")
    snapshot = to_snapshot(q)
    ids = [r["id"] for r in snapshot["referrals"]]
    used = {"meld_misdaad_anoniem", *q.referrals} | {r for rule in q.rules for r in rule.referrals}
    assert sorted(ids) == sorted(used)
    assert "examples" not in snapshot["questionnaire"]


def test_snapshot__survives_a_changed_registry(catalog):
    q = catalog.get("voorbeeld")
    snapshot = json.loads(json.dumps(to_snapshot(q)))
    rebuilt = from_snapshot(snapshot)
    # Later edits of referrals.yaml do not change a pinned scan: the snapshot has its own copy.
    politie = next(r for r in snapshot["referrals"] if r["id"] == "politie")
    assert rebuilt.referral("politie").phone == politie["phone"] == q.referral("politie").phone


def test_snapshot__tampered__refused_with_problems(catalog):
    snapshot = json.loads(json.dumps(to_snapshot(catalog.get("voorbeeld"))))
    snapshot["referrals"] = [r for r in snapshot["referrals"] if r["id"] != "politie"]
    snapshot["questionnaire"]["questions"][0]["type"] = "yes_noo"
    with pytest.raises(QuestionnaireError) as info:
        from_snapshot(snapshot)
    assert [p.path for p in info.value.problems] == ["questions[0].type"]
    assert "did you mean 'yes_no'?" in info.value.problems[0].hint
    snapshot["questionnaire"]["questions"][0]["type"] = "yes_no"
    with pytest.raises(QuestionnaireError) as info:
        from_snapshot(snapshot)
    assert {p.message for p in info.value.problems} == {"unknown referral 'politie'"}


@pytest.mark.parametrize(
    ("snapshot", "path"),
    [
        ([], "snapshot"),
        ({}, "referrals"),
        ({"referrals": []}, ""),
        ({"referrals": [], "questionnaire": "voorbeeld"}, ""),
    ],
    ids=["not-a-mapping", "empty", "no-questionnaire", "questionnaire-not-a-mapping"],
)
def test_snapshot__damaged__refused_not_crashed(snapshot, path):
    with pytest.raises(QuestionnaireError) as info:
        from_snapshot(snapshot)
    assert info.value.problems[0].path == path
