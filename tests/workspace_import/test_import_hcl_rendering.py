"""``main.tf`` and ``imports.tf``: strings survive exactly, references order objects, layout is ``terraform fmt``'s."""

from __future__ import annotations

import re

import pytest

from blaxel_constructs import identity
from blaxel_constructs._version import __version__
from blaxel_constructs.kinds import INTEGRATION_CONNECTION, MODEL, POLICY
from blaxel_constructs.workspace_import.adoption import adopt
from blaxel_constructs.workspace_import.hcl_rendering import hcl_string, render_imports, render_main
from blaxel_constructs.workspace_import.workspace_reading import read_workspace

from .workspace_fake import FakeWorkspace, connection, model, policy

HOSTILE = [
    'say "hi"',
    "back\\slash",
    "${var.x} and %{ if true }",
    "$${already} %%{escaped}",
    "line1\nline2\r\ttab",
    "app.kubernetes.io/name",
    "café ✓ 日本",
    "bell\x07",
    "$",
    "ends with $",
    "%",
]


def hcl_unquote(literal: str) -> str:
    """What Terraform reads from a quoted HCL string without template sequences (the test's own decoder)."""
    assert literal.startswith('"') and literal.endswith('"')
    body, out, index = literal[1:-1], [], 0
    simple = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t"}
    while index < len(body):
        char = body[index]
        if char == "\\":
            code = body[index + 1]
            if code == "u":
                out.append(chr(int(body[index + 2 : index + 6], 16)))
                index += 6
                continue
            out.append(simple[code])
            index += 2
        elif body.startswith(("$${", "%%{"), index):
            out.append(char + "{")
            index += 3
        else:
            assert not body.startswith(("${", "%{"), index), f"a template sequence is left in {literal}"
            assert char not in '\n\r"', literal
            out.append(char)
            index += 1
    return "".join(out)


@pytest.mark.parametrize("text", HOSTILE)
def test_every_string_reads_back_exactly(text):
    assert hcl_unquote(hcl_string(text)) == text


def rendered(*entries, **options):
    adoption = adopt(read_workspace(FakeWorkspace(entries), (MODEL, INTEGRATION_CONNECTION, POLICY)).objects, **options)
    return render_main(adoption, source='workspace "w"'), render_imports(adoption)


def test_main_pins_the_provider_and_takes_its_settings_from_the_environment():
    main, _ = rendered(model("chat"))

    assert f'source  = "{identity.SOURCE}"' in main
    assert f'version = "{__version__}"' in main
    assert 'provider "blaxel" {}' in main


def test_one_resource_and_one_import_block_per_object_imported_by_name():
    main, imports = rendered(connection("openai-prod"), policy("eu-only"), model("4o-mini"), model("chat-1"))

    assert re.findall(r'^resource "(\w+)" "(\w+)" \{$', main, re.M) == [
        ("blaxel_integration_connection", "openai_prod"),
        ("blaxel_policy", "eu_only"),
        ("blaxel_model", "_4o_mini"),
        ("blaxel_model", "chat_1"),
    ]
    assert re.findall(r"to = (\S+)\n  id = (\S+)", imports) == [
        ("blaxel_integration_connection.openai_prod", '"openai-prod"'),
        ("blaxel_policy.eu_only", '"eu-only"'),
        ("blaxel_model._4o_mini", '"4o-mini"'),
        ("blaxel_model.chat_1", '"chat-1"'),
    ]


def test_a_model_refers_to_adopted_connections_and_policies_and_names_the_others():
    main, _ = rendered(
        connection("openai-prod"),
        policy("eu-only"),
        model("chat", integrationConnections=["openai-prod"], policies=["eu-only", "not-here"]),
    )

    assert "integration_connections = [blaxel_integration_connection.openai_prod.name]" in main
    assert 'policies                = [blaxel_policy.eu_only.name, "not-here"]' in main


def test_hostile_display_names_and_labels_are_escaped_and_label_keys_quoted_when_needed():
    labels = {"app.kubernetes.io/name": "gw", "team": 'a "b" ${c}', "null": "x", "for": "y"}
    main, _ = rendered(model("chat", metadata={"displayName": "line\n${x} %{y} \\", "labels": labels}))

    assert r'display_name = "line\n$${x} %%{y} \\"' in main
    assert (
        r'labels       = { "app.kubernetes.io/name" = "gw", team = "a \"b\" $${c}", "null" = "x", "for" = "y" }' in main
    )


def test_every_policy_type_is_written_with_its_own_rule():
    main, _ = rendered(
        policy("loc", type="location", locations=[{"name": "fr", "type": "country"}], resourceTypes=["model"]),
        policy("flv", type="flavor", flavors=[{"name": "t4", "type": "cpu"}]),
        policy("tok", type="maxToken", maxTokens={"granularity": "minute", "input": 10, "ratioInputOverOutput": 2}),
    )

    assert 'locations      = [{ name = "fr", type = "country" }]' in main
    assert 'flavors = [{ name = "t4", type = "cpu" }]' in main
    assert 'max_tokens = { granularity = "minute", input = 10, ratio_input_over_output = 2 }' in main


def test_attributes_of_a_block_are_aligned_as_terraform_fmt_aligns_them():
    main, _ = rendered(model("chat", enabled=False, metadata={"externalId": "e-1"}))
    block = main[main.index('resource "blaxel_model"') :]
    lines = [line for line in block.splitlines()[1:] if " = " in line]

    assert len({line.index(" = ") for line in lines}) == 1


def test_a_kept_secret_is_a_comment_and_no_secret_argument():
    main, _ = rendered(connection("openai-prod"))

    code = [line for line in main.splitlines() if not line.lstrip().startswith("#")]
    assert not any("secret_wo" in line for line in code)
    assert "#   secret_wo         = { apiKey = var.OPENAI_PROD__API_KEY }" in main
    assert "variable " not in "\n".join(code)


def test_a_taken_over_secret_is_a_write_only_argument_from_an_ephemeral_variable_at_version_1():
    main, _ = rendered(connection("openai-prod"), take_over_secrets=True)

    assert "  secret_wo         = { apiKey = var.OPENAI_PROD__API_KEY }\n  secret_wo_version = 1\n" in main
    variable = main[main.index('variable "OPENAI_PROD__API_KEY" {') :]
    variable = variable[: variable.index("\n}\n")]
    assert "ephemeral   = true" in variable and "sensitive   = true" in variable and "default     = null" in variable
    assert 'condition     = var.OPENAI_PROD__API_KEY != null && var.OPENAI_PROD__API_KEY != ""' in variable
    assert "TF_VAR_OPENAI_PROD__API_KEY" in variable
