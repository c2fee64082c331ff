"""Timeouts: Terraform duration strings, checked when the value object is built."""

from __future__ import annotations

import pytest

from blaxel_constructs import BlaxelProvider, ModelEndpoint, ModelRuntime
from blaxel_constructs.constructs import Timeouts
from blaxel_constructs.errors import SpecError


@pytest.mark.parametrize("value", ["30m", "1h30m", "45s", "1.5h", "300ms", "2h45m30s", "90s", ".5h"])
def test_go_style_positive_durations_are_accepted(value):
    assert Timeouts(create=value).to_terraform() == {"create": value}


@pytest.mark.parametrize("value", ["10 minutes", "30", "-5m", "0s", "0h0m", "", "1d", "m", "1h 30m", "PT30M"])
def test_other_strings_are_rejected_naming_the_operation(value):
    with pytest.raises(SpecError) as raised:
        Timeouts(delete=value)

    assert raised.value.field == "timeouts.delete"


def test_timeouts_keep_only_the_operations_that_are_set():
    assert Timeouts(create="30m", delete="10m").to_terraform() == {"create": "30m", "delete": "10m"}


def test_a_bad_duration_names_the_operation():
    with pytest.raises(SpecError) as raised:
        Timeouts(update="soon")

    assert raised.value.field == "timeouts.update"
    assert "'soon'" in str(raised.value)


def test_a_mapping_becomes_timeouts_and_unknown_operations_are_rejected():
    assert Timeouts.of({"create": "5m"}) == Timeouts(create="5m")
    assert Timeouts.of(None) is None
    with pytest.raises(SpecError) as raised:
        Timeouts.of({"read": "5m"})
    assert raised.value.field == "timeouts.read"


def test_a_timeouts_value_object_is_synthesized_as_the_timeouts_argument(stack, model_resource):
    BlaxelProvider(stack, "blaxel")
    ModelEndpoint(
        stack, "gpt", name="my-gpt", runtime=ModelRuntime(type="openai"), timeouts=Timeouts(create="1h", delete="5m")
    )

    assert model_resource(stack)["timeouts"] == {"create": "1h", "delete": "5m"}


def test_empty_timeouts_are_left_out(stack, model_resource):
    BlaxelProvider(stack, "blaxel")
    ModelEndpoint(stack, "gpt", name="my-gpt", runtime=ModelRuntime(type="openai"), timeouts={})

    assert "timeouts" not in model_resource(stack)
