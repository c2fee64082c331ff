"""The wire mapping of connections and policies: snake_case attributes <-> the API's camelCase documents."""

from __future__ import annotations

from typing import Any

from blaxel_constructs.document import equivalence, wire

FULL_POLICY = {
    "name": "tokens",
    "display_name": "Token budget",
    "labels": {"team": "ml"},
    "type": "maxToken",
    "locations": None,
    "flavors": None,
    "max_tokens": {
        "granularity": "minute",
        "input": 1000,
        "output": 500,
        "total": 1500,
        "step": 1,
        "ratio_input_over_output": 2,
    },
    "resource_types": ["model"],
    "sandbox": False,
}


def test_a_policy_goes_to_the_wire_in_camel_case_with_absent_values_left_out() -> None:
    document = wire.to_policy_document(FULL_POLICY)

    assert document == {
        "metadata": {"name": "tokens", "displayName": "Token budget", "labels": {"team": "ml"}},
        "spec": {
            "type": "maxToken",
            "maxTokens": {
                "granularity": "minute",
                "input": 1000,
                "output": 500,
                "total": 1500,
                "step": 1,
                "ratioInputOverOutput": 2,
            },
            "resourceTypes": ["model"],
            "sandbox": False,
        },
    }


def test_a_policy_read_back_has_every_argument_key_and_its_computed_values() -> None:
    document = wire.to_policy_document(FULL_POLICY)
    document["metadata"].update(
        {"workspace": "w", "createdAt": "t0", "updatedAt": "t1", "createdBy": "a", "updatedBy": "b"}
    )

    attrs = wire.from_policy_document(document)

    assert {k: attrs[k] for k in wire.POLICY_ARGUMENTS} == FULL_POLICY
    assert attrs["id"] == "tokens"
    assert {k: attrs[k] for k in wire.POLICY_COMPUTED} == {
        "workspace": "w",
        "created_at": "t0",
        "updated_at": "t1",
        "created_by": "a",
        "updated_by": "b",
    }


def test_inner_objects_of_a_policy_read_back_carry_every_inner_key() -> None:
    attrs = wire.from_policy_document(
        {
            "metadata": {"name": "eu"},
            "spec": {"type": "location", "locations": [{"name": "EU"}], "maxTokens": {"input": 5}},
        }
    )

    assert attrs["locations"] == [{"name": "EU", "type": None}]
    assert attrs["max_tokens"] == dict.fromkeys(wire.MAX_TOKENS_FIELDS) | {"input": 5}


def test_a_connection_sends_its_secret_but_never_reads_one_back() -> None:
    attrs = {
        "name": "openai",
        "display_name": "OpenAI",
        "labels": None,
        "integration": "openai",
        "config": {"organization": "org-1"},
        "sandbox": True,
        "secret": {"apiKey": "sk-live"},
    }

    document = wire.to_integration_connection_document(attrs)
    read = wire.from_integration_connection_document(document)

    assert document == {
        "metadata": {"name": "openai", "displayName": "OpenAI"},
        "spec": {
            "integration": "openai",
            "config": {"organization": "org-1"},
            "sandbox": True,
            "secret": {"apiKey": "sk-live"},
        },
    }
    assert "secret" not in read
    assert {k: read[k] for k in wire.CONNECTION_ARGUMENTS} == {k: attrs[k] for k in wire.CONNECTION_ARGUMENTS}
    assert read["id"] == "openai"


def test_a_connection_without_a_secret_sends_no_secret_member() -> None:
    document = wire.to_integration_connection_document({"name": "c", "integration": "anthropic", "secret": None})

    assert document == {"metadata": {"name": "c"}, "spec": {"integration": "anthropic"}}


def test_two_policies_differing_only_in_the_order_of_locations_and_resource_types_mean_the_same() -> None:
    eu, fr = {"name": "EU", "type": "continent"}, {"name": "FR", "type": "country"}
    first: dict[str, Any] = {**FULL_POLICY, "type": "location", "max_tokens": None}
    first.update(locations=[eu, fr], resource_types=["model", "agent"])
    second = {**first, "locations": [fr, eu], "resource_types": ["agent", "model"]}
    third = {**first, "locations": [eu]}

    assert equivalence.same_arguments(first, second, wire.POLICY_ARGUMENTS)
    assert not equivalence.same_arguments(first, third, wire.POLICY_ARGUMENTS)
