"""flask scans expire and trends rebuild: housekeeping of stored scans and their counters."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from scan.platform.extensions import db
from scan.scans import trend_counters
from scan.scans.store import expire_scans

scans = AppGroup("scans", help="Housekeeping of stored scans.")
trends_group = AppGroup("trends", help="Trend counters.")


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(scans)
    app.cli.add_command(trends_group)


@scans.command("expire")
def expire_command() -> None:
    """Delete every scan whose link has expired (a shared one: see SHARED_RETENTION_DAYS)."""

    click.echo(f"{expire_scans()} expired scan(s) deleted.")


@trends_group.command("rebuild")
@with_appcontext
def trends_rebuild_command() -> None:
    """Recount the trend counters from the submitted scans."""

    click.echo(f"{trend_counters.rebuild(db.session)} trend counter(s) recounted.")
