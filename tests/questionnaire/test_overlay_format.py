"""Format items for tailoring: an overlay's own referrals, metadata overrides, located dates,
the registry validated by path, and B1 readability warnings at the file line of the text."""

from __future__ import annotations

import pytest
from studio_samples import OVERLAY

from scan.questionnaire import QuestionnaireError
from scan.questionnaire.snapshots import from_snapshot, to_snapshot

OWN = """\
new_referrals:
  - id: recron_vertrouwenspersoon
    name: Vertrouwenspersoon Recron
    phone: 030-1234567
    when: U wilt in vertrouwen praten over iets wat u zag op uw park.
    source: recron.nl/leden
    verified_on: 2026-11-30
"""
WITH_OWN = OVERLAY.replace("add:\n", "add:\n  referrals: [recron_vertrouwenspersoon]\n") + OWN


def _load(write_questionnaire, text: str, name: str = "voorbeeld_recron.yaml"):
    from scan.questionnaire import load_questionnaire

    for path in ("voorbeeld.yaml",):
        from conftest import QUESTIONNAIRES

        write_questionnaire((QUESTIONNAIRES / path).read_text(), path)
    path = write_questionnaire(text, name)
    return load_questionnaire(path, path.parent), path


def _errors(write_questionnaire, text: str) -> list[str]:
    with pytest.raises(QuestionnaireError) as info:
        _load(write_questionnaire, text)
    return [str(p) for p in info.value.problems]


def test_own_referral__used_by_id__shown_and_pinned_in_the_snapshot(write_questionnaire):
    q, _ = _load(write_questionnaire, WITH_OWN)
    assert "recron_vertrouwenspersoon" in q.referrals
    assert q.referral("recron_vertrouwenspersoon").name == "Vertrouwenspersoon Recron"
    again = from_snapshot(to_snapshot(q))
    assert again.referral("recron_vertrouwenspersoon").phone == "030-1234567"


def test_own_referral__scoped_to_its_overlay(write_questionnaire):
    _load(write_questionnaire, WITH_OWN)
    other = OVERLAY.replace("voorbeeld_recron", "ander").replace(
        "add:\n", "add:\n  referrals: [recron_vertrouwenspersoon]\n"
    )
    errors = _errors(write_questionnaire, other)
    assert any("unknown referral 'recron_vertrouwenspersoon'" in e for e in errors), errors


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("verified_on: 2026-11-30", "verified_on: 2026-02-30", ":30:18:", "is not a real date"),
        ("    phone: 030-1234567\n", "", ":25:5:", "new_referrals[0]: a referral needs a phone"),
        ("id: recron_vertrouwenspersoon\n", "id: meld_misdaad_anoniem\n", ":25:5:", "shared"),
        ("    source: recron.nl/leden\n", "", ":25:5:", "new_referrals[0]: 'source' is missing"),
    ],
)
def test_own_referral__wrong_entry__located_error(write_questionnaire, old, new, where, message):
    errors = _errors(write_questionnaire, WITH_OWN.replace(old, new))
    assert any(where in e and message in e for e in errors), errors


def test_full_entry_under_add_referrals__hint_about_new_referrals(write_questionnaire):
    text = OVERLAY.replace(
        "add:\n", "add:\n  referrals:\n    - id: eigen\n      name: Eigen hulp\n"
    )
    errors = _errors(write_questionnaire, text)
    assert len(errors) == 1
    assert ":8:7: error: add.referrals[0]: add.referrals lists ids" in errors[0]
    assert "put the whole entry under 'new_referrals:'" in errors[0]
    assert "quotes" not in errors[0]


@pytest.mark.parametrize("value", [True, False])
def test_overlay__overrides_listed(write_questionnaire, value):
    q, _ = _load(
        write_questionnaire, OVERLAY.replace("listed: true", f"listed: {str(value).lower()}")
    )
    assert q.listed is value


def test_impossible_date_anywhere__located_error_not_traceback(write_questionnaire):
    text = OVERLAY.replace("listed: true", "listed: 2026-02-30")
    errors = _errors(write_questionnaire, text)
    assert len(errors) == 1
    assert errors[0].endswith(
        "voorbeeld_recron.yaml:5:9: error: '2026-02-30' is not a real date "
        "(write an existing date as YYYY-MM-DD, e.g. 2026-02-28)"
    )


def test_validate__registry_by_path__checked_as_registry(runner, tmp_path):
    from conftest import QUESTIONNAIRES

    ok = runner.invoke(args=["questionnaires", "validate", str(QUESTIONNAIRES / "referrals.yaml")])
    assert ok.exit_code == 0, ok.output
    assert "1 file(s) checked: 0 error(s)" in ok.output
    broken = tmp_path / "referrals.yaml"
    text = (QUESTIONNAIRES / "referrals.yaml").read_text()
    start = text.index("verified_on: ") + len("verified_on: ")
    broken.write_text(text[:start] + "2026-02-30" + text[start + 10 :])
    line = text[:start].count("\n") + 1
    result = runner.invoke(args=["questionnaires", "validate", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:{line}:18: error: '2026-02-30' is not a real date" in result.output


LONG = (
    "Weet u altijd precies wie er op elk moment van de dag en de nacht een sleutel van uw "
    "pand en de poort heeft?"
)


def test_b1_warning__at_the_file_line__strict_fails(runner, tmp_path, write_questionnaire):
    text = OVERLAY.replace(
        "text: Weet u altijd wie een sleutel van uw pand heeft?", f"text: {LONG}"
    ).replace("help: Met een lijst", "help: Indien u wilt, met een lijst")
    _, path = _load(write_questionnaire, text)
    result = runner.invoke(args=["questionnaires", "validate", str(path)])
    assert result.exit_code == 0, result.output
    lines = [x for x in result.output.splitlines() if ": tip: " in x]
    assert any(
        f"{path}:10: tip: Vraag sleutelbeheer: een zin heeft 24 woorden" in x for x in lines
    ), lines
    assert any(
        f"{path}:11: tip: " in x and "'indien' is ambtelijk. Schrijf 'als'" in x for x in lines
    ), lines
    assert not any("voorbeeld.yaml" in x for x in lines)  # the base's texts are the base's
    strict = runner.invoke(args=["questionnaires", "validate", "--strict", str(path)])
    assert strict.exit_code == 1
