"""The HTML of a theme page's question blocks, rendered once per state and then reused."""

from __future__ import annotations

from flask import get_template_attribute
from markupsafe import Markup

from scan.platform.cache import lru
from scan.platform.languages import current_language
from scan.questionnaire import Question
from scan.questionnaire.values import SPECIAL_ANSWERS
from scan.scans import forms, store

# A theme page is mostly these blocks, and rendering form fields is the slow part of a page.
# Keyed on the questionnaire's fingerprint, the page's language (a block holds interface words:
# "Waarom vragen we dit?", the special answers; a scan in English whose questionnaire has no
# English yet reads the Dutch questionnaire, with the Dutch one's fingerprint), the question
# id, whether it shows, whether it was just added, and its field data. Safe: a block is
# rendered from exactly these (a pinned questionnaire never changes), blocks with an error are
# never cached, and the CSRF token is not part of a block.
_fragments = lru("html-fragments", 20_000)


def render_questions(q, questions, make_form, shown, errors, added, data) -> list[Markup]:
    """Return the HTML of each question block, from the cache where the same block was shown."""
    digest = store.snapshot_of(q)[1], current_language()
    macro = form = None
    blocks = []
    for question in questions:
        visible, error = question.id in shown, errors.get(question.id)
        key = None
        if data is not None and error is None:
            state = tuple(_frozen(data.get(name)) for name in forms.field_names(question))
            key = (digest, question.id, visible, question.id in added, state)
        html = _fragments.get(key) if key else None
        if html is None:
            if form is None:
                form = make_form()
                macro = get_template_attribute("scans/_questions.html", "question")
            html = Markup(macro(_item(form, question, visible, error), question.id in added))
            if key:
                _fragments.put(key, html)
        blocks.append(html)
    return blocks


def _frozen(value):
    return tuple(value) if isinstance(value, list) else value


def _item(form, question: Question, visible: bool, error: str | None) -> dict:
    return {
        "q": question,
        "fields": [form[name] for name in forms.field_names(question)],
        "visible": visible,
        "error": error,
        "special_values": set(SPECIAL_ANSWERS),
    }
