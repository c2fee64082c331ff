"""``blaxel_policy`` configurations checked at validate and plan, before any API call: the API's rules in
Terraform's names, and nothing said about a value that is not known yet."""

from __future__ import annotations

from typing import Any

import pytest
from tf.types import Unknown

from blaxel_constructs.kinds import POLICY

config_problems = POLICY.config_problems


def config(**attrs: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"name": "eu-only", "type": "location", "locations": [{"name": "eu", "type": "continent"}]}
    return {**base, **attrs}


def tokens(**counts: Any) -> dict[str, Any]:
    keys = ("granularity", "input", "output", "total", "step", "ratio_input_over_output")
    return {key: counts.get(key) for key in keys}


def problems(**attrs: Any) -> list[tuple[str, str]]:
    found = config_problems(config(**attrs))
    return [(p.summary, p.detail) for p in found]


def test_a_valid_policy_of_each_type_has_no_problem() -> None:
    assert problems() == []
    assert problems(type="flavor", locations=None, flavors=[{"name": "t4", "type": "gpu"}]) == []
    assert problems(type="maxToken", locations=None, max_tokens=tokens(total=100, step=1)) == []


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ({"type": "region"}, ("Invalid type", "type must be one of location, flavor, maxToken (got 'region')")),
        (
            {"locations": [{"name": "eu", "type": "planet"}]},
            (
                "Invalid locations[0].type",
                "locations[0].type must be one of location, country, continent (got 'planet').",
            ),
        ),
        (
            {"resource_types": ["model", "robot"]},
            (
                "Invalid resource_types[1]",
                "resource_types[1] must be one of model, function, agent, sandbox, application (got 'robot').",
            ),
        ),
        ({"name": "EU_only"}, ("Invalid name", "name must be lowercase letters")),
    ],
)
def test_enums_and_names_are_checked_with_the_attribute_named(attrs: dict[str, Any], expected: tuple[str, str]) -> None:
    ((summary, detail),) = problems(**attrs)

    assert summary == expected[0] and detail.startswith(expected[1].rstrip("."))


def test_a_member_of_another_type_is_refused_and_the_own_member_is_required() -> None:
    found = problems(type="flavor", flavors=None)

    assert ("Invalid flavors", "flavors is required for a policy of type 'flavor'.") in found
    assert (
        "Invalid locations",
        "locations is only for a policy of type 'location' (this one is 'flavor').",
    ) in found


def test_max_tokens_belong_to_a_max_token_policy_only() -> None:
    ((summary, detail),) = problems(max_tokens=tokens(total=5))

    assert summary == "Invalid max_tokens" and "only for a policy of type 'maxToken'" in detail


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"total": 0}, "max_tokens.total must be a positive integer (got 0)."),
        (
            {"total": 10, "ratio_input_over_output": -2},
            "max_tokens.ratio_input_over_output must be a positive integer (got -2).",
        ),
        ({"total": 2.5}, "max_tokens.total must be a positive integer (got 2.5)."),
        ({"step": 1, "granularity": "minute"}, "max_tokens must set at least one of input, output, total."),
    ],
)
def test_token_counts_must_be_positive_integers_and_one_limit_given(counts: dict[str, Any], expected: str) -> None:
    found = problems(type="maxToken", locations=None, max_tokens=tokens(**counts))

    assert [detail for _, detail in found] == [expected]


def test_a_whole_float_counts_as_an_integer() -> None:
    assert problems(type="maxToken", locations=None, max_tokens=tokens(total=100.0)) == []


def test_values_not_known_yet_are_not_judged() -> None:
    assert problems(type=Unknown, max_tokens=tokens(total=5)) == []  # which type is unknown
    assert problems(locations=Unknown) == []
    assert problems(type="maxToken", locations=None, max_tokens=tokens(total=Unknown)) == []
    assert problems(type="flavor", flavors=None, locations=Unknown) == [
        ("Invalid flavors", "flavors is required for a policy of type 'flavor'.")
    ]


def test_a_bad_token_count_is_reported_even_before_the_type_is_known() -> None:
    assert problems(type=Unknown, locations=None, max_tokens=tokens(total=-1)) == [
        ("Invalid max_tokens.total", "max_tokens.total must be a positive integer (got -1).")
    ]
