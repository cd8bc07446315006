"""Only safe links (issue 22): a referral's web address is https with a host; javascript:,
data: and plain http: addresses are refused where the registry is read."""

from __future__ import annotations

import re

import pytest
from loader_samples import QUESTIONNAIRES, REGISTRY

from scan.questionnaire import QuestionnaireError, load_catalog


def _catalog_with_url(tmp_path, url: str):
    folder = tmp_path / "q"
    folder.mkdir()
    text = REGISTRY.read_text()
    first = re.search(r"^(\s+url:) .*$", text, re.M)
    (folder / "referrals.yaml").write_text(
        text[: first.start()] + f"{first.group(1)} '{url}'" + text[first.end() :]
    )
    (folder / "vastgoed.yaml").write_text((QUESTIONNAIRES / "vastgoed.yaml").read_text())
    return load_catalog(folder)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://www.example.nl",
        "https://",
        "https://evil.example.nl\\@x",
        'https://www.example.nl/"onmouseover="x',
        "//www.example.nl",
    ],
)
def test_referral_url__not_https__refused_with_its_place(tmp_path, url):
    with pytest.raises(QuestionnaireError) as refused:
        _catalog_with_url(tmp_path, url)
    assert any("url" in str(p) for p in refused.value.problems)


@pytest.mark.parametrize("url", ["https://www.meldmisdaadanoniem.nl", "https://a.nl/pad?x=1#b"])
def test_referral_url__https__accepted(tmp_path, url):
    assert _catalog_with_url(tmp_path, url).latest
