"""Unit tests for the Dutch readability measures: syllables, sentences, Flesch-Douma, jargon."""

from __future__ import annotations

import pytest

from scan.questionnaire import readability as rd


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("ja", 1),
        ("vraag", 1),
        ("bedrijf", 2),
        ("verhuur", 2),
        ("politie", 3),
        ("camera", 3),
        ("ondermijning", 4),
        ("ondernemer", 4),
        ("criminelen", 4),
        ("organisatie", 5),
        ("weerbaarheidsscan", 4),
        ("idee", 2),  # hyphenation keeps 'i' with 'dee'; the vowel groups split them
        ("Anoniem", 3),
        ("museum", 3),  # 'eu' is one sound in 'neus', two here: the patterns know
        ("beëindigen", 4),  # a diaeresis starts a new syllable
        ("eigenaar", 3),  # 'ij'/'ei' and 'aa' are one vowel each
        ("ijs", 1),
        ("chauffeur", 2),
        ("e-mail", 2),
        ("camera's", 3),
        ("VOG", 3),  # read letter by letter: vee-oo-gee
        ("UBO", 3),
        ("Wwft", 4),  # no vowels: read letter by letter
        ("0800-7000", 1),  # a number is one unit
        ("www.meldmisdaadanoniem.nl", 1),
    ],
)
def test_count_syllables__dutch_words__known_counts(word, syllables):
    assert rd.count_syllables(word) == syllables


def test_split_sentences__punctuation_and_line_breaks__end_sentences():
    text = "Bel ons. Is dat veilig? Ja!\nNog een regel; en nog een"
    assert rd.split_sentences(text) == [
        "Bel ons.",
        "Is dat veilig?",
        "Ja!",
        "Nog een regel;",
        "en nog een",
    ]


def test_split_sentences__abbreviation_number_and_address__do_not_end_sentences():
    text = "Bel bijv. 0800-7000 of kijk op www.politie.nl voor 1.500 tips. Klaar."
    assert rd.split_sentences(text) == [
        "Bel bijv. 0800-7000 of kijk op www.politie.nl voor 1.500 tips.",
        "Klaar.",
    ]


def test_split_sentences__abbreviation_in_capitals_or_at_the_end():
    # Followed by a space, an abbreviation never ends a sentence (and is read in lower case);
    # at the very end of a text nothing follows it, so it stays as written.
    assert rd.split_sentences("Zie O.A. de politie. Bel NR. 5") == [
        "Zie o.a. de politie.",
        "Bel nr. 5",
    ]
    assert rd.split_sentences("Bel de politie, bel CA.") == ["Bel de politie, bel CA."]
    assert rd.measure("Bel CA.").syllables == 3  # 'CA' read letter by letter


def test_unexplained_jargon__first_text_of_several_that_use_it__is_judged():
    texts = [
        ("title", "Weerbaarheid"),
        ("questions[0].text", "Heeft u een VOG?"),
        ("questions[1].text", "Is de VOG (Verklaring Omtrent het Gedrag) nieuw?"),
        ("questions[2].text", "Hoe gaat u om met witwassen?"),
    ]
    found = [(p.where, p.message.split(" is ")[0]) for p in rd.unexplained_jargon(texts)]
    assert found == [("questions[0].text", "'VOG'"), ("questions[2].text", "'witwassen'")]


def test_words__compounds_numbers_and_punctuation__counted_once():
    assert rd.words("Bel (gratis) 0800-7000, en/of mail: e-mail's!") == [
        "Bel",
        "gratis",
        "0800-7000",
        "en",
        "of",
        "mail",
        "e-mail's",
    ]


def test_measure__simple_sentence__flesch_douma_by_hand():
    # Ik (1) bel (1) de (1) po-li-tie (3): 4 words, 6 syllables, 1 sentence.
    r = rd.measure("Ik bel de politie.")
    assert (r.sentences, r.words, r.syllables, r.longest_sentence) == (1, 4, 6, 4)
    assert r.flesch_douma == pytest.approx(206.835 - 0.93 * 4 - 77 * 6 / 4)


def test_measure__empty_text__no_sentences_and_easiest_score():
    r = rd.measure("  ")
    assert (r.sentences, r.words) == (0, 0)
    assert r.flesch_douma == 100


def test_flesch_douma__plain_text_scores_higher_than_officialese():
    plain = rd.measure("Verhuurt u een schuur? Vraag dan een ID. Kijk of de naam klopt.")
    hard = rd.measure(
        "Administratieve controlemechanismen verminderen organisatorische kwetsbaarheden."
    )
    assert plain.flesch_douma > 80
    assert hard.flesch_douma < 0


def test_check_text__plain_b1_text__passes():
    text = (
        "Criminelen huren graag een schuur of loods. Daar kweken ze hennep of maken ze drugs. "
        "Vraag daarom altijd een identiteitsbewijs van de huurder."
    )
    assert rd.check_text(text) == []


def test_check_text__long_sentence__fails_with_its_length():
    text = (
        "Als u een schuur of een loods verhuurt aan iemand die u niet kent, dan is het "
        "verstandig om vooraf goed te kijken wie die persoon is en wat hij gaat doen."
    )
    problems = rd.check_text(text, "questions[0].help")
    assert [p.message for p in problems if "words (at most 20)" in p.message]
    assert problems[0].where == "questions[0].help"
    assert problems[0].readability.longest_sentence == 32


def test_check_text__long_sentences_on_average__fail():
    sentence = "Wij vragen u om de huurder van uw schuur of loods elk jaar goed te bekijken. "
    problems = rd.check_text(sentence * 3)
    assert any("average" in p.message for p in problems)
    assert not any("at most 20" in p.message for p in problems)


def test_check_text__hard_words__fail_on_score():
    text = (
        "Controleer regelmatig identiteitsbewijzen, bedrijfsadministratie en "
        "beveiligingsmaatregelen van huurders."
    )
    problems = rd.check_text(text)
    assert len(problems) == 1 and "Flesch-Douma" in problems[0].message
    assert problems[0].readability.flesch_douma < rd.MIN_TEXT_SCORE


def test_check_text__short_label_with_long_word__not_scored():
    # A three-word option label: too short for a meaningful score.
    assert rd.check_text("Ja, met identiteitsbewijs") == []


def test_check_text__officialese__names_the_plain_word():
    problems = rd.check_text("Indien u twijfelt, belt u ons.")
    assert [p.message for p in problems] == ["'indien' is officialese: write 'als'"]


def test_check_text__abbreviation__is_officialese():
    assert rd.check_text("Let op signalen, o.a. een huurder die contant betaalt.")


def test_check_text__genuinely_hard_official_text__fails_on_every_count():
    text = (
        "Indien u voornemens bent uw bedrijfspand ter beschikking te stellen aan derden, "
        "dient u zorg te dragen voor een adequate screening van de potentiële huurder "
        "conform de geldende regelgeving."
    )
    messages = " | ".join(p.message for p in rd.check_text(text))
    assert "words (at most 20)" in messages
    assert "'indien'" in messages and "'dient'" in messages


@pytest.mark.parametrize(
    "text",
    [
        "Vraagt u een VOG (Verklaring Omtrent het Gedrag)?",
        "Vraagt u een Verklaring Omtrent het Gedrag (VOG)?",
        "Vraag een VOG-aanvraag (een bewijs van goed gedrag) aan.",
        "Ondermijning: criminelen misbruiken gewone bedrijven.",
        "Een UBO is de echte eigenaar van een bedrijf.",
        "Heeft u een nachtregister? Dat is een lijst van wie er slaapt.",
        "Een extra code op de telefoon helpt. Dat heet tweestapsverificatie of MFA.",
        "Uithalers zijn mensen die drugs uit containers halen.",
        "De Wwft betekent dat u de klant moet controleren.",
        "Ondermijning is misdaad die gewone bedrijven gebruikt.",
        "Dat is een signaal. Witwassen is zwart geld wit maken.",
    ],
)
def test_unexplained_jargon__explained_at_first_use__passes(text):
    assert rd.unexplained_jargon([("introduction", text)]) == []


def test_unexplained_jargon__first_use_unexplained__fails_even_if_explained_later():
    texts = [
        ("questions[0].text", "Vraagt u een VOG van nieuwe medewerkers?"),
        ("questions[1].help", "Een VOG (Verklaring Omtrent het Gedrag) zegt iets."),
    ]
    problems = rd.unexplained_jargon(texts)
    assert [(p.where, "'VOG'" in p.message) for p in problems] == [("questions[0].text", True)]


def test_unexplained_jargon__explained_in_help_of_same_question__passes():
    texts = [
        ("questions[0].text", "Vraagt u een VOG van nieuwe medewerkers?"),
        ("questions[0].help", "Een VOG (Verklaring Omtrent het Gedrag) zegt iets."),
        ("rules[0].advice.title", "Vraag een VOG"),
    ]
    assert rd.unexplained_jargon(texts) == []


def test_unexplained_jargon__word_inside_other_word__not_jargon():
    # 'vog' inside 'vogels' and 'ubo' inside 'kubo' are no abbreviations.
    assert rd.unexplained_jargon([("introduction", "Vogels en kubo's zijn geen VOG.")]) != []
    assert rd.unexplained_jargon([("introduction", "Vogels zitten op het dak.")]) == []


@pytest.mark.parametrize(
    "text", ["Volg de Wwft goed.", "Voor makelaars is de Wwft streng.", "Meld witwassen."]
)
def test_unexplained_jargon__mentioned_without_definition__fails(text):
    assert rd.unexplained_jargon([("title", text)])


def test_overall__texts_taken_together__one_document():
    texts = [("a", "Bel ons."), ("b", "Dit is een lange zin met veel woorden erin.")]
    whole = rd.overall(texts)
    assert (whole.sentences, whole.words) == (2, 11)
    assert whole.flesch_douma == pytest.approx(rd.measure("Bel ons. " + texts[1][1]).flesch_douma)


def test_questionnaire_texts__reading_order__theme_by_theme_then_advice(load_inline):
    q = load_inline(
        """
        id: volgorde
        version: 1
        title: Volgorde
        sector: Test
        introduction: Een test.
        duration_minutes: 5
        themes:
          - {id: eerst, title: Eerst, description: Het eerste thema.}
          - {id: later, title: Later, description: Het tweede thema.}
        questions:
          - {id: b, theme: later, text: Vraag B?, help: Hulp bij B., type: yes_no, good_answer: ja}
          - {id: a, theme: eerst, text: Vraag A?, help: Hulp bij A., type: yes_no, good_answer: ja}
        rules:
          - id: regel
            when: a == 'nee' or b == 'nee'
            theme: eerst
            priority: low
            advice: {title: Doe iets, explanation: Daarom., steps: [Bel ons.]}
        risk_levels:
          - {id: laag, label: Laag, min: 0, max: 100, explanation: Dit is een test.}
        """
    )
    order = [where for where, _ in rd.questionnaire_texts(q)]
    assert order.index("questions[1].text") < order.index("themes[1].title")
    assert order.index("themes[1].title") < order.index("questions[0].text")
    assert order.index("questions[0].help") < order.index("rules[0].advice.title")
    assert order[-1] == "risk_levels[0].explanation"
