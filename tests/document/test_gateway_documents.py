"""The pydantic documents of connections and policies: the official SDK's enums, the type rules, no leaked secret."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from blaxel_constructs.document import IntegrationConnection, Policy, rules
from tests.emulator.sdk_oracle import load_oracle


def test_the_policy_enums_are_those_of_the_official_sdk() -> None:
    oracle = load_oracle()

    assert sorted(rules.POLICY_TYPES) == sorted(oracle.enum("PolicySpecType"))
    assert sorted(rules.POLICY_LOCATION_TYPES) == sorted(oracle.enum("PolicyLocationType"))
    assert sorted(rules.POLICY_RESOURCE_TYPES) == sorted(oracle.enum("PolicyResourceType"))


def test_a_policy_document_written_by_the_library_is_read_by_the_sdk_exactly_as_sent() -> None:
    policy = Policy.model_validate(
        {
            "metadata": {"name": "eu-only", "displayName": "EU only"},
            "spec": {
                "type": "location",
                "locations": [{"name": "EU", "type": "continent"}],
                "resourceTypes": ["model", "agent"],
                "sandbox": False,
            },
        }
    )

    assert load_oracle().problems(policy.to_api(), "Policy") == []


def test_a_connection_document_written_by_the_library_is_read_by_the_sdk_exactly_as_sent() -> None:
    connection = IntegrationConnection.model_validate(
        {"metadata": {"name": "openai"}, "spec": {"integration": "openai", "config": {"a": "b"}, "secret": {"k": "v"}}}
    )

    assert load_oracle().problems(connection.to_api(), "IntegrationConnection") == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"type": "location"}, "spec.locations: is required for a policy of type 'location'"),
        (
            {
                "type": "flavor",
                "flavors": [{"name": "t4", "type": "cpu"}],
                "locations": [{"name": "EU", "type": "continent"}],
            },
            "spec.locations: is only for a policy of type 'location' (this one is 'flavor')",
        ),
        ({"type": "maxToken", "maxTokens": {"input": 0}}, "spec.maxTokens.input: must be a positive integer (got 0)"),
        (
            {"type": "maxToken", "maxTokens": {"step": 1}},
            "spec.maxTokens: must set at least one of input, output, total",
        ),
        ({"locations": [{"name": "EU", "type": "continent"}]}, "spec.type\n  Field required"),
    ],
)
def test_a_policy_breaking_a_type_rule_is_refused_naming_the_field(spec: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Policy.model_validate({"metadata": {"name": "p"}, "spec": spec})

    assert message in str(raised.value)


def test_a_policy_of_an_unknown_type_is_refused() -> None:
    with pytest.raises(ValidationError, match="location"):
        Policy.model_validate({"metadata": {"name": "p"}, "spec": {"type": "region"}})


def test_a_connection_never_shows_its_secret_in_its_repr_or_in_a_validation_error() -> None:
    connection = IntegrationConnection.model_validate(
        {"metadata": {"name": "openai"}, "spec": {"integration": "openai", "secret": {"apiKey": "sk-very-secret"}}}
    )
    with pytest.raises(ValidationError) as raised:
        IntegrationConnection.model_validate(
            {"metadata": {"name": "BAD NAME"}, "spec": {"integration": "", "secret": {"apiKey": "sk-very-secret"}}}
        )

    assert "sk-very-secret" not in repr(connection)
    assert "sk-very-secret" not in str(raised.value)
    assert connection.to_api()["spec"]["secret"] == {"apiKey": "sk-very-secret"}


def test_a_connection_needs_its_integration() -> None:
    with pytest.raises(ValidationError, match="integration"):
        IntegrationConnection.model_validate({"metadata": {"name": "c"}, "spec": {"config": {}}})
