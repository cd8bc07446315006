"""The `flask --app scan report` command: answers file in, PDF out."""

from __future__ import annotations

import io

from pypdf import PdfReader


def _answers_file(tmp_path, catalog, qid="haven", example="vervoerder_zonder_terrein"):
    import json

    answers = next(e for e in catalog.get(qid).examples if e.name == example).answers
    path = tmp_path / "antwoorden.json"
    path.write_text(json.dumps(answers))
    return path


def test_report_command__valid_answers__writes_pdf(runner, catalog, tmp_path):
    out = tmp_path / "rapport.pdf"
    result = runner.invoke(
        args=["report", "haven", str(_answers_file(tmp_path, catalog)), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Weerbaarheidsscan haven" in text and "0800-7000" in text
    reference = result.output.split("reference ")[1].strip(" .)\n")
    assert len(reference) == 8 and f"referentie {reference}" in text


def test_report_command__same_answers__same_reference(runner, catalog, tmp_path):
    answers = str(_answers_file(tmp_path, catalog))
    outputs = [
        runner.invoke(args=["report", "haven", answers, "--out", str(tmp_path / f"{i}.pdf")])
        for i in range(2)
    ]
    references = [o.output.split("reference ")[1] for o in outputs]
    assert references[0] == references[1]


def test_report_command__unknown_questionnaire__exit_1(runner, catalog, tmp_path):
    out = tmp_path / "rapport.pdf"
    result = runner.invoke(
        args=["report", "onbekend", str(_answers_file(tmp_path, catalog)), "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "no questionnaire 'onbekend'" in result.output
    assert not out.exists()


def test_report_command__answers_that_do_not_fit__exit_1(runner, tmp_path):
    answers = tmp_path / "antwoorden.yaml"
    answers.write_text("bestaat_niet: ja\n")
    out = tmp_path / "rapport.pdf"
    result = runner.invoke(args=["report", "haven", str(answers), "--out", str(out)])
    assert result.exit_code == 1
    assert "unknown question 'bestaat_niet'" in result.output
    assert not out.exists()


def test_report_command__without_out__usage_error(runner, catalog, tmp_path):
    result = runner.invoke(args=["report", "haven", str(_answers_file(tmp_path, catalog))])
    assert result.exit_code == 2
    assert "--out" in result.output
