"""Questionnaires: YAML in, validated and compiled models out. Knows nothing of Flask."""

from scan.questionnaire.errors import (
    AnswersError,
    ExpressionError,
    Position,
    Problem,
    QuestionnaireError,
    ScanError,
    UnknownQuestionnaire,
)
from scan.questionnaire.loader import (
    Catalog,
    load_catalog,
    load_questionnaire,
    load_questionnaire_text,
    validate_paths,
)
from scan.questionnaire.model import Question, Questionnaire, Referral, Rule, Theme
from scan.questionnaire.registry import load_registry

__all__ = [
    "AnswersError",
    "Catalog",
    "ExpressionError",
    "Position",
    "Problem",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "Referral",
    "Rule",
    "ScanError",
    "Theme",
    "UnknownQuestionnaire",
    "load_catalog",
    "load_questionnaire",
    "load_questionnaire_text",
    "load_registry",
    "validate_paths",
]
