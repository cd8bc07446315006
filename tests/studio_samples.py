"""Overlay texts for the studio and document tests: one that loads, one with a located error."""

from __future__ import annotations

OVERLAY = """\
id: voorbeeld_recron
version: 1
extends: {id: voorbeeld, version: 1}
title: Voorbeeldscan voor vakantieparken
listed: true
add:
  questions:
    - id: sleutelbeheer
      theme: fysiek
      text: Weet u altijd wie een sleutel van uw pand heeft?
      help: Met een lijst van sleutels ziet u snel wie binnen kan komen.
      type: yes_no
      good_answer: ja
  rules:
    - id: sleutels_bijhouden
      when: sleutelbeheer == 'nee'
      theme: fysiek
      priority: high
      advice:
        title: Houd bij wie een sleutel heeft
        explanation: Zo ziet u snel wie binnen kan komen.
        steps: [Maak deze week een lijst van alle sleutels.]
"""

# The rule reads a question that does not exist: an error on line 16, column 13.
BROKEN = OVERLAY.replace("when: sleutelbeheer == 'nee'", "when: sleutelbeheerr == 'nee'")
BROKEN_LINE = 16


def with_version(text: str, version: int) -> str:
    """Return an overlay text with another version number."""
    return text.replace("version: 1\nextends", f"version: {version}\nextends", 1)
