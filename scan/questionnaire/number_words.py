"""The number helpers of the scale and number kinds (scan/questionnaire/kinds.py): how a scale's
step reads with what its ends mean, a step as a fraction, and the refusals of a fraction where
only whole numbers fit and of a number out of range. Knows no kinds itself."""

from __future__ import annotations

from scan.questionnaire.model import Scale

SCALE_STEP_WHOLE = "a scale answer is a whole number"
COUNT_WHOLE = "this question counts whole things: give a whole number"


def scale_label(scale: Scale, value: float) -> str:
    """Return a step with what the scale's ends mean: "4 (1 = Geen, 5 = Veel)"."""
    if value == scale.min:
        return f"{value:g}: {scale.min_label}"
    if value == scale.max:
        return f"{value:g}: {scale.max_label}"
    return f"{value:g} ({scale.min} = {scale.min_label}, {scale.max} = {scale.max_label})"


def not_whole(number: float, problem: str) -> str:
    """Return the problem when a number is not whole, else ''."""
    return problem if number != int(number) else ""


def outside(number: float, low: float, high: float) -> str:
    """Return the problem when a number lies outside low..high, else ''."""
    return "" if low <= number <= high else f"{number:g} is outside {low:g} to {high:g}"


def scale_fraction(scale: Scale, value: float) -> float:
    """Return a scale step as 0..1, where 1 is the scale's good end."""
    fraction = (value - scale.min) / (scale.max - scale.min)
    return fraction if scale.good == "high" else 1.0 - fraction
