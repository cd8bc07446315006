"""Measure how easy a Dutch text is to read, and check it against B1 limits.

The measures are the ones Dutch plain-language guides use: sentence length in words and the
Flesch-Douma reading ease, ``206.835 - 0.93 * (words / sentences) - 77 * (syllables / words)``
(W.H. Douma's 1960 adaptation of Flesch to Dutch). Douma's table: 0-30 very hard (university),
30-45 hard, 45-60 fairly hard, 60-70 normal (lower secondary school), 70-80 fairly easy,
80-100 easy. B1 is the level of lower secondary school (vmbo), so B1 text scores 60 or more.

Limits (``B1``), and why:

- No sentence over 20 words. Plain-language guides for B1 (Rijksoverheid "Direct duidelijk",
  Stichting Lezen & Schrijven, Steunpunt Taal en Rekenen) put the upper limit of a sentence
  at 15 to 20 words; longer sentences lose readers with limited reading skills.
- At most 15 words per sentence on average within one text: the B1 guides' average.
- Flesch-Douma at least 40 for every text of 8 words or more. Below 45 Douma calls a text
  "hard" (upper secondary school and up). A single text is short, so one unavoidable long
  word (``identiteitsbewijs``, ``Meld Misdaad Anoniem``) moves its score by ten points or
  more; 40 leaves room for one such word and still fails a text that piles them up. Shorter
  texts (option labels, titles) are judged on their words, not on a score.
- Flesch-Douma at least 65 for all texts of a questionnaire taken together: well inside
  "normal" (60-70), the B1 band, so the questionnaire as a whole reads at B1.
- No officialese from the B1 word lists (``indien``, ``middels``, ``o.a.``...): each has an
  everyday word to use instead (``AVOID``).
- A domain word that cannot be avoided (``JARGON``: ondermijning, Wwft, UBO, VOG...) is
  explained where the reader first meets it (in reading order: introduction, then theme by
  theme, then the advice): followed by a parenthesis, a colon, ``dat is``, ``betekent`` or
  ``is een``; or defined at the start of a sentence (``Witwassen is ...``); or written in
  parentheses, or after ``heet`` / ``dat is``, just after its explanation. A question's
  text, help and options count as one place (they are shown together), and so do an
  advice's title, explanation and steps.

Counting rules: a sentence ends at ``.``, ``!``, ``?``, ``;`` or a line break (not at a full
stop inside a number, web address or abbreviation). A word is a run of letters (with ``-`` or
``'`` inside: ``e-mail``, ``camera's`` are one word); a number or web address counts as one
word of one syllable. Syllables come from the Dutch hyphenation patterns of ``pyphen``
(nl_NL), refined by counting vowel groups within each part, because hyphenation never splits
off a single letter at the edge of a word (``idee`` is ``i-dee``). An abbreviation in capitals
of up to four letters is read letter by letter (``VOG`` is ``vee-oo-gee``), as is a word
without vowels (``Wwft``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import pyphen

from scan.questionnaire.model import Questionnaire, Referral

MAX_SENTENCE_WORDS = 20
MAX_MEAN_SENTENCE_WORDS = 15.0
MIN_TEXT_SCORE = 40.0
MIN_WORDS_FOR_SCORE = 8
MIN_OVERALL_SCORE = 65.0

# Officialese that B1 word lists tell writers to replace, with the everyday word to use.
AVOID: dict[str, str] = {
    "indien": "als",
    "middels": "met",
    "teneinde": "om",
    "alsmede": "en",
    "alvorens": "voordat",
    "reeds": "al",
    "dient": "moet",
    "dienen": "moeten",
    "danwel": "of",
    "inzake": "over",
    "ten behoeve van": "voor",
    "aangaande": "over",
    "betreffende": "over",
    "desgewenst": "als u wilt",
    "zorgdragen": "zorgen",
    "trachten": "proberen",
    "woonachtig": "wonen",
    "bijv.": "bijvoorbeeld",
    "o.a.": "onder andere",
    "i.v.m.": "door, vanwege",
    "m.b.t.": "over",
    "t.b.v.": "voor",
    "d.m.v.": "met",
    "e.d.": "en zo",
    "etc.": "en zo",
    "enz.": "en zo",
}

# Domain words a B1 reader may not know. Where one is needed, the text explains it the first
# time the reader meets it. Keys are shown in messages; values are regular expressions.
JARGON: dict[str, str] = {
    "ondermijning": r"ondermijn\w*",
    "Wwft": r"wwft",
    "UBO": r"ubo",
    "VOG": r"vog",
    "PFSO": r"pfso",
    "nachtregister": r"nachtregister\w*",
    "witwassen": r"witwas\w*",
    "Bibob": r"bibob",
    "RIEC": r"riec",
    "FIU": r"fiu",
    "MFA": r"mfa",
    "ISPS": r"isps",
    "AEO": r"aeo",
    "katvanger": r"katvanger\w*",
    "stroman": r"stroman\w*",
    "uithaler": r"uithaler\w*",
    "ronselen": r"ronsel\w*",
    "dekmantel": r"dekmantel\w*",
    "cliëntenonderzoek": r"cliëntenonderzoek\w*",
    "Vertrouwensketen": r"vertrouwensketen",
    "KVO": r"kvo",
    "PVO": r"pvo",
    "CCV": r"ccv",
    "TLN": r"tln",
    "Justis": r"justis(?!\.nl)",
}

_EXPLAINED_AFTER = re.compile(
    r"""^(?:
        \s*\(                                               # VOG (Verklaring ...)
      | \s*:                                                # ondermijning: ...
      | [\s,.?]*(?:dat|dit|die|wat)\s+(?:is|zijn|betekent|betekenen|wil\s+zeggen)\b
      | \s+(?:is|zijn)\s+(?:een|de|het|iemand|mensen|personen|bedrijven|geld)\b
      | \s+(?:is|zijn)\s+\w+\s+(?:die|dat|waarbij|waarin|waarmee)\b     # X is misdaad die
      | \s+(?:betekent|betekenen|heet|heten|bedoelen|bedoelt|noemen\s+we)\b
      | [\s,]*(?:oftewel|ofwel)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# '... Dat heet tweestapsverificatie of MFA.': the word named just after its explanation.
_EXPLAINED_BEFORE = re.compile(
    r"\b(?:heet|heten|noemen\s+we|noemt\s+men|dat\s+is|dit\s+is|ook\s+wel|oftewel|ofwel)"
    r"\s+(?:[\w'-]+\s+){0,3}$",
    re.IGNORECASE,
)

_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+)(?:(?:de|het|een)\s+)?$", re.IGNORECASE)
_ABBREVIATIONS = (
    "bijv.",
    "o.a.",
    "i.v.m.",
    "m.b.t.",
    "t.b.v.",
    "d.m.v.",
    "e.d.",
    "etc.",
    "enz.",
    "nr.",
    "tel.",
    "ca.",
    "mr.",
    "dhr.",
    "mevr.",
    "z.s.m.",
    "d.w.z.",
)
# One pass for every abbreviation (each in its own group, so the match names it); the dots of
# one followed by a space are hidden while sentences are split, and it is written lower case.
_ABBREVIATION = re.compile(
    "(?:" + "|".join(f"({re.escape(a)})" for a in _ABBREVIATIONS) + r")(?=\s)", re.IGNORECASE
)
_PROTECTED = [a.replace(".", "\0") for a in _ABBREVIATIONS]
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_NUMBER_OR_ADDRESS = re.compile(r"\d|www\.|https?://|\w\.\w{2,}|@")
_VOWELS = "aeiouyáéíóúàèìòùâêîôûäëïöü"
_DIAERESIS = "äëïöü"


@dataclass(frozen=True)
class Readability:
    """Counts and scores of one text."""

    text: str
    sentences: int
    words: int
    syllables: int
    longest_sentence: int

    @property
    def mean_sentence_length(self) -> float:
        """Return the mean number of words per sentence."""
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def flesch_douma(self) -> float:
        """Return the Flesch-Douma reading ease (higher is easier; B1 is 60 or more)."""
        if not self.words:
            return 100.0
        return 206.835 - 0.93 * self.mean_sentence_length - 77 * (self.syllables / self.words)


@dataclass(frozen=True)
class TextProblem:
    """One text that is too hard: where it is, what is wrong, and its measures."""

    where: str
    text: str
    message: str
    readability: Readability

    def __str__(self) -> str:
        r = self.readability
        return (
            f"{self.where}: {self.message} [Flesch-Douma {r.flesch_douma:.0f}, "
            f"longest sentence {r.longest_sentence} words, "
            f"mean {r.mean_sentence_length:.1f}]\n    {self.text!r}"
        )


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


def _vowel_groups(part: str) -> int:
    """Count runs of vowels in a word part; 'ij' is a vowel, a diaeresis starts a new run."""
    part = part.lower().replace("ij", "y")
    groups, previous = 0, False
    for char in part:
        vowel = char in _VOWELS
        if vowel and (not previous or char in _DIAERESIS):
            groups += 1
        previous = vowel
    return groups


@lru_cache(maxsize=20_000)
def count_syllables(word: str) -> int:
    """Count the syllables of one Dutch word (at least 1)."""
    letters = re.sub(r"[^\w]", "", word)
    if not letters:
        return 0
    if _NUMBER_OR_ADDRESS.search(word):
        return 1
    if (letters.isupper() and len(letters) <= 4 and len(letters) > 1) or not _vowel_groups(letters):
        return len(letters)
    total = 0
    for chunk in re.split(r"[-'’]", word):
        if not _vowel_groups(chunk):  # the 's' of "camera's"
            continue
        for part in _hyphenator().inserted(chunk).split("-"):
            total += max(1, _vowel_groups(part)) if part else 0
    return max(1, total)


def split_sentences(text: str) -> list[str]:
    """Split a text into sentences (abbreviations and numbers do not end one)."""
    return [sentence for sentence, _ in _sentences(text)]


def _sentences(text: str) -> list[tuple[str, list[str]]]:
    """Return each sentence of a text with its words (a part without words is no sentence)."""
    protected = _ABBREVIATION.sub(lambda m: _PROTECTED[m.lastindex - 1], text)
    found = []
    for part in _SENTENCE_END.split(protected):
        sentence = part.replace("\0", ".").strip()
        sentence_words = words(sentence)
        if sentence_words:
            found.append((sentence, sentence_words))
    return found


def words(sentence: str) -> list[str]:
    """Return the words of a sentence; a number or web address is one word."""
    found: list[str] = []
    for token in _TOKEN.findall(sentence):
        if _NUMBER_OR_ADDRESS.search(token):
            found.append(token.strip(".,;:!?()[]\"'"))
        else:
            found.extend(_WORD.findall(token))
    return found


def measure(text: str) -> Readability:
    """Count sentences, words and syllables of a text."""
    sentences = _sentences(text)
    lengths = [len(sentence_words) for _, sentence_words in sentences]
    all_words = [w for _, sentence_words in sentences for w in sentence_words]
    return Readability(
        text=text,
        sentences=len(sentences),
        words=len(all_words),
        syllables=sum(count_syllables(w) for w in all_words),
        longest_sentence=max(lengths, default=0),
    )


def check_text(text: str, where: str = "") -> list[TextProblem]:
    """Return what makes one text too hard for B1 (empty when it is fine)."""
    r = measure(text)
    messages: list[str] = []
    if r.longest_sentence > MAX_SENTENCE_WORDS:
        messages.append(
            f"a sentence has {r.longest_sentence} words (at most {MAX_SENTENCE_WORDS}): split it"
        )
    if r.sentences > 1 and r.mean_sentence_length > MAX_MEAN_SENTENCE_WORDS:
        messages.append(
            f"sentences average {r.mean_sentence_length:.1f} words "
            f"(at most {MAX_MEAN_SENTENCE_WORDS:g}): shorten them"
        )
    if r.words >= MIN_WORDS_FOR_SCORE and r.flesch_douma < MIN_TEXT_SCORE:
        messages.append(
            f"Flesch-Douma {r.flesch_douma:.0f} (at least {MIN_TEXT_SCORE:g}): "
            "use shorter words and sentences"
        )
    lowered = f" {text.lower()} "
    for word, instead, regex in _AVOID:
        if word in lowered and regex.search(lowered):
            messages.append(f"'{word}' is officialese: write '{instead}'")
    return [TextProblem(where, text, m, r) for m in messages]


_AVOID = [
    (word, instead, re.compile(r"(?<![\w.])" + re.escape(word) + r"(?!\w)"))
    for word, instead in AVOID.items()
]
_JARGON = [
    (name, re.compile(r"(?<!\w)" + pattern + r"(?!\w)", re.IGNORECASE))
    for name, pattern in JARGON.items()
]
_ANY_JARGON = re.compile(
    r"(?<!\w)(?:"
    + "|".join(f"(?P<j{group}>{pattern})" for group, pattern in enumerate(JARGON.values()))
    + r")(?!\w)",
    re.IGNORECASE,
)


def unexplained_jargon(texts: Iterable[tuple[str, str]]) -> list[TextProblem]:
    """Return each jargon word whose first use (in reading order) is not explained there."""
    problems: list[TextProblem] = []
    texts = list(texts)
    places = [_place(where) for where, _ in texts]
    # Where each jargon word first appears: one scan of all texts, a line break between them.
    # A word never spans two texts, and two words never start at one place.
    joined = "\n".join(text for _, text in texts)
    first: dict[str, int] = {}
    for match in _ANY_JARGON.finditer(joined):
        first.setdefault(match.lastgroup, match.start())
    starts, offset = [], 0
    for _, text in texts:
        starts.append(offset)
        offset += len(text) + 1
    for group, (name, regex) in enumerate(_JARGON):
        if f"j{group}" not in first:
            continue
        index = bisect_right(starts, first[f"j{group}"]) - 1
        where, text = texts[index]
        together = [
            t for (_, t), place in zip(texts, places, strict=True) if place == places[index]
        ]
        explained = any(
            _is_explained(t, m.start(), m.end()) for t in together for m in regex.finditer(t)
        )
        if not explained:
            problems.append(
                TextProblem(
                    where,
                    text,
                    f"'{name}' is jargon: explain it where it first appears, e.g. "
                    f"'{name} (...)' or '{name}, dat is ...'",
                    measure(text),
                )
            )
    return problems


def _place(where: str) -> str:
    """Return the item a text belongs to: 'questions[3].help' -> 'questions[3]'."""
    return where.split(".", 1)[0]


def _is_explained(text: str, start: int, end: int) -> bool:
    """Tell whether the jargon word at text[start:end] comes with its explanation."""
    before, after = text[:start], text[end:]
    # The word and its compound tail: 'VOG-aanvraag (...)' explains VOG too.
    after = re.sub(r"^[-\w]*", "", after)
    in_parentheses = before.rstrip().endswith("(") and after.lstrip().startswith(")")
    # A definition: 'Witwassen is ...', 'De Wwft is ...' at the start of a sentence.
    defines = bool(_SENTENCE_START.search(before) and re.match(r"\s+(?:is|zijn)\s", after))
    return (
        in_parentheses
        or defines
        or bool(_EXPLAINED_AFTER.match(after))
        or bool(_EXPLAINED_BEFORE.search(before))
    )


def questionnaire_texts(q: Questionnaire) -> Iterator[tuple[str, str]]:
    """Yield every user-facing text of a questionnaire as (path, text), in reading order."""
    yield "title", q.title
    yield "sector", q.sector
    yield "introduction", q.introduction
    index = {question.id: i for i, question in enumerate(q.questions)}
    for t, theme in enumerate(q.themes):
        yield f"themes[{t}].title", theme.title
        yield f"themes[{t}].description", theme.description
        for question in q.questions_for(theme.id):
            yield from _question_texts(f"questions[{index[question.id]}]", question)
    for r, rule in enumerate(q.rules):
        path = f"rules[{r}].advice"
        yield f"{path}.title", rule.advice.title
        yield f"{path}.explanation", rule.advice.explanation
        for s, step in enumerate(rule.advice.steps):
            yield f"{path}.steps[{s}]", step
    yield "red_flag_outcome.label", q.red_flag_outcome.label
    yield "red_flag_outcome.explanation", q.red_flag_outcome.explanation
    for s, step in enumerate(q.red_flag_outcome.today):
        yield f"red_flag_outcome.today[{s}].text", step.text
    yield "red_flag_outcome.avoid", q.red_flag_outcome.avoid
    for level_index, level in enumerate(q.risk_levels):
        yield f"risk_levels[{level_index}].label", level.label
        yield f"risk_levels[{level_index}].explanation", level.explanation


def _question_texts(path: str, question) -> Iterator[tuple[str, str]]:
    yield f"{path}.text", question.text
    yield f"{path}.help", question.help
    for o, option in enumerate(question.options):
        yield f"{path}.options[{o}].label", option.label
    if question.scale:
        yield f"{path}.scale.min_label", question.scale.min_label
        yield f"{path}.scale.max_label", question.scale.max_label
    if question.number and question.number.unit:
        yield f"{path}.number.unit", question.number.unit
    if question.error_message:
        yield f"{path}.error_message", question.error_message


def referral_texts(referrals: Iterable[Referral]) -> Iterator[tuple[str, str]]:
    """Yield the written texts of referral registry entries as (path, text); names are names."""
    for referral in referrals:
        yield f"referrals[{referral.id}].when", referral.when
        if referral.contact:
            yield f"referrals[{referral.id}].contact", referral.contact


def check_texts(texts: Iterable[tuple[str, str]]) -> list[TextProblem]:
    """Check each text on its own against the B1 limits."""
    return [p for where, text in texts for p in check_text(text, where)]


def overall(texts: Iterable[tuple[str, str]]) -> Readability:
    """Measure a set of texts taken together, as one document."""
    joined = "\n".join(text for _, text in texts)
    return measure(joined)
