"""``blaxel-constructs import``: arguments, the output directory, errors as one message and exit code 1."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import pytest

from blaxel_constructs.cli import _parser, main
from blaxel_constructs.errors import UnauthorizedError, WorkspaceImportError
from blaxel_constructs.kinds import MODEL, POLICY
from blaxel_constructs.workspace_import.framework_check import CDK_PACKAGES, require_framework
from blaxel_constructs.workspace_import.import_command import run_import

from .workspace_fake import FakeWorkspace, connection, model, policy

ENVIRONMENT = {"BL_API_URL": "http://127.0.0.1:9/v0", "BL_API_KEY": "k", "BL_WORKSPACE": "w"}


def run(argv, lister, environ=ENVIRONMENT):
    out, err = io.StringIO(), io.StringIO()
    code = run_import(_parser().parse_args(["import", *argv]), environ=environ, stdout=out, stderr=err, lister=lister)
    return code, out.getvalue(), err.getvalue()


def seeded():
    return FakeWorkspace(
        [
            connection("openai-prod"),
            policy("eu-only", metadata={"labels": {"team": "ml"}}),
            model("chat", integrationConnections=["openai-prod"], metadata={"labels": {"team": "ml"}}),
            model("old", status="DELETING"),
        ]
    )


def test_hcl_writes_main_and_imports_and_prints_counts_skips_files_and_next_steps(tmp_path):
    code, out, err = run(["--format", "hcl", "--out", str(tmp_path / "out")], seeded())

    assert (code, err) == (0, "")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["imports.tf", "main.tf"]
    assert "Adopted 3 object(s): 1 integration connection, 1 policy, 1 model." in out
    assert "model old: being deleted (status DELETING)" in out
    assert "agents" in out and "not read" in out
    assert "terraform plan    # expect: 3 to import, 0 to add, 0 to change, 0 to destroy" in out
    assert "TF_VAR_" not in out


def test_taken_over_secrets_print_each_variable_by_its_full_name(tmp_path):
    code, out, _ = run(["--format", "hcl", "--out", str(tmp_path), "--take-over-secrets"], seeded())

    assert code == 0
    assert "  export TF_VAR_OPENAI_PROD__API_KEY=..." in out
    assert "1 to change" in out


def test_filters_by_kind_list_only_that_kind_and_a_model_names_what_was_left_out(tmp_path):
    workspace = seeded()

    code, out, _ = run(["--format", "hcl", "--out", str(tmp_path), "--kind", "model", "--label", "team=ml"], workspace)

    assert code == 0
    assert workspace.listed == [MODEL.type_name]
    main_tf = (tmp_path / "main.tf").read_text()
    assert 'integration_connections = ["openai-prod"]' in main_tf
    assert "integration connections, policies: not read (--kind)" in out


def test_a_name_filter_keeps_matching_objects_only(tmp_path):
    code, out, _ = run(["--format", "hcl", "--out", str(tmp_path), "--name", "eu-*"], seeded())

    assert code == 0
    assert "Adopted 1 object(s): 1 policy." in out
    assert "model old" not in out  # being deleted, and left out by the filter anyway


def test_a_directory_holding_files_is_refused_unless_forced(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")

    code, out, err = run(["--format", "hcl", "--out", str(tmp_path)], seeded())
    assert code == 1 and out == ""
    assert "--force" in err and err.startswith("blaxel-constructs import: error: ")
    assert not (tmp_path / "main.tf").exists()

    code, _, _ = run(["--format", "hcl", "--out", str(tmp_path), "--force"], seeded())
    assert code == 0
    assert (tmp_path / "notes.txt").read_text() == "mine"


class RefusingWorkspace:
    def list_objects(self, kind):
        raise UnauthorizedError(method="GET", path="/models", status=401, error="Unauthorized")


def test_an_api_error_is_one_message_saying_what_to_check_and_nothing_is_written(tmp_path):
    code, out, err = run(["--format", "hcl", "--out", str(tmp_path / "out")], RefusingWorkspace())

    assert code == 1 and out == ""
    assert "could not read the workspace" in err and "BL_API_KEY" in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_missing_credentials_are_one_message_naming_the_variables(tmp_path):
    code, _, err = run(["--format", "hcl", "--out", str(tmp_path)], FakeWorkspace(), environ={})

    assert code == 1
    assert "BL_API_KEY" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "--out", "x"],
        ["import", "--format", "yaml", "--out", "x"],
        ["import", "--format", "hcl"],
        ["import", "--format", "hcl", "--out", "x", "--kind", "agent"],
        ["import", "--format", "hcl", "--out", "x", "--label", "team"],
        ["import", "--format", "cdktf", "--out", "x", "--stack", "a/b"],
    ],
)
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2


def test_kind_choices_come_from_the_kind_descriptions():
    args = _parser().parse_args(["import", "--format", "hcl", "--out", "x", "--kind", POLICY.name])
    assert args.kinds == ["policy"]


@pytest.mark.skipif(importlib.util.find_spec("cdktn") is not None, reason="cdktn is installed here")
def test_cdktn_not_installed_says_what_to_install(tmp_path):
    with pytest.raises(WorkspaceImportError, match=r'pip install "blaxel-constructs\[cdktn\]".*cdktn-cli'):
        require_framework("cdktn")

    code, _, err = run(["--format", "cdktn", "--out", str(tmp_path / "o")], seeded())
    assert code == 1 and "cdktn" in err and not (tmp_path / "o").exists()


def test_a_stack_name_with_hcl_is_a_usage_error_and_writes_nothing(tmp_path):
    code, out, err = run(["--format", "hcl", "--out", str(tmp_path / "out"), "--stack", "prod"], seeded())

    assert (code, out) == (2, "")
    assert "--stack" in err and "--format hcl" in err
    assert not (tmp_path / "out").exists()


def test_without_a_stack_name_the_app_s_stack_is_the_default(tmp_path):
    code, _, _ = run(["--format", "cdktf", "--out", str(tmp_path / "out")], seeded())

    assert code == 0
    assert '"adopted"' in (tmp_path / "out" / "main.py").read_text()


def test_the_cli_versions_it_tells_users_to_install_are_the_ones_the_project_pins():
    pinned = json.loads((Path(__file__).parents[2] / "package.json").read_text())["dependencies"]

    for framework, (_, cli) in CDK_PACKAGES.items():
        package, _, version = cli.rpartition("@")
        assert pinned[package] == version, framework
