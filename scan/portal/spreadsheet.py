"""CSV files that Dutch Excel and LibreOffice open right: UTF-8 with BOM, ';', decimal comma."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from flask import Response

# A cell starting with one of these would run as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """Return a CSV cell that a spreadsheet never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def decimal(value: float | None, places: int = 1) -> str:
    """Return a number with a decimal comma, as Dutch Excel reads it ("" for none)."""
    return "" if value is None else f"{value:.{places}f}".replace(".", ",")


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """Return the rows as CSV text for Dutch Excel: BOM first, ';' between cells, CRLF lines."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([cell(h) for h in header])
    writer.writerows([cell(v) for v in row] for row in rows)
    return "\ufeff" + out.getvalue()  # the BOM lets Excel detect UTF-8 (accents, euro sign)


def csv_response(text: str, name: str) -> Response:
    """Return CSV text as a download with the given file name."""
    return Response(
        text.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )
