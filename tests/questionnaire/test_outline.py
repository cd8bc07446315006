"""The base in view: the outline of a questionnaire and the ids the editor completes."""

from __future__ import annotations

from scan.questionnaire.outline import completion_ids, outline


def test_outline__lists_themes_with_weights_and_questions_with_their_options(catalog):
    view = outline(catalog.get("voorbeeld", 1))
    assert [(t.id, t.weight) for t in view.themes] == [
        ("fysiek", 2.0),
        ("sociaal", 1.0),
        ("signalen", 1.0),
    ]
    fysiek = {x.id: x for x in view.themes[0].questions}
    assert list(fysiek) == ["verhuur", "huur_contant", "maatregelen"]
    assert fysiek["verhuur"].type == "yes_no"
    # a yes/no question shows its built-in options (unscored here: no good_answer)
    assert [(o.value, o.score) for o in fysiek["verhuur"].options] == [
        ("ja", None),
        ("nee", None),
    ]
    assert fysiek["huur_contant"].show_if == "verhuur == 'ja'"
    assert [(o.value, o.label, o.score) for o in fysiek["maatregelen"].options] == [
        ("sloten", "Goede sloten op deuren en hekken", 40.0),
        ("verlichting", "Verlichting die 's nachts aangaat", 30.0),
        ("camera", "Camera's", 30.0),
        ("geen", "Geen van deze", 0.0),
    ]


def test_outline__says_which_rules_and_show_ifs_read_each_question(catalog):
    view = outline(catalog.get("voorbeeld", 1))
    questions = {x.id: x for t in view.themes for x in t.questions}
    assert questions["benaderd"].rules == ("benaderd_melden",)
    assert questions["benaderd"].shown_by == ("druk_nu",)
    assert questions["verhuur"].shown_by == ("huur_contant",)
    assert set(questions["druk_nu"].rules) == {"benaderd_melden", "druk_nu_hulp"}
    assert questions["toelichting"].rules == ()
    rules = {r.id: r for r in view.rules}
    # in question order, each once
    assert rules["personeel_screenen"].reads == ("vertrouwen_personeel", "aantal_medewerkers")
    assert rules["benaderd_melden"].reads == ("benaderd", "druk_nu")
    assert rules["druk_nu_hulp"].red_flag


def test_outline__a_scale_question_shows_its_range(catalog):
    view = outline(catalog.get("voorbeeld", 1))
    questions = {x.id: x for t in view.themes for x in t.questions}
    assert questions["vertrouwen_personeel"].range.startswith("1 tot ")
    assert questions["verhuur"].range == ""


def test_completion_ids__questions_options_themes_rules_and_referrals(catalog):
    q = catalog.get("voorbeeld", 1)
    ids = completion_ids(q)
    assert [x["id"] for x in ids["themes"]] == ["fysiek", "sociaal", "signalen"]
    assert ids["questions"][0] == {"id": "verhuur", "info": q.question("verhuur").text}
    assert {
        "id": "contant",
        "info": next(
            f"{o.label} (vraag huur_contant)"
            for o in q.question("huur_contant").options
            if o.value == "contant"
        ),
    } in ids["options"]
    assert "personeel_screenen" in [x["id"] for x in ids["rules"]]
    referrals = [x["id"] for x in ids["referrals"]]
    # the questionnaire's own referrals first, then the rest of the registry
    assert referrals[: len(q.referrals)] == list(q.referrals)
    assert "meld_misdaad_anoniem" in referrals
    assert len(referrals) == len(set(referrals))
    assert all(x["info"] for x in ids["referrals"])
