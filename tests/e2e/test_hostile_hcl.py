"""Invalid HCL is rejected by terraform plan, naming the attribute, before the provider calls the API."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from blaxel_constructs.emulator.process import EmulatorProcess
from tests.support.terraform import Workdir

pytestmark = pytest.mark.e2e

# (resource body, text the error must contain)
CASES: list[tuple[str, str]] = [
    ('name = "x%s"' % ("y" * 49), "at most 49 characters"),
    ('name = "UpperCase"', "lowercase letters"),
    ('name = ""', "must not be empty"),
    ('name = "-leading"', "lowercase letters"),
    ('name = "ok-1"\n  display_name = "%s"' % ("d" * 64), "at most 63 characters"),
    ('name = "ok-2"\n  external_id = "not valid!"', "letters, digits and '-'"),
    ('name = "ok-3"\n  runtime = { type = "openia" }', "runtime.type must be one of"),
    ('name = "ok-4"\n  runtime = { type = "openai", generation = "mk9" }', "runtime.generation must be one of"),
    ('name = "ok-5"\n  flavors = [{ name = "t4", type = "tpu" }]', "flavors[0].type must be one of"),
    ('name = "ok-6"\n  timeouts = { create = "10 minutes" }', "is not a duration"),
    ('name = "ok-7"\n  timeouts = { delete = "-5m" }', "is not a duration"),
    ('name = "ok-8"\n  timeouts = { update = "0s" }', "must be longer than zero"),
]


def test_every_invalid_value_is_reported_at_plan_with_no_api_call(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess
) -> None:
    body = ""
    for index, (arguments, _) in enumerate(CASES):
        runtime = "" if "runtime" in arguments else '\n  runtime = { type = "openai" }'
        body += f'\nresource "blaxel_model" "case{index}" {{\n  {arguments}{runtime}\n}}\n'
    workdir = hcl(body)
    emulator.reset_stats()

    result = workdir.plan(expect=(1,))

    for index, (_, expected) in enumerate(CASES):
        assert expected in result.flat, f"case {index}: {expected!r} not reported"
        assert f"blaxel_model.case{index}" in result.flat
    assert emulator.stats()["total"] == 0


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (
            'name = "t1"\n  runtime = { type = "openai" }\n  unknown_argument = 1',
            'An argument named "unknown_argument"',
        ),
        ('name = "t2"\n  runtime = { type = "openai" }\n  enabled = "yes"', "a bool is required"),
        ('name = "t3"\n  runtime = { type = "openai" }\n  labels = { a = ["x"] }', "string required"),
        ('name = "t4"\n  runtime = "openai"', "object required"),
        ('name = "t5"', 'The argument "runtime" is required'),
    ],
)
def test_wrong_types_and_unknown_arguments_are_terraform_errors_before_any_call(
    hcl: Callable[..., Workdir], emulator: EmulatorProcess, arguments: str, expected: str
) -> None:
    workdir = hcl(f'resource "blaxel_model" "bad" {{\n  {arguments}\n}}\n')
    emulator.reset_stats()

    result = workdir.plan(expect=(1,))

    assert expected in result.flat
    assert emulator.stats()["total"] == 0
