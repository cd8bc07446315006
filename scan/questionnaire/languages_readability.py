"""B1 checks for the English and Polish translations: sentence length, word length, ease.

Dutch texts have their own, fuller checks (readability.py). For a translation:

- English: no sentence over 20 words, and Flesch reading ease (Flesch 1948:
  ``206.835 - 1.015 * words/sentences - 84.6 * syllables/words``) at least 40 for a text of
  8 words or more, and at least 60 for all texts of a questionnaire together. Flesch calls
  60-70 "plain English", the band of B1 readers; a single short text moves a lot with one
  long word, hence the lower bar per text (the Dutch check does the same). Syllables come
  from pyphen's en_GB patterns, refined by vowel groups.
- Polish: no sentence over 20 words, at most 8 letters per word on average in a text of 8
  words or more, and at most 6.5 for all texts together (Polish plain-language guidance,
  "prosty język": short sentences and common, short words; everyday Polish prose averages
  about 6 letters a word, official Polish well over 7).

Dutch names kept in a translation ("Meld Misdaad Anoniem (anonymous crime line)") are not
English or Polish words: the names of the referral registry are left out of the measures,
and a referral's own name is not measured at all.

All are warnings: a person decides, `--strict` makes them fail.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyphen

from scan.questionnaire.errors import Position, Problem
from scan.questionnaire.readability import split_sentences, words

MAX_SENTENCE_WORDS = 20
MIN_WORDS_FOR_SCORE = 8
MIN_ENGLISH_TEXT_EASE = 40.0
MIN_ENGLISH_OVERALL_EASE = 60.0
MAX_POLISH_TEXT_WORD_LETTERS = 8.0
MAX_POLISH_OVERALL_WORD_LETTERS = 6.5
_VOWELS = re.compile(r"[aeiouy]+", re.IGNORECASE)


@lru_cache(maxsize=1)
def _english() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


def english_syllables(word: str) -> int:
    """Count the syllables of an English word: hyphenation parts, at least one per vowel group."""
    if not any(c.isalpha() for c in word):
        return 1
    lower = word.lower()
    groups = len(_VOWELS.findall(lower))
    if lower.endswith("e") and not lower.endswith(("le", "ee")) and groups > 1:
        groups -= 1  # a silent final e: "make", "service"
    parts = len(_english().inserted(word).split("-"))
    return max(1, parts, groups)


def flesch_ease(text: str) -> tuple[float, int]:
    """Return the Flesch reading ease of an English text and its number of words."""
    sentences = [s for s in split_sentences(text) if words(s)]
    all_words = [w for s in sentences for w in words(s)]
    if not all_words:
        return 100.0, 0
    syllables = sum(english_syllables(w) for w in all_words)
    ease = 206.835 - 1.015 * len(all_words) / len(sentences) - 84.6 * syllables / len(all_words)
    return ease, len(all_words)


def text_problems(text: str, language: str) -> list[str]:
    """Return in Dutch what makes one translated text harder than B1, or nothing."""
    found = []
    for sentence in split_sentences(text):
        count = len(words(sentence))
        if count > MAX_SENTENCE_WORDS:
            found.append(f"een zin van {count} woorden (B1: hoogstens {MAX_SENTENCE_WORDS})")
    all_words = words(text)
    if len(all_words) < MIN_WORDS_FOR_SCORE:
        return found
    if language == "en":
        ease, _ = flesch_ease(text)
        if ease < MIN_ENGLISH_TEXT_EASE:
            found.append(f"Flesch-leesgemak {ease:.0f} (B1: minstens {MIN_ENGLISH_TEXT_EASE:.0f})")
    if language == "pl":
        mean = mean_letters(all_words)
        if mean > MAX_POLISH_TEXT_WORD_LETTERS:
            found.append(
                f"gemiddeld {mean:.1f} letters per woord "
                f"(B1: hoogstens {MAX_POLISH_TEXT_WORD_LETTERS:.0f})"
            )
    return found


def mean_letters(all_words: list[str]) -> float:
    """Return the mean number of letters of the words (numbers count as one letter)."""
    return sum(len(w) if w.isalpha() else 1 for w in all_words) / max(1, len(all_words))


def without_names(text: str, names: tuple[str, ...]) -> str:
    """Return the text with the kept Dutch names taken out (they are not measured)."""
    for name in names:
        text = text.replace(name, "")
    return text


def translation_warnings(
    texts: dict[str, str],
    language: str,
    file: str,
    lines: dict[str, int] | None = None,
    names: tuple[str, ...] = (),
) -> list[Problem]:
    """Return a located warning per translated text that is harder than B1, and for the whole.

    names: Dutch names kept in the translations (left out of the measures)."""
    lines = lines or {}
    measured = {
        context: without_names(text, names)
        for context, text in texts.items()
        if not context.endswith(".name")
    }
    problems = [
        Problem(
            message,
            Position(file, lines.get(context, 1), 1),
            path=context,
            hint="kortere zinnen en kortere woorden",
            severity="warning",
        )
        for context, text in measured.items()
        for message in text_problems(text, language)
    ]
    where = Position(file, 1, 1)
    whole = "\n".join(measured.values())
    if language == "pl" and words(whole):
        mean = mean_letters(words(whole))
        if mean > MAX_POLISH_OVERALL_WORD_LETTERS:
            problems.append(
                Problem(
                    f"de Poolse teksten samen hebben gemiddeld {mean:.1f} letters per woord "
                    f"(B1: hoogstens {MAX_POLISH_OVERALL_WORD_LETTERS})",
                    where,
                    hint="kortere woorden",
                    severity="warning",
                )
            )
    if language == "en" and measured:
        ease, _ = flesch_ease(whole)
        if ease < MIN_ENGLISH_OVERALL_EASE:
            problems.append(
                Problem(
                    f"de Engelse teksten samen hebben Flesch-leesgemak {ease:.0f} "
                    f"(B1: minstens {MIN_ENGLISH_OVERALL_EASE:.0f})",
                    where,
                    hint="kortere zinnen en kortere woorden",
                    severity="warning",
                )
            )
    return problems
