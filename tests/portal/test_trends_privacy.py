"""The differencing attack on trends: every CSV an adviser can get, subtracted every way.

The attacker downloads the CSV for all sectors and for each sector, writes every shown figure
as an equation over the unknown counts per sector and month, per sector and risk level, and
red flags per sector (plus: each sector's levels add up to its months), and solves them all
at once. A count is learned when it follows from those equations. With complementary
suppression no small count and no hidden figure follows; with only the small groups hidden
(the old scheme) the same attack finds them, which shows the attack works.
"""

from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction

import pytest
from portal_factories import FAST_HASHER, login, make_org, make_user, raw_scan

from scan.platform.extensions import db
from scan.portal import accounts, trends

# Scans per sector and month (2026): transport is one small group, vastgoed has a small month.
PLAN = {
    "vastgoed": {1: 12, 2: 15, 3: 3},
    "haven": {1: 10, 2: 11, 3: 12},
    "transport": {2: 4},
}
LEVELS = ("kwetsbaar", "aandacht_nodig", "weerbaar")


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)


@pytest.fixture
def truth(db_app) -> dict[tuple, int]:
    """Store the planned scans; return their true counts per attacker unknown."""
    rng = random.Random(3)
    counts: dict[tuple, int] = {}
    with db_app.app_context():
        for sector, months in PLAN.items():
            for month, n in months.items():
                for i in range(n):
                    level = LEVELS[rng.randrange(3)]
                    red = level == "kwetsbaar" and rng.random() < 0.6
                    raw_scan(sector, dt.datetime(2026, month, 1 + i), 50.0, level, red_flag=red)
                    for key in (("m", sector, f"2026-{month:02d}"), ("l", sector, level)):
                        counts[key] = counts.get(key, 0) + 1
                    counts[("r", sector)] = counts.get(("r", sector), 0) + red
        db.session.commit()
        make_user("adviseur@pvo-bz.nl", "adviser", make_org("PVO Brabant-Zeeland"))
    return counts


def _csv(client, sector: str = "") -> dict[tuple[str, str], str]:
    response = client.get(f"/adviseur/trends.csv?periode=2026&sector={sector}")
    assert response.status_code == 200
    rows = [line.split(";") for line in response.text.lstrip("\ufeff").splitlines()[1:]]
    return {(r[0], r[1]): r[3] for r in rows}


def _equations(client) -> tuple[list[tuple[dict, int]], list[dict]]:
    """Return the shown figures as (coefficients, value) and the hidden ones as coefficients."""
    everything = _csv(client)
    sectors = [key for section, key in everything if section == "sector"]
    months = [key for section, key in everything if section == "maand"]
    levels = [key for section, key in everything if section == "risiconiveau"]
    per_sector = {s: _csv(client, s) for s in sectors}
    unknowns = {}
    for s in sectors:
        own = per_sector[s]
        if own[("totaal", "totaal")] == "verborgen":  # nothing more is shown: anything goes
            unknowns[s] = ([("m", s, m) for m in months], [("l", s, lvl) for lvl in levels])
        else:  # months and levels not listed for the sector hold no scans
            unknowns[s] = (
                [("m", s, key) for section, key in own if section == "maand"],
                [("l", s, key) for section, key in own if section == "risiconiveau"],
            )
    shown, hidden = [], []

    def figure(cells: list[tuple], text: str) -> None:
        coefficients = {cell: 1 for cell in cells}
        if text == "verborgen":
            hidden.append(coefficients)
        else:
            shown.append((coefficients, int(text)))

    all_months = [cell for s in sectors for cell in unknowns[s][0]]
    figure(all_months, everything[("totaal", "totaal")])
    figure([("r", s) for s in sectors], everything[("rode_vlag", "rode_vlag")])
    for s in sectors:
        figure(unknowns[s][0], everything[("sector", s)])
        own = per_sector[s]
        figure(unknowns[s][0], own[("totaal", "totaal")])
        if ("rode_vlag", "rode_vlag") in own:
            figure([("r", s)], own[("rode_vlag", "rode_vlag")])
        for section, cells in (("maand", unknowns[s][0]), ("risiconiveau", unknowns[s][1])):
            for cell in cells:
                if (section, cell[2]) in own:
                    figure([cell], own[(section, cell[2])])
        # Everyone knows a sector's scans are spread over its levels as over its months.
        shown.append(({**{c: 1 for c in unknowns[s][1]}, **{c: -1 for c in unknowns[s][0]}}, 0))
    for m in months:
        figure([c for s in sectors for c in unknowns[s][0] if c[2] == m], everything[("maand", m)])
    for lvl in levels:
        figure(
            [c for s in sectors for c in unknowns[s][1] if c[2] == lvl],
            everything[("risiconiveau", lvl)],
        )
    return shown, hidden


def _rank(rows: list[dict], names: list) -> int:
    matrix = [[Fraction(row.get(n, 0)) for n in names] for row in rows]
    rank = 0
    for col in range(len(names)):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][col] != 0:
                factor = matrix[r][col] / matrix[rank][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def _learned(shown: list[tuple[dict, int]], targets: list[dict]) -> list[dict]:
    """Return the targets that follow from the shown figures (lie in the span of their rows)."""
    rows = [coefficients for coefficients, _ in shown]
    names = sorted({n for row in rows + targets for n in row})
    base = _rank(rows, names)
    return [t for t in targets if _rank([*rows, t], names) == base]


def _attack(db_app, truth):
    client = db_app.test_client()
    login(client, "adviseur@pvo-bz.nl")
    shown, hidden = _equations(client)
    small = [{cell: 1} for cell, n in truth.items() if 0 < n < trends.MIN_GROUP]
    small.append({cell: 1 for cell in truth if cell[0] == "m" and cell[1] == "transport"})
    return shown, hidden, _learned(shown, small + hidden)


def test_differencing_attack__learns_no_hidden_count(db_app, truth):
    shown, hidden, learned = _attack(db_app, truth)
    assert hidden, "nothing was hidden: the data set does not test the protection"
    assert learned == []
    # The shown figures are true, so the attacker's equations hold for the real counts.
    for coefficients, value in shown:
        assert sum(k * truth.get(cell, 0) for cell, k in coefficients.items()) == value


def test_differencing_attack__simple_subtraction_gives_no_small_group(db_app, truth):
    client = db_app.test_client()
    login(client, "adviseur@pvo-bz.nl")
    everything = _csv(client)
    sectors = {k: v for (section, k), v in everything.items() if section == "sector"}
    assert sectors["transport"] == "verborgen"
    rest = int(everything[("totaal", "totaal")]) - sum(
        int(v) for v in sectors.values() if v != "verborgen"
    )
    assert rest != PLAN["transport"][2]  # another sector is hidden with it
    vastgoed = _csv(client, "vastgoed")
    if vastgoed[("totaal", "totaal")] != "verborgen":
        months = [v for (section, _), v in vastgoed.items() if section == "maand"]
        assert months.count("verborgen") != 1


def test_differencing_attack__only_small_groups_hidden__finds_them(db_app, truth, monkeypatch):
    """Without complementary suppression the attack learns the small sector's count."""
    monkeypatch.setattr(
        trends, "protect", lambda counts, lines, k: {c for c in counts if counts[c] < k}
    )
    _, _, learned = _attack(db_app, truth)
    assert {cell: 1 for cell in truth if cell[0] == "m" and cell[1] == "transport"} in learned


def test_min_group__default_ten__configurable(db_app, truth):
    client = db_app.test_client()
    login(client, "adviseur@pvo-bz.nl")
    assert db_app.config["TRENDS_MIN_GROUP"] == 10
    assert _csv(client)[("sector", "haven")] == "33"
    db_app.config["TRENDS_MIN_GROUP"] = 40
    assert _csv(client)[("sector", "haven")] == "verborgen"
    assert "minder dan 40 scans" in client.get("/adviseur/trends?periode=2026").text
