"""BlaxelProvider: what it synthesizes, and that credentials never leak into the synth output."""

from __future__ import annotations

import json
import warnings

import pytest

from blaxel_constructs import BlaxelProvider, __version__
from blaxel_constructs.constructs import PlaintextSecretWarning
from blaxel_constructs.errors import SpecError
from tests.support.cdk import TerraformVariable

REQUIRED_PROVIDERS = {"blaxel": {"source": "blaxel-constructs/blaxel", "version": __version__}}


def test_a_provider_without_arguments_synthesizes_an_empty_block_and_pins_the_package_version(stack, synth):
    BlaxelProvider(stack, "blaxel")

    doc = synth(stack)

    assert doc["provider"] == {"blaxel": [{}]}
    assert doc["terraform"]["required_providers"] == REQUIRED_PROVIDERS


def test_given_arguments_are_synthesized_in_snake_case_and_nothing_else(stack, synth):
    BlaxelProvider(
        stack,
        "blaxel",
        api_url="http://127.0.0.1:4010/v0",
        workspace="emulator",
        api_version="2026-04-28",
        alias="local",
    )

    doc = synth(stack)

    assert doc["provider"] == {
        "blaxel": [
            {
                "alias": "local",
                "api_url": "http://127.0.0.1:4010/v0",
                "api_version": "2026-04-28",
                "workspace": "emulator",
            }
        ]
    }


def test_credentials_in_the_environment_at_synth_time_never_reach_the_synth_output(stack, synth, monkeypatch):
    monkeypatch.setenv("BL_API_KEY", "sk-from-env-must-not-leak")
    monkeypatch.setenv("BL_CLIENT_CREDENTIALS", "Y2xpZW50OnNlY3JldA-must-not-leak")
    monkeypatch.setenv("BL_WORKSPACE", "ws-from-env")
    monkeypatch.setenv("BL_API_URL", "http://env.example/v0")
    BlaxelProvider(stack, "blaxel")

    doc = synth(stack)

    assert doc["provider"] == {"blaxel": [{}]}
    text = json.dumps(doc)
    for leaked in ("must-not-leak", "ws-from-env", "env.example"):
        assert leaked not in text


def test_a_literal_api_key_is_synthesized_but_warns_that_it_is_written_in_clear_text(stack, synth):
    with pytest.warns(PlaintextSecretWarning) as caught:
        BlaxelProvider(stack, "blaxel", api_key="sk-literal")

    message = str(caught[0].message)
    assert "cdk.tf.json" in message
    assert "clear text" in message
    assert "BL_API_KEY" in message
    assert "TerraformVariable(sensitive=True)" in message
    assert caught[0].filename == __file__, "the warning should point at the line that created the provider"
    assert synth(stack)["provider"] == {"blaxel": [{"api_key": "sk-literal"}]}


def test_a_literal_client_credentials_string_warns_too(stack):
    with pytest.warns(PlaintextSecretWarning, match="BL_CLIENT_CREDENTIALS"):
        BlaxelProvider(stack, "blaxel", client_credentials="Y2xpZW50OnNlY3JldA==")


def test_an_api_key_from_a_sensitive_variable_gives_no_warning_and_renders_as_a_reference(stack, synth):
    key = TerraformVariable(stack, "blaxel_api_key", type="string", sensitive=True)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        BlaxelProvider(stack, "blaxel", api_key=key.string_value)

    assert synth(stack)["provider"] == {"blaxel": [{"api_key": "${var.blaxel_api_key}"}]}


def test_two_providers_one_aliased_synthesize_two_blocks_and_one_required_provider(stack, synth):
    BlaxelProvider(stack, "blaxel")
    BlaxelProvider(stack, "blaxel-eu", workspace="eu", alias="eu")

    doc = synth(stack)

    assert doc["provider"] == {"blaxel": [{}, {"alias": "eu", "workspace": "eu"}]}
    assert doc["terraform"]["required_providers"] == REQUIRED_PROVIDERS


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"api_url": "api.blaxel.ai/v0"}, "api_url"),
        ({"api_version": "latest"}, "api_version"),
        ({"alias": "has space"}, "alias"),
        ({"workspace": 42}, "workspace"),
    ],
)
def test_malformed_provider_arguments_are_rejected_naming_the_field_and_path(stack, arguments, field):

    with pytest.raises(SpecError) as raised:
        BlaxelProvider(stack, "blaxel", **arguments)

    assert raised.value.field == field
    assert raised.value.path == "test/blaxel"
    assert stack.node.try_find_child("blaxel") is None
