"""The trend figures as a CSV file for spreadsheets, and the audit record of each export."""

from __future__ import annotations

import csv
import io
from typing import Any

from scan.platform import audit
from scan.platform.extensions import db
from scan.platform.models import User
from scan.portal.trends import Trends

HEADER = ["onderdeel", "sleutel", "naam", "aantal_scans", "gemiddelde_score"]


def csv_cell(value: Any) -> str:
    """Return a CSV cell that a spreadsheet never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def trends_csv(data: Trends, total_name: str, names: dict[str, dict[str, str]]) -> str:
    """Return the figures as CSV text (hidden figures say "verborgen"), with a BOM for Excel.

    names: per part ("sector", "risiconiveau", "onderwerp", "zwak_punt") the key's name.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    sections = [
        ("totaal", [data.total], {"totaal": total_name}),
        ("sector", data.sectors, names["sector"]),
        ("risiconiveau", data.risk_levels, names["risiconiveau"]),
        ("maand", data.months, {}),
        ("onderwerp", data.themes, names["onderwerp"]),
        ("zwak_punt", data.weak_points, names["zwak_punt"]),
        ("rode_vlag", [data.red_flags], {"rode_vlag": "Scans met een rode vlag"}),
    ]
    for section, figures, labels in sections:
        for fig in figures:
            row = (
                section,
                fig.key,
                labels.get(fig.key, fig.key),
                "verborgen" if fig.suppressed else fig.n,
                "" if fig.average is None else f"{fig.average:.1f}",
            )
            writer.writerow([csv_cell(v) for v in row])
    return "\ufeff" + out.getvalue()  # the BOM lets Excel read the accents correctly


def record_export(adviser: User, sector: str, period: str) -> None:
    """Put a trend export in the audit log; commit."""
    audit.record(adviser, "export_trends", None, f"sector={sector or 'alle'}; periode={period}")
    db.session.commit()
