"""The CLI twin of the studio: questionnaires import, export, publish, retire and list."""

from __future__ import annotations

import pytest
from portal_factories import make_org
from studio_samples import BROKEN, BROKEN_LINE, OVERLAY, with_version

from scan.platform.extensions import db
from scan.platform.models import AuditEvent, QuestionnaireDocument


@pytest.fixture
def branch(app):
    with app.app_context():
        make_org("Recron", kind="branche")
        make_org("PVO Limburg")


@pytest.fixture
def overlay_file(tmp_path):
    def write(text: str = OVERLAY, name: str = "recron.yaml"):
        path = tmp_path / name
        path.write_text(text)
        return str(path)

    return write


def _docs(app):
    with app.app_context():
        return [
            (d.questionnaire_id, d.version, d.status)
            for d in db.session.scalars(db.select(QuestionnaireDocument))
        ]


def test_import__valid_overlay__stored_as_draft(app, runner, branch, overlay_file):
    result = runner.invoke(
        args=["questionnaires", "import", overlay_file(), "--organisation", "Recron"]
    )
    assert result.exit_code == 0, result.output
    assert "Stored voorbeeld_recron version 1 for Recron as draft." in result.output
    assert _docs(app) == [("voorbeeld_recron", 1, "draft")]
    with app.app_context():
        doc = db.session.scalar(db.select(QuestionnaireDocument))
        assert (doc.base_id, doc.base_version, doc.title) == (
            "voorbeeld",
            1,
            "Voorbeeldscan voor vakantieparken",
        )
    listed = runner.invoke(args=["questionnaires", "list"]).stdout
    line = next(x for x in listed.splitlines() if x.startswith("voorbeeld_recron"))
    assert line.split()[:4] == ["voorbeeld_recron", "v1", "Recron", "draft"]


def test_import__publish__served_by_catalog_and_listed_with_owner(
    app, runner, branch, overlay_file
):
    result = runner.invoke(
        args=["questionnaires", "import", overlay_file(), "--organisation", "Recron", "--publish"]
    )
    assert result.exit_code == 0, result.output
    assert _docs(app) == [("voorbeeld_recron", 1, "published")]
    listed = runner.invoke(args=["questionnaires", "list"]).stdout
    line = next(x for x in listed.splitlines() if x.startswith("voorbeeld_recron"))
    assert line.split()[:4] == ["voorbeeld_recron", "v1", "Recron", "published"]
    assert app.test_client().get("/scan/voorbeeld_recron").status_code == 200
    with app.app_context():
        actions = [e.action for e in db.session.scalars(db.select(AuditEvent))]
    assert actions == ["document_uploaded", "document_published"]


def test_import__errors__refused_whole_with_located_errors(app, runner, branch, overlay_file):
    path = overlay_file(BROKEN)
    result = runner.invoke(args=["questionnaires", "import", path, "--organisation", "Recron"])
    assert result.exit_code == 1
    assert "refused: the file has errors; nothing was stored" in result.stderr
    assert f"voorbeeld_recron@1.yaml:{BROKEN_LINE}:" in result.stderr
    assert "sleutelbeheerr" in result.stderr
    assert _docs(app) == []


@pytest.mark.parametrize(
    ("organisation", "message"),
    [("Niemand", "no branch organisation 'Niemand'"), ("PVO Limburg", "no branch organisation")],
)
def test_import__unknown_or_not_branch_organisation__usage_error(
    app, runner, branch, overlay_file, organisation, message
):
    result = runner.invoke(
        args=["questionnaires", "import", overlay_file(), "--organisation", organisation]
    )
    assert result.exit_code == 2
    assert message in result.output
    assert _docs(app) == []


def test_import__shipped_id__refused(app, runner, branch, overlay_file):
    text = OVERLAY.replace("id: voorbeeld_recron", "id: haven")
    result = runner.invoke(
        args=["questionnaires", "import", overlay_file(text), "--organisation", "Recron"]
    )
    assert result.exit_code == 1
    assert "'haven' is the id of a shipped questionnaire" in result.stderr


def test_import__another_organisations_id__refused(app, runner, branch, overlay_file):
    with app.app_context():
        make_org("HISWA", kind="branche")
    assert (
        runner.invoke(
            args=["questionnaires", "import", overlay_file(), "--organisation", "HISWA"]
        ).exit_code
        == 0
    )
    result = runner.invoke(
        args=["questionnaires", "import", overlay_file(), "--organisation", "Recron"]
    )
    assert result.exit_code == 1
    assert "used by another organisation" in result.stderr


def test_publish_then_new_version__export_each_version(app, runner, branch, overlay_file):
    runner.invoke(args=["questionnaires", "import", overlay_file(), "--organisation", "Recron"])
    assert runner.invoke(args=["questionnaires", "publish", "voorbeeld_recron"]).exit_code == 0
    second = with_version(OVERLAY, 2).replace("listed: true", "listed: false")
    result = runner.invoke(
        args=["questionnaires", "import", overlay_file(second), "--organisation", "Recron"]
    )
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["questionnaires", "publish", "voorbeeld_recron"]).exit_code == 0
    assert _docs(app) == [
        ("voorbeeld_recron", 1, "published"),
        ("voorbeeld_recron", 2, "published"),
    ]
    assert runner.invoke(args=["questionnaires", "export", "voorbeeld_recron@1"]).stdout == OVERLAY
    assert runner.invoke(args=["questionnaires", "export", "voorbeeld_recron"]).stdout == second


def test_import__wrong_version__located_error(app, runner, branch, overlay_file):
    result = runner.invoke(
        args=[
            "questionnaires",
            "import",
            overlay_file(with_version(OVERLAY, 3)),
            "--organisation",
            "Recron",
        ]
    )
    assert result.exit_code == 1
    assert "voorbeeld_recron@1.yaml:2:10: error: version: this draft becomes version 1" in (
        result.stderr
    )


def test_publish__nothing_to_publish__exit_1(app, runner, branch):
    result = runner.invoke(args=["questionnaires", "publish", "voorbeeld_recron"])
    assert result.exit_code == 1
    assert "'voorbeeld_recron' has no draft to publish" in result.output


def test_retire__published__gone_from_catalog(app, runner, branch, overlay_file):
    runner.invoke(
        args=["questionnaires", "import", overlay_file(), "--organisation", "Recron", "--publish"]
    )
    result = runner.invoke(args=["questionnaires", "retire", "voorbeeld_recron"])
    assert result.exit_code == 0, result.output
    assert "Retired voorbeeld_recron (1 published version(s))." in result.output
    assert _docs(app) == [("voorbeeld_recron", 1, "retired")]
    assert app.test_client().get("/scan/voorbeeld_recron").status_code == 404
    again = runner.invoke(args=["questionnaires", "retire", "voorbeeld_recron"])
    assert again.exit_code == 1
    assert "has no published version to retire" in again.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["export", "onbekend"], 1, "no stored questionnaire 'onbekend'"),
        (["export", "haven@x"], 2, "'haven@x' is not ID or ID@VERSION"),
        (["retire", "haven"], 1, "no stored questionnaire 'haven'"),
    ],
)
def test_unknown_references__clear_error_and_exit_code(app, runner, args, code, message):
    result = runner.invoke(args=["questionnaires", *args])
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
