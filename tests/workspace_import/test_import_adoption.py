"""What is written for each object: the state the provider stores on import, minus defaults, with references."""

from __future__ import annotations

import dataclasses
import random

from blaxel_constructs.kinds import INTEGRATION_CONNECTION, MODEL, POLICY
from blaxel_constructs.workspace_import.adoption import ObjectRef, adopt, dependency_order
from blaxel_constructs.workspace_import.hcl_rendering import render_imports, render_main
from blaxel_constructs.workspace_import.workspace_reading import ListedObject, read_workspace

from .workspace_fake import FakeWorkspace, connection, model, policy


def listing(*entries):
    return read_workspace(FakeWorkspace(entries), (MODEL, INTEGRATION_CONNECTION, POLICY))


def arguments(adoption, name):
    adopted = next(a for a in adoption.objects if a.name == name)
    return {attr.name: value for attr, value in adopted.arguments}


def test_defaults_and_nulls_are_left_out_and_everything_else_is_written():
    read = listing(
        model("on", sandbox=False, runtime={"type": "openai", "model": "gpt-4.1", "organization": None}),
        model("off", enabled=False, sandbox=True, flavors=[{"name": "t4", "type": "cpu"}]),
    )

    adoption = adopt(read.objects)

    assert arguments(adoption, "on") == {"name": "on", "runtime": {"type": "openai", "model": "gpt-4.1"}}
    assert arguments(adoption, "off")["enabled"] is False
    assert arguments(adoption, "off")["sandbox"] is True
    assert arguments(adoption, "off")["flavors"] == [{"name": "t4", "type": "cpu"}]


def test_a_model_names_adopted_objects_by_reference_and_others_by_their_name():
    read = listing(
        connection("openai-prod"),
        policy("eu-only"),
        model("chat", integrationConnections=["openai-prod", "elsewhere"], policies=["eu-only", "gone"]),
    )

    values = arguments(adopt(read.objects), "chat")

    first, second = values["integration_connections"]
    assert isinstance(first, ObjectRef) and first.kind is INTEGRATION_CONNECTION and first.hcl == "openai_prod"
    assert second == "elsewhere"
    assert isinstance(values["policies"][0], ObjectRef) and values["policies"][1] == "gone"


def test_a_connection_left_out_by_a_filter_is_named_by_its_string():
    read = listing(connection("openai-prod"), model("chat", integrationConnections=["openai-prod"]))

    values = arguments(adopt([o for o in read.objects if o.kind is MODEL]), "chat")

    assert values["integration_connections"] == ["openai-prod"]


def test_objects_being_deleted_are_skipped_with_their_status():
    read = listing(model("old", status="DELETING"), model("older", status="TERMINATED"), model("kept"))

    assert [o.name for o in read.objects] == ["kept"]
    assert [(s.what, s.why) for s in read.skipped] == [
        ("model old", "being deleted (status DELETING)"),
        ("model older", "being deleted (status TERMINATED)"),
    ]


def test_a_model_still_deploying_is_adopted_with_a_notice():
    adoption = adopt(listing(model("busy", status="DEPLOYING")).objects)

    assert [o.name for o in adoption.objects] == ["busy"]
    assert "busy is still deploying" in adoption.notices[0]


def test_the_generated_files_do_not_depend_on_the_order_the_api_listed_objects_in():
    entries = [connection(f"c-{i}") for i in range(5)] + [model(f"m-{i}") for i in range(8)] + [policy("p")]
    shuffled = entries[:]
    random.Random(7).shuffle(shuffled)

    first, second = adopt(listing(*entries).objects), adopt(listing(*shuffled).objects)

    assert render_main(first, source="s") == render_main(second, source="s")
    assert render_imports(first) == render_imports(second)


def test_referenced_kinds_come_first():
    assert dependency_order((MODEL, INTEGRATION_CONNECTION, POLICY))[-1] is MODEL


def test_a_secret_is_kept_unless_taken_over_and_its_keys_name_its_variables():
    read = listing(connection("openai-prod", secret_keys=("apiKey", "org")), connection("bare", secret_keys=()))

    kept = adopt(read.objects)
    taken = adopt(read.objects, take_over_secrets=True)

    secret = next(a for a in kept.objects if a.name == "openai-prod").secrets[0]
    assert not secret.taken_over and secret.attr.name == "secret_wo" and secret.version.name == "secret_wo_version"
    assert [(v.key, v.variable) for v in secret.variables] == [
        ("apiKey", "OPENAI_PROD__API_KEY"),
        ("org", "OPENAI_PROD__ORG"),
    ]
    assert next(a for a in kept.objects if a.name == "bare").secrets == ()
    assert kept.taken_over == ()
    assert [v.environment_variable for v in taken.taken_over] == [
        "TF_VAR_OPENAI_PROD__API_KEY",
        "TF_VAR_OPENAI_PROD__ORG",
    ]


def test_a_connection_appearing_later_leaves_the_variables_of_the_others_as_they_were():
    before = adopt(listing(connection("openai-prod")).objects, take_over_secrets=True)
    after = adopt(
        listing(connection("openai-prod"), connection("openai", secret_keys=("prodApiKey",))).objects,
        take_over_secrets=True,
    )

    assert [v.variable for v in before.taken_over] == ["OPENAI_PROD__API_KEY"]
    assert [v.variable for v in after.taken_over] == ["OPENAI__PROD_API_KEY", "OPENAI_PROD__API_KEY"]


def test_keys_of_one_connection_that_would_meet_are_kept_apart():
    read = listing(connection("c", secret_keys=("apiKey", "api_key")))

    variables = [v.variable for v in adopt(read.objects, take_over_secrets=True).taken_over]

    assert len(set(variables)) == 2


def test_a_kind_added_later_is_adopted_from_its_description_alone():
    guardrail = dataclasses.replace(
        POLICY, noun="guardrail", short_noun="guardrail", type_name="blaxel_guardrail", collection="/guardrails"
    )
    listed = [
        ListedObject(
            guardrail,
            "strict",
            {"metadata": {"name": "strict"}, "spec": {"type": "maxToken", "maxTokens": {"total": 5}}},
        ),
        ListedObject(POLICY, "strict", {"metadata": {"name": "strict"}, "spec": {"type": "flavor", "flavors": []}}),
    ]

    adoption = adopt(listed)
    text = render_main(adoption, source="s")

    assert 'resource "blaxel_guardrail" "strict" {' in text
    assert "max_tokens = { total = 5 }" in text
    assert 'resource "blaxel_policy" "strict" {' in text
    assert {a.python for a in adoption.objects} == {"guardrail_strict", "policy_strict"}


def test_an_object_without_a_required_argument_is_skipped_and_named_by_its_string():
    read = listing(connection("ok"), model("no-runtime", runtime=None), model("uses", integrationConnections=["ok"]))
    runtime_less = next(o for o in read.objects if o.name == "no-runtime")

    adoption = adopt(read.objects)

    assert [o.name for o in adoption.objects] == ["ok", "uses"]
    assert [(s.what, s.listed) for s in adoption.skipped] == [("model no-runtime", runtime_less)]
    assert "no runtime, which blaxel_model requires" in adoption.skipped[0].why
