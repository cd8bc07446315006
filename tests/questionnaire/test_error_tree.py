"""Every error the product raises on purpose is a ScanError, so one except catches them all."""

from __future__ import annotations

import pytest

from scan.portal import accounts
from scan.questionnaire import ScanError
from scan.scans.forms import FieldError


def test_account_error__is_a_scan_error(app):
    with app.app_context(), pytest.raises(ScanError, match="name is empty"):
        accounts.create_organisation("  ")


def test_field_error__is_a_scan_error():
    assert issubclass(FieldError, ScanError)
