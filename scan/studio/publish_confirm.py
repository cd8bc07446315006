"""What the publish page shows before the author confirms: every check, examples, changes and
the translations (an unsafe one refuses, an unfinished language warns)."""

from __future__ import annotations

from dataclasses import dataclass, field

from scan.platform.models import QuestionnaireDocument
from scan.questionnaire import Catalog, Problem, Questionnaire, UnknownQuestionnaire
from scan.questionnaire.changes import describe_changes
from scan.studio import documents
from scan.studio.publish_checks import ExampleSummary, example_summary, publish_problems
from scan.studio.translation_checks import translation_problems


@dataclass
class ConfirmFacts:
    """The check as publish runs it, how many examples pass, and what members will notice."""

    report: documents.Report
    examples: ExampleSummary
    changes: list[str] = field(default_factory=list)
    compared_with: str = ""  # "versie 2" (the one members get now) or "de basisscan"
    translations: list[Problem] = field(default_factory=list)  # refused (unsafe) or warned

    @property
    def translation_errors(self) -> list[Problem]:
        return [p for p in self.translations if p.severity == "error"]


def confirm_facts(doc: QuestionnaireDocument, catalog: Catalog) -> ConfirmFacts:
    """Check a draft exactly as publish will, and describe the change for members in words."""
    report = documents.check_document(doc, doc.source, catalog)
    report.problems += publish_problems(report.questionnaire, report.data, doc.file_name)
    facts = ConfirmFacts(report, example_summary(report.questionnaire))
    facts.translations = translation_problems(doc, report.questionnaire, catalog)
    if report.questionnaire is None:
        return facts
    before, facts.compared_with = _what_members_get_now(doc, catalog)
    if before is not None:
        facts.changes = describe_changes(before, report.questionnaire)
    return facts


def _what_members_get_now(
    doc: QuestionnaireDocument, catalog: Catalog
) -> tuple[Questionnaire | None, str]:
    """Return the version members get today (else the base) and how to name it."""
    try:
        current = catalog.get(doc.questionnaire_id)
        return current, f"versie {current.version}, die leden nu invullen"
    except UnknownQuestionnaire:
        pass
    try:
        return catalog.get(doc.base_id or "", doc.base_version), "de basisscan"
    except UnknownQuestionnaire:
        return None, ""
