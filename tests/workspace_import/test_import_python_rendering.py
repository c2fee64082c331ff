"""``main.py`` and ``cdktf.json``: valid Python whose literals synthesize to exactly what the workspace holds."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest

from blaxel_constructs.kinds import INTEGRATION_CONNECTION, MODEL, POLICY
from blaxel_constructs.workspace_import.adoption import adopt
from blaxel_constructs.workspace_import.python_rendering import (
    APP_COMMAND,
    python_lines,
    python_string,
    render_app,
    render_cdktf_json,
)
from blaxel_constructs.workspace_import.workspace_reading import read_workspace

from .test_import_hcl_rendering import HOSTILE
from .workspace_fake import FakeWorkspace, connection, model, policy


def terraform_json_reads(text: str) -> str:
    """What Terraform reads from a JSON string with no template sequence: ``$${`` is ``${``, ``%%{`` is ``%{``."""
    return text.replace("$${", "${").replace("%%{", "%{")


@pytest.mark.parametrize("text", [*HOSTILE, "\ud800 lone surrogate", "\U0001f600"])
def test_every_string_is_a_python_literal_that_terraform_reads_back_exactly(text):
    literal = python_string(text)

    assert literal[0] == literal[-1] and literal[0] in "\"'"
    assert terraform_json_reads(ast.literal_eval(literal)) == text


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("plain", '"plain"'),
        ('say "hi"', "'say \"hi\"'"),
        ("it's", '"it\'s"'),
        ("""it's "x" "y\"""", '\'it\\\'s "x" "y"\''),
    ],
)
def test_strings_are_quoted_as_ruff_format_writes_them(text, literal):
    """Double quotes unless single ones need fewer escapes: the generated file is already formatted."""
    assert python_string(text) == literal


def app_source(*entries, **options):
    adoption = adopt(
        read_workspace(FakeWorkspace(entries), (MODEL, INTEGRATION_CONNECTION, POLICY)).objects,
        take_over_secrets=options.pop("take_over_secrets", False),
    )
    return render_app(
        adoption, framework=options.pop("framework", "cdktf"), stack=options.pop("stack", "adopted"), source="s"
    )


def calls(source: str) -> dict[str, ast.Call]:
    """The constructs the app builds, by variable."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            found[node.targets[0].id] = node.value
    return found


def keywords(call: ast.Call) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in call.keywords}


def test_the_app_builds_one_construct_per_object_in_one_stack_and_marks_each_for_import():
    source = app_source(connection("openai-prod"), policy("eu-only"), model("4o-mini"), stack="team")

    built = calls(source)
    assert 'stack = TerraformStack(app, "team")' in source
    assert [(name, call.func.id) for name, call in built.items() if name not in ("app", "stack")] == [
        ("connection_openai_prod", "IntegrationConnection"),
        ("policy_eu_only", "Policy"),
        ("model_4o_mini", "ModelEndpoint"),
    ]
    assert 'model_4o_mini.resource.import_from("4o-mini")' in source
    assert 'policy_eu_only.resource.import_from("eu-only")' in source
    assert source.rstrip().endswith("app.synth()")


@pytest.mark.parametrize("framework", ["cdktf", "cdktn"])
def test_the_app_imports_its_framework(framework):
    assert f"from {framework} import App, TerraformStack" in app_source(model("m"), framework=framework)


def test_models_pass_adopted_objects_themselves_and_leave_the_owner_label_off():
    source = app_source(
        connection("openai-prod"), model("chat", integrationConnections=["openai-prod", "other"], enabled=False)
    )

    call = keywords(calls(source)["model_chat"])
    assert ast.unparse(call["integration_connections"]) == "[connection_openai_prod, 'other']"
    assert ast.literal_eval(call["enabled"]) is False
    assert ast.literal_eval(call["owner_label"]) is False
    assert "owner_label" not in keywords(calls(source)["connection_openai_prod"])


def test_a_kept_secret_is_a_comment_and_a_taken_over_one_reads_the_environment_at_version_1():
    kept = app_source(connection("openai-prod"))
    taken = app_source(connection("openai-prod"), take_over_secrets=True)

    assert "secret" not in keywords(calls(kept)["connection_openai_prod"])
    assert '#     secret={"apiKey": Secret.from_env("OPENAI_PROD__API_KEY")},' in kept
    call = keywords(calls(taken)["connection_openai_prod"])
    assert ast.unparse(call["secret"]) == "{'apiKey': Secret.from_env('OPENAI_PROD__API_KEY')}"
    assert ast.literal_eval(call["secret_version"]) == 1
    assert "from blaxel_constructs import BlaxelProvider, Secret" in taken


def test_cdktf_json_runs_the_app_with_the_python_of_the_path_and_no_absolute_path():
    config = json.loads(render_cdktf_json("adopted"))

    assert config["app"] == APP_COMMAND == "python3 main.py"
    assert config["language"] == "python"
    assert config["output"] == "cdktf.out"
    assert "/" not in json.dumps(config).replace("\\/", "")
    assert render_cdktf_json("adopted") == render_cdktf_json("adopted")


def test_a_long_literal_is_split_one_member_a_line_and_reads_back_the_same():
    labels = {f"key-{i}": "v" * 30 for i in range(6)}
    lines = python_lines("labels=", labels, ",", width=80)

    assert lines[0] == "labels={" and lines[-1] == "},"
    assert all(len(line) <= 80 for line in lines)
    assert ast.literal_eval("\n".join(lines)[len("labels=") : -1]) == labels
    assert python_lines("name=", "short", ",") == ['name="short",']


def test_a_member_still_too_long_is_split_again():
    flavors = [{"name": "n" * 40, "type": "gpu"}, {"name": "t4", "type": "cpu"}]
    lines = python_lines("flavors=", flavors, ",", width=60)

    assert all(len(line) <= 60 for line in lines)
    assert ast.literal_eval("\n".join(lines)[len("flavors=") : -1]) == flavors


def test_the_app_is_already_as_ruff_format_writes_it_at_the_usual_line_length():
    """Teams commit the generated app and lint it: it must pass ``ruff format --check`` as written."""
    labels = {f"label-{index}": text for index, text in enumerate(HOSTILE)}
    source = app_source(
        connection(
            "hf-tokens",
            secret_keys=("token", "webhookSecret", "anotherVeryLongSecretKeyName"),
            metadata={"labels": labels, "displayName": 'HF "tokens"'},
        ),
        policy("eu-only", metadata={"labels": labels}),
        model("chat", integrationConnections=["hf-tokens"], policies=["eu-only"], metadata={"labels": labels}),
        take_over_secrets=True,
    )

    checked = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--line-length", "120", "--stdin-filename", "main.py", "-"],
        input=source,
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert max(len(line) for line in source.splitlines()) <= 120
