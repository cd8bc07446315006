"""The page's language for the words the domain writes (scan/presentation.py's Words seam).

The domain keeps its Dutch words and imports no Flask; the scan pages pass PAGE_WORDS, which
translates them with the page's gettext. The domain's fixed words are marked here so that
`make translations` extracts them (Dutch is the source language; the msgid is the Dutch text).
"""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext, ngettext

# Words the questionnaire model writes itself, not the questionnaire's author: the yes/no
# answers, the special answers and what a required question left open asks for
# (scan.questionnaire.kinds, scan.questionnaire.values).
DOMAIN_WORDS = (
    lazy_gettext("Ja"),
    lazy_gettext("Nee"),
    lazy_gettext("Weet ik niet"),
    lazy_gettext("Niet van toepassing"),
    lazy_gettext("Beantwoord deze vraag"),
    lazy_gettext("Kies ‘Ja’ of ‘Nee’"),
    lazy_gettext("Kies het antwoord dat het best past"),
    lazy_gettext("Kies wat er bij u is"),
    lazy_gettext("Kies een getal op de schaal"),
    lazy_gettext("Vul een getal in"),
    lazy_gettext("Vul een antwoord in"),
    lazy_gettext("{words}, of kies ‘{label}’."),
)


class PageWords:
    """The page's language for the words presentation writes."""

    def gettext(self, message: str) -> str:
        """Return the message in the page's language."""
        return gettext(message)

    def ngettext(self, one: str, many: str, count: int) -> str:
        """Return the singular or plural message in the page's language."""
        return ngettext(one, many, count)


PAGE_WORDS = PageWords()
