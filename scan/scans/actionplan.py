"""The action plan of a submitted scan: per piece of advice a state, who and when; as .ics.

Only advice that fired for the scan can be planned. Nothing is sent anywhere: the calendar
file is made here and downloaded by the entrepreneur.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import format_date, gettext

from scan.platform.extensions import db
from scan.platform.models import PLAN_STATES, PlanStep, Scan, utcnow
from scan.presentation import dutch_date
from scan.scans import store

WHO_MAX = 100
YEARS_AHEAD = 10  # a date later than this many years after the scan is a typing error


def _day(day: dt.date) -> str:
    """Return a date in full in the page's language: 1 maart 2027."""
    return format_date(day, "d MMMM y")


class PlanError(ValueError):
    """A posted plan step that cannot be stored; the message is Dutch, for the page."""


@dataclass(frozen=True)
class StepPost:
    """A posted plan step as read from its form."""

    advice_id: str
    state: str
    who: str
    due: str


def _due(scan: Scan, text: str) -> dt.date | None:
    """Return the posted date, or raise PlanError when it is no date or an absurd one."""
    start = (scan.submitted_at or scan.created_at).date()
    return read_due(text, dt.date(start.year - 1, 1, 1), dt.date(start.year + YEARS_AHEAD, 12, 31))


def read_due(text: str, first: dt.date, last: dt.date) -> dt.date | None:
    """Return a posted date ("" is none), or raise PlanError when it is no date or not in
    first..last (a typing error); the plan's steps and a visit's agreed actions read it so."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise PlanError(
            gettext("Vul de datum in als jjjj-mm-dd, bijvoorbeeld 2027-03-01.")
        ) from None
    if not first <= day <= last:
        raise PlanError(
            gettext(
                "Kies een datum tussen %(first)s en %(last)s.", first=_day(first), last=_day(last)
            )
        )
    return day


def save_step(scan: Scan, post: StepPost) -> PlanStep | None:
    """Store one plan step of a submitted scan (an empty state clears it); commit.

    Under the scan's lock: a second click waits and then updates the step the first one made.
    Raises ScanBusy when the lock does not come; PlanError for advice the scan did not get, an
    unknown state, a long name or a date that is no date or far off.
    """
    if scan.submitted_at is None:
        raise PlanError(gettext("Maak de scan eerst af. Daarna kunt u een actieplan maken."))
    if post.advice_id not in {r.rule_id for r in scan.fired_rules}:
        raise PlanError(gettext("Deze tip hoort niet bij uw scan."))
    state = (post.state or "").strip()
    if state and state not in PLAN_STATES:
        raise PlanError(gettext("Kies gepland, bezig, gedaan of niet van toepassing."))
    who = " ".join((post.who or "").split())
    if len(who) > WHO_MAX:
        raise PlanError(gettext("Schrijf bij ‘wie’ hoogstens %(count)s tekens.", count=WHO_MAX))
    due = _due(scan, post.due)
    scan = store.lock_scan(scan)
    step = next((s for s in scan.plan_steps if s.advice_id == post.advice_id), None)
    if not state and not who and due is None:
        if step is not None:
            scan.plan_steps.remove(step)
        step = None
    else:
        if step is None:
            step = PlanStep(advice_id=post.advice_id)
            scan.plan_steps.append(step)
        step.state, step.who, step.due = state or "gepland", who or None, due
    scan.updated_at = utcnow()  # activity: keeps a shared scan (see scan/retention.py)
    db.session.commit()
    return step


def plan_of(scan: Scan) -> dict[str, PlanStep]:
    """Return the scan's plan steps by advice id."""
    return {s.advice_id: s for s in scan.plan_steps}


def month_phrase(day: dt.date) -> str:
    """Return "maart 2027" for a date: how a plan's month reads."""
    return dutch_date(day).split(" ", 1)[1]


# --- calendar file (RFC 5545) ---------------------------------------------------------------


def _escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, never inside a character."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74  # continuation lines start with one space
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def calendar(
    token: str,
    title: str,
    steps: Mapping[str, PlanStep],
    advice_titles: Mapping[str, str],
    now: dt.datetime | None = None,
) -> bytes:
    """Return the plan's dated steps as an iCalendar file: one all-day event per step.

    UIDs come from the link token and the advice, so downloading again updates the same
    events in a calendar; the token itself cannot be read back from them.
    """
    stamp = f"{now or utcnow():%Y%m%dT%H%M%SZ}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Weerbaarheidsscan//Actieplan//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape('Actieplan ' + title)}",
    ]
    for advice_id, step in sorted(steps.items()):
        if step.due is None or advice_id not in advice_titles:
            continue
        uid = hashlib.sha256(f"ics/{token}/{advice_id}".encode()).hexdigest()[:32]
        state = PLAN_STATES.get(step.state, step.state)
        description = f"Stand: {state}." + (f" Wie: {step.who}." if step.who else "")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@weerbaarheidsscan",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{step.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{step.due + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(advice_titles[advice_id])}",
            f"DESCRIPTION:{_escape(description)}",
            "STATUS:CONFIRMED",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
