"""``blaxel-constructs environments``: the app synthesized into a private directory, exit codes, errors.

The app here is a real program run the way ``cdktf synth`` runs one (the ``app`` command of ``cdktf.json``, with
``CDKTF_OUTDIR``), which writes the stacks of ``stacks.py`` as cdktf would: no CDK needed to test the command.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from blaxel_constructs.environment_commands.environments_command import run_environments
from blaxel_constructs.environment_commands.environments_parser import add_environments_parser
from blaxel_constructs.environment_commands.report_rendering import Style, status_json, status_text
from blaxel_constructs.environment_commands.status_check import Condition, EnvironmentStatus, StatusReport

from .stacks import environment_document, stack_of

_APP = """
import json, os, pathlib, sys
out = pathlib.Path(os.environ["CDKTF_OUTDIR"])
if os.environ.get("FAIL_SYNTH"):
    sys.exit("ERROR [prod/chat]: field 'sandbox': sandbox endpoints are not allowed")
documents = json.loads(pathlib.Path("stacks.json").read_text())
stacks = {}
for name, document in documents.items():
    (out / "stacks" / name).mkdir(parents=True)
    (out / "stacks" / name / "cdk.tf.json").write_text(json.dumps(document))
    stacks[name] = {"name": name, "constructPath": name, "synthesizedStackPath": f"stacks/{name}/cdk.tf.json",
                    "workingDirectory": f"stacks/{name}"}
(out / "manifest.json").write_text(json.dumps({"stacks": dict(sorted(stacks.items())), "version": "0.21.0"}))
"""


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """An app directory with cdktf.json, whose stacks are dev, staging and prod, none deployed (local state)."""
    directory = tmp_path / "app"
    directory.mkdir()
    documents = {
        "staging": environment_document("staging", suffix="-staging"),
        "prod": environment_document("prod", chat_flavor="a100", with_policy=True),
        "dev": environment_document("dev", suffix="-dev"),
    }
    for name, document in documents.items():
        document["terraform"]["backend"]["local"]["path"] = str(directory / f"terraform.{name}.tfstate")
    (directory / "stacks.json").write_text(json.dumps(documents))
    (directory / "app.py").write_text(textwrap.dedent(_APP))
    (directory / "cdktf.json").write_text(json.dumps({"language": "python", "app": f"{sys.executable} app.py"}))
    return directory


def _run(app: Path, *argv: str, environ: dict[str, str] | None = None) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    add_environments_parser(parser.add_subparsers(dest="command"))
    out, err = io.StringIO(), io.StringIO()
    code = run_environments(
        parser.parse_args(["environments", *argv]), cwd=app, environ=environ or {"PATH": ""}, stdout=out, stderr=err
    )
    return code, out.getvalue(), err.getvalue()


def test_diff_synthesizes_the_app_privately_and_exits_2_naming_what_prod_has(app: Path) -> None:
    code, out, err = _run(app, "diff", "staging", "prod")

    assert (code, err) == (2, "")
    assert "+ policy policy-eu-only" in out
    assert "flavors" in out and '"a100"' in out
    assert sorted(path.name for path in app.iterdir()) == ["app.py", "cdktf.json", "stacks.json"]


def test_diff_of_an_environment_with_itself_exits_0(app: Path) -> None:
    assert _run(app, "diff", "staging", "staging")[:2] == (0, "staging -> staging: the same\n")


def test_diff_json_is_one_document_with_the_exit_code(app: Path) -> None:
    code, out, _ = _run(app, "diff", "staging", "prod", "--json")

    document = json.loads(out)
    assert (code, document["exit_code"], document["differences"]) == (2, 2, 2)


def test_status_of_environments_never_deployed_says_so_without_running_terraform_and_exits_0(app: Path) -> None:
    code, out, err = _run(app, "status")  # PATH is empty: running terraform would fail

    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()[1:4]] == ["dev", "staging", "prod"]  # the file's order
    assert [line.endswith("not deployed") for line in out.splitlines()[1:4]] == [True, True, True]
    assert out.splitlines()[-1] == "3 environments: 3 not deployed"
    assert sorted(path.name for path in app.iterdir()) == ["app.py", "cdktf.json", "stacks.json"]


def test_an_unknown_environment_is_an_error_naming_the_known_ones(app: Path) -> None:
    code, out, err = _run(app, "status", "qa")

    assert (code, out) == (1, "")
    assert err == "error: no environment 'qa' in the app (its stacks: dev, staging, prod)\n"


def test_an_app_that_fails_to_synthesize_is_an_error_with_its_own_message(app: Path) -> None:
    code, _, err = _run(app, "diff", "staging", "prod", environ={"FAIL_SYNTH": "1"})

    assert code == 1
    assert "the app failed to synthesize" in err
    assert "ERROR [prod/chat]: field 'sandbox'" in err


def test_outside_an_app_directory_the_error_says_where_to_run(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path, "status")

    assert code == 1
    assert "no cdktf.json in" in err and "where cdktf deploy runs" in err


def test_output_reads_the_stacks_cdktf_synth_wrote_there(app: Path, tmp_path: Path) -> None:
    synthesized = tmp_path / "synthesized"
    subprocess.run([sys.executable, "app.py"], cwd=app, env={"CDKTF_OUTDIR": str(synthesized)}, check=True)

    assert _run(app, "diff", "staging", "prod", "--output", str(synthesized))[0] == 2
    code, _, err = _run(app, "diff", "staging", "prod", "--output", str(tmp_path / "nothing"))
    assert code == 1 and "run cdktf synth --output" in err


def test_a_usage_error_exits_1_never_2_which_means_differences(app: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "blaxel_constructs.cli", "environments", "diff", "staging"],
        cwd=app,
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 1
    assert "the following arguments are required: B" in completed.stderr


# --- the status table and its exit code ------------------------------------------------------------------


def _report(*conditions: Condition) -> StatusReport:
    names = ["dev", "staging", "prod"]
    return StatusReport(
        tuple(
            EnvironmentStatus(stack_of(name, environment_document(name)), condition, "pg", "schema x", 3)
            for name, condition in zip(names, conditions, strict=False)
        )
    )


def test_status_exits_1_when_any_environment_could_not_be_checked_else_2_on_drift_or_pending_else_0() -> None:
    assert _report(Condition.IN_SYNC, Condition.NOT_DEPLOYED).exit_code == 0
    assert _report(Condition.IN_SYNC, Condition.PENDING).exit_code == 2
    assert _report(Condition.DRIFTED, Condition.IN_SYNC).exit_code == 2
    assert _report(Condition.DRIFTED, Condition.ERROR, Condition.IN_SYNC).exit_code == 1


def test_the_status_table_colours_the_status_only_on_a_terminal_and_reports_errors_under_their_row() -> None:
    report = _report(Condition.IN_SYNC, Condition.ERROR)
    broken = EnvironmentStatus(
        report.environments[1].stack, Condition.ERROR, "pg", error="cannot read the state in PostgreSQL: refused"
    )
    report = StatusReport((report.environments[0], broken))

    plain, coloured = status_text(report, Style()), status_text(report, Style(colour=True))

    assert plain.splitlines()[:4] == [
        "ENVIRONMENT  BACKEND  RESOURCES  STATUS",
        "dev          pg       3          in sync",
        "staging      pg       -          error",
        "    cannot read the state in PostgreSQL: refused",
    ]
    assert plain.splitlines()[-1] == "2 environments: 1 in sync, 1 error"
    assert "\033[" not in plain and "\033[32min sync\033[0m" in coloured
    assert status_json(report)["environments"][1]["error"] == "cannot read the state in PostgreSQL: refused"
