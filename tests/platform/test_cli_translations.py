"""`questionnaires translations` writes the files; `validate` checks them (and --strict fails)."""

from __future__ import annotations

import shutil

import pytest
from loader_samples import QUESTIONNAIRES

from scan import create_app


@pytest.fixture
def folder_runner(tmp_path):
    """A CLI runner on a copy of the example scan, the registry and their translations."""
    folder = tmp_path / "q"
    folder.mkdir()
    for path in QUESTIONNAIRES.iterdir():
        if path.name.startswith(("voorbeeld.", "referrals.")):
            shutil.copy(path, folder / path.name)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'cli.sqlite'}",
            "QUESTIONNAIRE_DIR": str(folder),
        }
    )
    return folder, app.test_cli_runner()


def test_validate__complete_translations__no_warning(folder_runner):
    _, runner = folder_runner
    result = runner.invoke(args=["questionnaires", "validate", "--strict"])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)." in result.output


def test_validate__outdated_text_warns_and_strict_fails_lost_number_is_an_error(folder_runner):
    folder, runner = folder_runner
    yaml = folder / "voorbeeld.yaml"
    yaml.write_text(
        yaml.read_text().replace("Hoe betaalt de huurder de huur?", "Hoe betaalt de huurder?")
    )
    po = folder / "voorbeeld.pl.po"
    po.write_text(
        po.read_text().replace("(poufna linia pomocy, 0800-2800200)", "(poufna linia pomocy)")
    )
    lenient = runner.invoke(args=["questionnaires", "validate"])
    assert lenient.exit_code == 1  # the lost phone number is an error
    assert "voorbeeld.en.po:" in lenient.output and "question:huur_contant.text" in lenient.output
    assert "verouderd" in lenient.output
    assert "de vertaling mist 0800-2800200" in lenient.output


def test_translations__writes_a_new_file_for_one_questionnaire_only(folder_runner):
    folder, runner = folder_runner
    (folder / "voorbeeld.en.po").unlink()
    result = runner.invoke(args=["questionnaires", "translations", "--only", "voorbeeld"])
    assert result.exit_code == 0, result.output
    assert "voorbeeld.en.po: 81 texts, 81 to translate" in result.output
    assert "voorbeeld.pl.po: 81 texts, 0 to translate" in result.output
    assert "voorbeeld [en]: 12/93" in result.output  # only the referrals it names
    assert "voorbeeld [pl]: 93/93" in result.output
    assert not (folder / "referrals.de.po").exists()
    strict = runner.invoke(args=["questionnaires", "validate", "--strict"])
    assert strict.exit_code == 1 and "er is geen vertaling in het Engels" in strict.output


@pytest.mark.parametrize(
    ("language", "unsafe", "why"),
    [
        ("en", "Confront the buyer about the cash.", "stuurt de lezer op iemand af"),
        ("en", "Follow the van and note where it goes.", "stuurt de lezer iemand achterna"),
        ("pl", "Zapytaj kierowcę o ładunek.", "ondervragen"),
    ],
)
def test_validate__unsafe_translation_is_an_error(folder_runner, language, unsafe, why):
    folder, runner = folder_runner
    po = folder / f"voorbeeld.{language}.po"
    safe = {
        "en": "Say no, and do not talk about anything in return.",
        "pl": "Odmów i nie rozmawiaj o niczym w zamian.",
    }[language]
    po.write_text(po.read_text().replace(f'msgstr "{safe}"', f'msgstr "{unsafe}"'))
    result = runner.invoke(args=["questionnaires", "validate", "--strict"])
    assert result.exit_code == 1
    assert f"voorbeeld.{language}.po:" in result.output
    assert "rule:benaderd_melden.advice.steps.0" in result.output and why in result.output
