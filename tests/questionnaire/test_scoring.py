"""Scoring: theme scores, special answers, red flags, referrals, answer checks, properties."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scan.questionnaire import AnswersError, ScanError
from scan.scoring import score

BASE = """
id: mini
version: 1
title: Mini
sector: Test
introduction: Test.
duration_minutes: 2
themes:
  - {id: fysiek, title: Fysiek, description: D., weight: 3}
  - {id: signalen, title: Signalen, description: D.}
questions:
  - {id: hek, theme: fysiek, text: Hek?, help: H., type: yes_no, good_answer: ja}
  - id: sloten
    theme: fysiek
    text: Welke?
    help: H.
    type: multiple_choice
    options:
      - {value: slot, label: Slot, score: 60}
      - {value: licht, label: Licht, score: 60}
      - {value: geen, label: Geen, score: 0}
  - id: verhuur
    theme: fysiek
    text: Verhuur?
    help: H.
    type: yes_no
    allow_unknown: false
  - id: contant
    theme: fysiek
    text: Contant?
    help: H.
    type: single_choice
    show_if: verhuur == 'ja'
    allow_not_applicable: true
    options:
      - {value: nooit, label: Nooit, score: 100}
      - {value: soms, label: Soms, score: 30}
  - id: kennis
    theme: signalen
    text: Kennis?
    help: H.
    type: scale
    scale: {min: 1, max: 5, min_label: Laag, max_label: Hoog, good: high}
  - id: benaderd
    theme: signalen
    text: Benaderd?
    help: H.
    type: yes_no
    acute_when: ja
    good_answer: nee
  - {id: mensen, theme: signalen, text: Hoeveel?, help: H., type: number,
     number: {min: 0, max: 500}}
rules:
  - id: hek_maken
    when: hek == 'nee'
    theme: fysiek
    priority: medium
    advice: {title: Maak een hek, explanation: E., steps: [Bel een hekkenbouwer.]}
    referrals: [politie]
  - id: benaderd_melden
    when: benaderd == 'ja'
    theme: signalen
    priority: urgent
    red_flag: true
    score_cap: 10
    advice: {title: Meld het, explanation: E., steps: [Meld het anoniem.]}
    referrals: [vertrouwenslijn_afpersing, politie]
  - id: veel_mensen
    when: mensen > 100 and kennis <= 2
    theme: signalen
    priority: high
    advice: {title: Train mensen, explanation: E., steps: [Plan een training.]}
  - id: contant_stoppen
    when: contant == 'soms'
    theme: fysiek
    priority: high
    advice: {title: Stop contant, explanation: E., steps: [Vraag betaling per bank.]}
  - id: sloten_plaatsen
    when: "'geen' in sloten"
    theme: fysiek
    priority: low
    advice: {title: Sloten, explanation: E., steps: [Koop sloten.]}
risk_levels:
  - {id: kwetsbaar, label: Kwetsbaar, min: 0, max: 50, explanation: E.}
  - {id: weerbaar, label: Weerbaar, min: 50, max: 100, explanation: E.}
referrals: [pvo_regionaal]
"""


@pytest.fixture
def mini(load_inline):
    return load_inline(BASE)


def test_score__all_good__every_theme_100(mini):
    result = score(
        mini,
        {
            "hek": "ja",
            "sloten": ["slot", "licht"],
            "verhuur": "nee",
            "kennis": 5,
            "benaderd": "nee",
        },
    )
    assert [t.score for t in result.themes] == [100.0, 100.0]
    assert result.overall == 100.0
    assert result.risk.id == "weerbaar"
    assert result.advice == ()


def test_score__multiple_choice__sum_capped_at_100(mini):
    assert score(mini, {"sloten": ["slot", "licht"]}).theme("fysiek").score == 100.0
    assert score(mini, {"sloten": ["slot"]}).theme("fysiek").score == 60.0


def test_score__weighted_overall_uses_theme_weights(mini):
    result = score(mini, {"hek": "ja", "kennis": 1})
    assert result.theme("fysiek").score == 100.0
    assert result.theme("signalen").score == 0.0
    assert result.overall == 75.0  # (100*3 + 0*1) / 4


def test_score__scale__linear(mini):
    assert score(mini, {"kennis": 3}).theme("signalen").score == 50.0


def test_score__unknown_answer__not_counted_as_zero_but_reported(mini):
    result = score(mini, {"hek": "ja", "sloten": "weet_niet", "kennis": "weet_niet"})
    assert result.theme("fysiek").score == 100.0
    assert result.theme("signalen").score is None
    assert result.unknown == 2


def test_score__skipped_questions__reported(mini):
    result = score(mini, {"hek": "ja"})
    assert result.answered == 1
    assert result.skipped == result.visible - 1


def test_score__not_applicable__not_counted(mini):
    result = score(mini, {"verhuur": "ja", "contant": "nvt", "hek": "nee"})
    assert result.theme("fysiek").score == 0.0
    assert result.not_applicable == 1


def test_score__red_flag__most_serious_level_whatever_the_score(mini):
    result = score(mini, {"hek": "ja", "sloten": ["slot", "licht"], "kennis": 5, "benaderd": "ja"})
    assert result.red_flag
    assert result.risk.id == "kwetsbaar"
    assert result.advice[0].id == "benaderd_melden"
    assert result.advice[0].referrals[0] == "meld_misdaad_anoniem"
    assert result.theme("signalen").score == 10.0
    assert result.theme("signalen").capped_by == "benaderd_melden"


def test_score__red_flag__own_outcome_while_the_score_level_stays_honest(mini):
    result = score(mini, {"hek": "ja", "sloten": ["slot", "licht"], "kennis": 5, "benaderd": "ja"})
    assert result.overall >= 50
    assert (result.outcome.id, result.outcome.label) == ("direct_hulp", "Direct hulp nodig")
    assert "Kwetsbaar" not in result.outcome.label + result.outcome.explanation
    assert result.score_level.id == "weerbaar"
    assert result.to_dict()["outcome"]["label"] == "Direct hulp nodig"


def test_score__no_red_flag__outcome_is_the_risk_level(mini):
    result = score(mini, {"hek": "ja", "sloten": ["slot", "licht"], "kennis": 5, "benaderd": "nee"})
    assert result.outcome == result.risk == result.score_level
    assert result.outcome.id == "weerbaar"


def test_score__red_flag_outcome__set_in_the_questionnaire(load_inline):
    q = load_inline(
        BASE.replace(
            "referrals: [pvo_regionaal]\n",
            "referrals: [pvo_regionaal]\n"
            "red_flag_outcome: {label: Bel vandaag, explanation: Uitleg.}\n",
        )
    )
    result = score(q, {"benaderd": "ja"})
    assert (result.outcome.label, result.outcome.explanation) == ("Bel vandaag", "Uitleg.")


def test_score__same_priority__rank_first_then_file_order(load_inline):
    # Without a rank the high advice comes in file order (veel_mensen, contant_stoppen).
    text = BASE.replace(
        "    theme: fysiek\n    priority: high\n",
        "    theme: fysiek\n    priority: high\n    rank: 1\n",
    )
    answers = {"verhuur": "ja", "contant": "soms", "mensen": 200, "kennis": 1}
    unranked = [a.id for a in score(load_inline(BASE), answers).advice]
    ranked = [a.id for a in score(load_inline(text, "ranked.yaml"), answers).advice]
    assert unranked[:2] == ["veel_mensen", "contant_stoppen"]
    assert ranked[:2] == ["contant_stoppen", "veel_mensen"]


def test_score__rank_out_of_range__refused(load_inline):
    from scan.questionnaire import QuestionnaireError

    bad = BASE.replace("    priority: high\n", "    priority: high\n    rank: 0\n", 1)
    with pytest.raises(QuestionnaireError, match="rank"):
        load_inline(bad, "bad.yaml")


def test_score__advice_sorted_by_priority_with_triggers(mini):
    result = score(
        mini,
        {
            "hek": "nee",
            "verhuur": "ja",
            "contant": "soms",
            "sloten": ["geen"],
            "benaderd": "ja",
            "mensen": 200,
            "kennis": 1,
        },
    )
    assert [a.priority for a in result.advice] == ["urgent", "high", "high", "medium", "low"]
    veel = next(a for a in result.advice if a.id == "veel_mensen")
    assert [(t.question_id, t.answer) for t in veel.triggers] == [
        ("kennis", "1: Laag"),  # a scale step with what its end means
        ("mensen", "200"),
    ]


def test_score__referrals__deduplicated_mma_first(mini):
    result = score(mini, {"hek": "nee", "benaderd": "ja"})
    ids = [r.id for r in result.referrals]
    assert ids[0] == "meld_misdaad_anoniem"
    assert len(ids) == len(set(ids))
    assert {"politie", "vertrouwenslijn_afpersing", "pvo_regionaal"} <= set(ids)


def test_score__no_answers__mma_still_present_and_no_level(mini):
    result = score(mini, {})
    assert result.overall is None and result.risk is None
    assert [r.id for r in result.referrals][0] == "meld_misdaad_anoniem"


def test_score__comparison_with_missing_answer__is_false(mini):
    assert "veel_mensen" not in score(mini, {"kennis": 1}).fired_ids()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"hekk": "ja"}, "unknown question 'hekk' (did you mean 'hek'?)"),
        ({"hek": "misschien"}, "hek: 'misschien' is not an option"),
        ({"sloten": ["slot", "deur"]}, "sloten: 'deur' is not an option"),
        ({"kennis": 9}, "kennis: 9 is outside 1 to 5"),
        ({"kennis": 2.5}, "kennis: a scale answer is a whole number"),
        ({"mensen": "veel"}, "mensen: 'veel' is not a number"),
        ({"mensen": -1}, "mensen: -1 is outside 0 to 500"),
        ({"mensen": 12.5}, "mensen: this question counts whole things: give a whole number"),
        ({"verhuur": "weet_niet"}, "verhuur: 'weet_niet' is not offered for this question"),
        ({"verhuur": "nee", "contant": "soms"}, "contant: this question is hidden"),
        ({"hek": True}, "hek: 'True' is not an option"),
    ],
)
def test_check_answers__bad_answer__clear_error(mini, answers, message):
    with pytest.raises(AnswersError) as info:
        score(mini, answers)
    assert any(p.startswith(message) for p in info.value.messages), info.value.messages


answer_values = {
    "hek": st.sampled_from(["ja", "nee", "weet_niet", None]),
    "sloten": st.one_of(
        st.none(),
        st.just("weet_niet"),
        st.lists(st.sampled_from(["slot", "licht", "geen"]), unique=True),
    ),
    "verhuur": st.sampled_from(["ja", "nee", None]),
    "contant": st.sampled_from(["nooit", "soms", "nvt", "weet_niet", None]),
    "kennis": st.one_of(st.none(), st.integers(1, 5), st.just("weet_niet")),
    "benaderd": st.sampled_from(["ja", "nee", "weet_niet", None]),
    "mensen": st.one_of(st.none(), st.integers(0, 500).map(float)),  # a count: whole numbers
}
any_answers = st.fixed_dictionaries({}, optional=answer_values)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=any_answers)
def test_score__any_valid_answers__scores_within_0_100_and_deterministic(mini, answers):
    answers = {k: v for k, v in answers.items() if v is not None}
    result = score(mini, answers, hidden="ignore")
    for theme in result.themes:
        assert theme.score is None or 0 <= theme.score <= 100
    assert result.overall is None or 0 <= result.overall <= 100
    assert result == score(mini, answers, hidden="ignore")


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=any_answers, contant=st.sampled_from(["nooit", "soms", "nvt"]))
def test_score__answers_to_hidden_questions__never_change_the_result(mini, answers, contant):
    answers = {k: v for k, v in answers.items() if v is not None and k != "contant"}
    answers["verhuur"] = "nee"
    with_hidden = dict(answers, contant=contant)
    assert score(mini, with_hidden, hidden="ignore") == score(mini, answers)


def test_score__advice_remembered_per_rule__triggers_follow_every_answer(load_inline):
    """A rule reading two questions remembers its advice per pair of answers, lists included."""
    two = BASE.replace(
        "risk_levels:",
        """  - id: hek_en_sloten
    when: "hek == 'nee' and 'geen' in sloten"
    theme: fysiek
    priority: low
    advice: {title: Hek en sloten, explanation: E., steps: [Begin met het hek.]}
risk_levels:""",
    )
    q = load_inline(two)

    def triggers(answers):
        advice = next(a for a in score(q, answers).advice if a.id == "hek_en_sloten")
        return [(t.question_id, t.answer) for t in advice.triggers]

    for _ in range(2):  # the second round is answered from what the rule remembered
        assert triggers({"hek": "nee", "sloten": ["geen"]}) == [("hek", "Nee"), ("sloten", "Geen")]
        assert triggers({"hek": "nee", "sloten": ["slot", "geen"]}) == [
            ("hek", "Nee"),
            ("sloten", "Slot, Geen"),
        ]
        assert triggers({"hek": "nee", "sloten": "geen"}) == [("hek", "Nee"), ("sloten", "Geen")]


def test_check_answers__problems__located_at_the_question(mini):
    with pytest.raises(AnswersError) as info:
        score(mini, {"mensen": -1, "hekk": "ja"})
    located = {(p.path, p.hint) for p in info.value.problems}
    assert ("mensen", "") in located and ("", "did you mean 'hek'?") in located
    assert isinstance(info.value, ScanError)
