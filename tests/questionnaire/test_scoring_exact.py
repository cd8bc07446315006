"""The unrounded score decides the risk level; a theme counts its scored questions' specials."""

from __future__ import annotations

from loader_samples import mutate

from scan.scoring import score


def test_risk_level__decided_by_the_unrounded_score(load_inline):
    q = load_inline(
        mutate(
            "{value: slecht, label: Slechte sloten, score: 0}",
            "{value: slecht, label: Slechte sloten, score: 49.96}",
        )
    )
    result = score(q, {"sloten": "slecht"})
    assert result.overall == 50.0  # shown rounded to one decimal
    assert result.theme("fysiek").score == 50.0
    assert result.risk.id == "kwetsbaar"  # 49.96 is below the level that starts at 50


def test_theme_unknown__counts_only_scored_questions(load_inline):
    q = load_inline(mutate())
    result = score(q, {"kennis": "weet_niet", "mensen": 5, "benaderd": "nee"})
    signalen = result.theme("signalen")
    # 'mensen' (a number without a score) was answered: it is not a missing answer.
    assert (signalen.counted, signalen.unknown, signalen.skipped) == (1, 1, 0)
    assert result.unknown == 1
