"""How a scan reads for people, the same on the web and in the PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt

from scan.presentation import answers_by_theme, band, counts_sentence, dutch_date
from scan.scoring import score


def test_dutch_date__day_month_name_year():
    assert dutch_date(dt.date(2027, 2, 26)) == "26 februari 2027"
    assert dutch_date(dt.datetime(2026, 12, 1, 23, 59)) == "1 december 2026"


def test_band__most_serious_level_low_last_high_red_flag_low(catalog):
    levels = catalog.get("voorbeeld").risk_levels
    assert band(levels, levels[0].min) == "low"
    assert band(levels, 100.0) == "high"
    assert band(levels, levels[-1].min, red_flag=True) == "low"
    assert band(levels, None) == "none"
    assert len(levels) == 3 and band(levels, levels[1].min) == "mid"


def test_counts_sentence__every_count_in_words(catalog):
    q = catalog.get("voorbeeld")
    result = score(q, {"verhuur": "nee", "benaderd": "nee", "weet_waar_melden": "weet_niet"})
    sentence = counts_sentence(result)
    assert sentence.startswith(f"Er golden {result.visible} vragen voor u.")
    assert f"U gaf {result.answered} antwoorden en 1 keer ‘Weet ik niet’." in sentence
    assert f"{result.skipped} vragen sloeg u over." in sentence
    assert sentence.endswith("Die tellen niet mee in de score.")
    one = dataclasses.replace(result, answered=1, unknown=0, not_applicable=0, skipped=1)
    assert counts_sentence(one).endswith(
        "U gaf 1 antwoord. 1 vraag sloeg u over. Die telt niet mee in de score."
    )


def test_answers_by_theme__visible_questions_in_words_in_order(catalog):
    q = catalog.get("voorbeeld")
    parts = answers_by_theme(q, {"verhuur": "ja", "huur_contant": "contant", "benaderd": "nee"})
    assert [p.theme.id for p in parts] == [t.id for t in q.themes]
    fysiek = {row.question.id: row.label for row in parts[0].rows}
    assert fysiek == {"verhuur": "Ja", "huur_contant": "Contant", "maatregelen": None}
    hidden = answers_by_theme(q, {"verhuur": "nee"})[0]
    assert "huur_contant" not in {row.question.id for row in hidden.rows}


def test_required_message__the_questions_own_error_text__same_in_the_summary(catalog):
    from scan.presentation import required_message, summary_message

    verhuur = catalog.get("voorbeeld").question("verhuur")
    assert required_message(verhuur) == "Kies of u ruimte verhuurt aan anderen."
    assert required_message(verhuur) == verhuur.error_message
    # Written for the question: the summary says the same and does not add the question.
    assert summary_message(required_message(verhuur), verhuur) == verhuur.error_message


def test_required_message__without_own_text__says_what_to_choose_and_summary_names_it(catalog):
    from scan.presentation import required_message, summary_message

    q = catalog.get("voorbeeld")
    verhuur = q.question("verhuur").model_copy(update={"error_message": None})
    message = required_message(verhuur)
    assert message == "Kies ‘Ja’ of ‘Nee’."  # no 'Weet ik niet' offered
    assert "‘Geen van deze’" in required_message(q.question("maatregelen"))
    benaderd = q.question("benaderd").model_copy(update={"error_message": None})
    assert required_message(benaderd) == "Kies ‘Ja’ of ‘Nee’, of kies ‘Weet ik niet’."
    assert summary_message(message, verhuur) == f"{verhuur.text} {message}"


def test_summary_message__a_refused_answer__the_fields_words_after_the_question(catalog):
    from scan.presentation import summary_message

    q = catalog.get("voorbeeld")
    two_sentences = "U koos ook ‘Geen van deze’. Kies wat er bij u is, of kies ‘Geen van deze’."
    maatregelen = q.question("maatregelen")
    assert summary_message(two_sentences, maatregelen) == f"{maatregelen.text} {two_sentences}"
    # A refusal is never the question's own text, even for a question that has one.
    verhuur = q.question("verhuur")
    assert summary_message("Niet allebei.", verhuur) == f"{verhuur.text} Niet allebei."
    plain = verhuur.model_copy(update={"text": "Uw verhuur"})
    assert summary_message("Niet allebei.", plain) == "Uw verhuur: Niet allebei."
