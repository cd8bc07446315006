"""The trend figures as a CSV file for Dutch Excel, and the audit record of each export."""

from __future__ import annotations

from scan.platform import audit
from scan.platform.extensions import db
from scan.platform.models import User
from scan.portal import spreadsheet
from scan.portal.trends import Trends

HEADER = ["onderdeel", "sleutel", "naam", "aantal_scans", "gemiddelde_score"]


def trends_csv(data: Trends, total_name: str, names: dict[str, dict[str, str]]) -> str:
    """Return the figures as CSV text for Dutch Excel (spreadsheet.py; hidden: "verborgen").

    names: per part ("sector", "risiconiveau", "onderwerp", "zwak_punt") the key's name.
    """
    sections = [
        ("totaal", [data.total], {"totaal": total_name}),
        ("sector", data.sectors, names["sector"]),
        ("risiconiveau", data.risk_levels, names["risiconiveau"]),
        ("maand", data.months, {}),
        ("onderwerp", data.themes, names["onderwerp"]),
        ("zwak_punt", data.weak_points, names["zwak_punt"]),
        ("rode_vlag", [data.red_flags], {"rode_vlag": "Scans met een rode vlag"}),
    ]
    rows = (
        (
            section,
            fig.key,
            labels.get(fig.key, fig.key),
            "verborgen" if fig.suppressed else fig.n,
            spreadsheet.decimal(fig.average),
        )
        for section, figures, labels in sections
        for fig in figures
    )
    return spreadsheet.csv_text(HEADER, rows)


def record_export(adviser: User, sector: str, period: str) -> None:
    """Put a trend export in the audit log; commit."""
    audit.record(adviser, "export_trends", None, f"sector={sector or 'alle'}; periode={period}")
    db.session.commit()
