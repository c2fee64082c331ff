"""Typed values (``ModelRuntime``, ``Flavor``, ``PolicyLocation``, ``PolicyMaxTokens``) fail as the dict form does.

Built with a bad value, each raises the library's ``SpecError`` naming its class and field, never pydantic's
dump. One that was valid when built and changed afterwards is caught by the construct it is given to,
which names the construct path and the field, exactly as for the equal dict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from blaxel_constructs import BlaxelProvider, Flavor, ModelEndpoint, ModelRuntime, Policy
from blaxel_constructs.document.policy_document import PolicyLocation, PolicyMaxTokens
from blaxel_constructs.errors import SpecError

BUILT_WRONG: list[tuple[str, Callable[[], Any], str, str]] = [
    ("runtime type", lambda: ModelRuntime(type="openia", model="gpt-4.1"), "ModelRuntime.type", "(got 'openia')"),
    ("runtime key", lambda: ModelRuntime(type="openai", modle="x"), "ModelRuntime.modle", "unknown attribute"),
    ("flavor type", lambda: Flavor(name="t4", type="tpu"), "Flavor.type", "Input should be 'cpu' or 'gpu'"),
    ("flavor name", lambda: Flavor(type="cpu"), "Flavor.name", "Field required"),
    ("location type", lambda: PolicyLocation(name="EU", type="planet"), "PolicyLocation.type", "(got 'planet')"),
    ("token count", lambda: PolicyMaxTokens(input="many"), "PolicyMaxTokens.input", "valid integer"),
]


@pytest.mark.parametrize(("case", "build", "field", "reason"), BUILT_WRONG, ids=[c for c, *_ in BUILT_WRONG])
def test_a_typed_value_built_with_a_bad_value_raises_a_spec_error_naming_its_class_and_field(
    case: str, build: Callable[[], Any], field: str, reason: str
) -> None:
    with pytest.raises(SpecError) as raised:
        build()

    error = raised.value
    assert not isinstance(error, ValidationError), case
    assert error.field == field
    assert str(error).startswith(f"field {field!r}: ")
    assert reason in str(error)
    assert "errors.pydantic.dev" not in str(error) and "\n" not in str(error)


def test_a_runtime_changed_after_it_was_built_is_caught_by_the_endpoint_with_its_path(stack: Any) -> None:
    BlaxelProvider(stack, "blaxel")
    runtime = ModelRuntime(type="openai", model="gpt-4.1")
    runtime.type = "openia"

    with pytest.raises(SpecError) as raised:
        ModelEndpoint(stack, "chat", name="chat", runtime=runtime)

    assert (raised.value.path, raised.value.field) == ("test/chat", "runtime.type")
    assert str(raised.value).startswith("construct test/chat, field 'runtime.type': Input should be")


def test_a_flavor_built_without_validation_is_caught_by_the_endpoint_as_the_dict_would_be(stack: Any) -> None:
    BlaxelProvider(stack, "blaxel")
    runtime = ModelRuntime(type="openai", model="gpt-4.1")

    with pytest.raises(SpecError) as typed:
        ModelEndpoint(stack, "a", name="a", runtime=runtime, flavors=[Flavor.model_construct(name="t4", type="tpu")])
    with pytest.raises(SpecError) as plain:
        ModelEndpoint(stack, "b", name="b", runtime=runtime, flavors=[{"name": "t4", "type": "tpu"}])

    assert typed.value.field == plain.value.field == "flavors[0].type"
    assert typed.value.path == "test/a"
    assert typed.value.reason == plain.value.reason


def test_policy_locations_and_token_limits_changed_after_they_were_built_name_the_policy_and_field(
    stack: Any,
) -> None:
    BlaxelProvider(stack, "blaxel")
    location = PolicyLocation(name="EU", type="continent")
    location.type = "planet"
    limits = PolicyMaxTokens(granularity="minute", total=1000)
    limits.total = 0

    with pytest.raises(SpecError) as located:
        Policy(stack, "eu", name="eu", type="location", locations=[location])
    with pytest.raises(SpecError) as limited:
        Policy(stack, "tokens", name="tokens", type="maxToken", max_tokens=limits)

    assert (located.value.path, located.value.field) == ("test/eu", "locations[0].type")
    assert (limited.value.path, limited.value.field) == ("test/tokens", "max_tokens.total")
    assert "must be a positive integer (got 0)" in str(limited.value)


def test_documents_read_from_the_api_still_raise_pydantic_errors_for_their_own_translation() -> None:
    with pytest.raises(ValidationError):
        ModelRuntime.model_validate({"type": "openia"})
