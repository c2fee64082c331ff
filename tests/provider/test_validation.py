"""Configuration checks the provider makes before any API call."""

from __future__ import annotations

from typing import Any

import pytest
from msgpack import ExtType
from tf.types import Unknown

from blaxel_constructs.kinds import MODEL

config_problems = MODEL.config_problems

VALID: dict[str, Any] = {
    "name": "chat",
    "runtime": {"type": "openai", "model": "gpt-4.1", "generation": None},
    "flavors": [{"name": "t4", "type": "cpu"}],
    "timeouts": {"create": "30m", "update": None, "delete": "1h30m"},
}


def test_a_valid_configuration_has_no_problems() -> None:
    assert config_problems(VALID) == []


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"name": "Chat"}, ["name"]),
        ({"name": "x" * 50}, ["name"]),
        ({"name": "-chat"}, ["name"]),
        ({"name": ""}, ["name"]),
        ({"display_name": "d" * 64}, ["display_name"]),
        ({"external_id": "has space"}, ["external_id"]),
        ({"runtime": {"type": "openia"}}, ["runtime", "type"]),
        ({"runtime": {"type": "openai", "generation": "mk9"}}, ["runtime", "generation"]),
        ({"flavors": [{"name": "t4", "type": "cpu"}, {"name": "a100", "type": "tpu"}]}, ["flavors", (1,), "type"]),
        ({"timeouts": {"create": "10 minutes"}}, ["timeouts", "create"]),
        ({"timeouts": {"delete": "-5m"}}, ["timeouts", "delete"]),
    ],
)
def test_each_broken_rule_is_reported_at_its_attribute_path(change: dict[str, Any], path: list[Any]) -> None:
    problems = config_problems({**VALID, **change})

    assert [p.path for p in problems] == [path]
    assert problems[0].detail


def test_values_unknown_until_apply_are_not_judged_yet() -> None:
    refined = ExtType(12, b"\x81\x02\xa6fleet-")  # how Terraform sends "fleet-${count.index}" at validate
    config = {"name": refined, "runtime": {"type": Unknown}, "flavors": Unknown, "timeouts": {"create": Unknown}}

    assert config_problems(config) == []
