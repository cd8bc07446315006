"""Theme-page forms (scan/scans/forms.py): what a post may hold, worked out once per page."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from scan.scans import forms


def test_allowed_values__once_per_page_and_as_the_builders_say(catalog):
    q = catalog.get("voorbeeld")
    questions = q.questions_for(q.themes[0].id)
    expected = {}
    for question in questions:
        expected.update(forms.BUILDERS[question.type].allowed(question))
    first = forms.allowed_values(questions)
    assert first == expected
    assert forms.allowed_values(list(questions)) is first  # the same question objects
    other = q.questions_for(q.themes[1].id)
    assert forms.allowed_values(other) is not first


def test_tampered__still_names_unknown_fields_and_options(catalog):
    q = catalog.get("voorbeeld")
    questions = q.questions_for(q.themes[0].id)
    choice = next(x for x in questions if x.type in ("yes_no", "choice"))
    post = MultiDict({"q_onbekend": "1", forms.field_name(choice.id): "verzonnen"})
    assert forms.tampered(questions, post) == [
        "q_onbekend: unknown field",
        f"{forms.field_name(choice.id)}: unknown option",
    ]


def test_question_blocks__cached_per_page_language(app, catalog):
    # Regression: the block cache's key had no language, so a scan in English whose
    # questionnaire has no English yet (the Dutch one, the same fingerprint) showed the
    # interface words of whichever language rendered the block first.
    from scan.platform import languages
    from scan.scans.fragments import render_questions

    q = catalog.get("voorbeeld")
    questions = q.questions_for(q.themes[0].id)
    form_cls = forms.form_class(q, q.themes[0].id)

    def blocks(language: str) -> str:
        with app.test_request_context("/"):
            languages.use_language(language)
            shown = {x.id for x in questions}
            made = render_questions(q, questions, form_cls, shown, {}, set(), {})
            return "".join(made)

    assert "Waarom vragen we dit?" in blocks("nl")
    english = blocks("en")
    assert "Why do we ask this?" in english and "Waarom vragen we dit?" not in english
    assert "Waarom vragen we dit?" in blocks("nl")
