"""Questionnaires: YAML in, validated and compiled models out. Knows nothing of Flask."""

from .errors import (
    AnswersError,
    ExpressionError,
    Position,
    Problem,
    QuestionnaireError,
    ScanError,
    UnknownQuestionnaire,
)
from .loader import (
    Catalog,
    load_catalog,
    load_questionnaire,
    load_questionnaire_text,
    load_registry,
    validate_paths,
)
from .model import Question, Questionnaire, Referral, Rule, Theme

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
