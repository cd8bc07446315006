"""The report's sections as lists of flowables: cover, summary, themes, plan, help, method.

`blocks` holds the context and building blocks; each other module writes a few sections.
"""

from scan.report.sections.blocks import FIRST_ADVICE, Context
from scan.report.sections.closing import action_plan, adviser_notes, help_page, how_it_works
from scan.report.sections.front import (
    cover,
    outcome_label,
    summary,
    this_week,
    week_call_ids,
    week_steps,
)
from scan.report.sections.theme_pages import themes

__all__ = [
    "FIRST_ADVICE",
    "Context",
    "action_plan",
    "adviser_notes",
    "cover",
    "help_page",
    "how_it_works",
    "outcome_label",
    "summary",
    "themes",
    "this_week",
    "week_call_ids",
    "week_steps",
]
