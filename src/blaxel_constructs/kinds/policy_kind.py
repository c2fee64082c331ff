"""``POLICY``: a Blaxel governance policy (``blaxel_policy``), described once.

A policy carries one rule, named by its ``type``: ``location`` (``locations``), ``flavor`` (``flavors``) or
``maxToken`` (``max_tokens``). Which members each type takes and the positive token counts are
``rules.policy_spec_problems``, the rule the emulator applies too, asked here in wire names and answered in
Terraform names (``_spec_rules``). No deployment: each operation is one API call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from blaxel_constructs.document import rules
from blaxel_constructs.kinds.description import (
    Attr,
    Docs,
    Kind,
    OperationTimeouts,
    PathStep,
    Problem,
    ValueType,
    argument,
    computed_metadata,
    display_name_argument,
    invalid,
    labels_argument,
    name_argument,
)

__all__ = ["POLICY"]


def _choices(values: tuple[str, ...]) -> str:
    return ", ".join(f"`{value}`" for value in values)


def _n(name: str, wire: str, description: str) -> Attr:
    return Attr(name, ValueType.NUMBER, description, wire=wire)


def _named(name: str, type_description: str, choices: tuple[str, ...]) -> tuple[Attr, ...]:
    """The members ``name`` and ``type`` of a location or a flavor."""
    return (
        Attr("name", ValueType.STRING, name, wire="name", required=True),
        Attr(
            "type",
            ValueType.STRING,
            f"{type_description}: {_choices(choices)}.",
            wire="type",
            required=True,
            choices=choices,
        ),
    )


_MAX_TOKENS = argument(
    "max_tokens",
    ValueType.OBJECT,
    'Token limits. Only for `type = "maxToken"`, which requires it with at least one of `input`, `output`, `total`.',
    wire="spec.maxTokens",
    members=(
        Attr("granularity", ValueType.STRING, "Period the limits apply to, e.g. `minute`.", wire="granularity"),
        _n("input", "input", "Maximum input tokens per period (a positive integer)."),
        _n("output", "output", "Maximum output tokens per period (a positive integer)."),
        _n("total", "total", "Maximum input plus output tokens per period (a positive integer)."),
        _n("step", "step", "Step of the limit (a positive integer)."),
        _n(
            "ratio_input_over_output",
            "ratioInputOverOutput",
            "Maximum ratio of input over output tokens (a positive integer).",
        ),
    ),
)
_SPEC: Final = {
    "locations": argument(
        "locations",
        ValueType.OBJECT_LIST,
        'Where deployments may run. Only for `type = "location"`, which requires at least one.',
        wire="spec.locations",
        unordered=True,
        members=_named(
            "Location name, e.g. `eu` for a continent or `fr` for a country.",
            "Location type",
            rules.POLICY_LOCATION_TYPES,
        ),
    ),
    "flavors": argument(
        "flavors",
        ValueType.OBJECT_LIST,
        'Hardware flavors deployments may use. Only for `type = "flavor"`, which requires at least one.',
        wire="spec.flavors",
        unordered=True,
        members=_named("Flavor name, e.g. `t4`.", "Flavor type", rules.FLAVOR_TYPES),
    ),
    "max_tokens": _MAX_TOKENS,
}


def _whole(value: Any) -> int | None:
    """``value`` as an int when it is a concrete whole number (Terraform numbers may arrive as floats)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else None


def _wire_spec(config: Mapping[str, Any]) -> tuple[dict[str, Any], set[str], list[Problem]]:
    """The concrete part of the configuration's ``spec`` in wire names; the wire fields whose problems are
    not ``rules``' to report (not known yet, or a token count that is not a whole number, reported here);
    and those reports."""
    spec: dict[str, Any] = {}
    skipped: set[str] = set()
    found: list[Problem] = []
    for attr in _SPEC.values():
        value = config.get(attr.name)
        member = attr.wire_path[-1]
        if value is None:
            continue
        if not isinstance(value, dict if attr.type is ValueType.OBJECT else list):
            skipped.add(f"spec.{member}")
        elif isinstance(value, list):
            spec[member] = value
        else:
            tokens: dict[str, Any] = {}
            for inner in attr.members:
                count, wire_name = value.get(inner.name), inner.wire or inner.name
                if count is None or wire_name not in rules.POLICY_TOKEN_COUNTS:
                    tokens[wire_name] = count
                elif (whole := _whole(count)) is not None:
                    tokens[wire_name] = whole
                elif isinstance(count, int | float) and not isinstance(count, bool):
                    found.append(invalid([attr.name, inner.name], f"must be a positive integer (got {count})"))
                    tokens[wire_name] = count  # given, so "at least one of" holds; its own problem is said here
                    skipped.add(f"spec.{member}.{wire_name}")
                else:
                    skipped.add(f"spec.{member}.{wire_name}")
                    if wire_name in ("input", "output", "total"):
                        skipped.add(f"spec.{member}")  # "at least one of" cannot be judged yet
            spec[member] = {key: count for key, count in tokens.items() if count is not None}
    return spec, skipped, found


def _terraform_path(field: str) -> list[PathStep]:
    """``spec.maxTokens.ratioInputOverOutput`` -> ``["max_tokens", "ratio_input_over_output"]``."""
    _, member, *inner = field.split(".")
    attr = next((a for a in _SPEC.values() if a.wire_path[-1] == member), None)
    if attr is None:
        return [member, *inner]
    names = {m.wire or m.name: m.name for m in attr.members}
    return [attr.name, *(names.get(name, name) for name in inner)]


def _spec_rules(config: Mapping[str, Any]) -> list[Problem]:
    """Type-specific members and token counts, by ``rules.policy_spec_problems``."""
    kind = config.get("type")
    spec, skipped, found = _wire_spec(config)
    if isinstance(kind, str) and kind not in rules.POLICY_TYPES:
        return found  # reported as an enum error; which members it takes cannot be said
    known_type = isinstance(kind, str)
    # With the type not known yet, only the token counts can be judged: they do not depend on it.
    answers = rules.policy_spec_problems({**spec, "type": kind if known_type else "maxToken"})
    for field, reason in answers:
        if field in skipped or any(field.startswith(f"{prefix}.") for prefix in skipped):
            continue
        if not known_type and not field.startswith("spec.maxTokens."):
            continue
        found.append(invalid(_terraform_path(field), reason))
    return found


POLICY: Final = Kind(
    noun="policy",
    short_noun="policy",
    type_name="blaxel_policy",
    document_kind="Policy",
    collection="/policies",
    description="A Blaxel policy: a rule on where and how models (and other resources) are deployed and served.",
    data_description="Reads a Blaxel policy by name, to reference a policy managed elsewhere.",
    attributes=(
        name_argument("policy"),
        argument(
            "type",
            ValueType.STRING,
            f"Policy type: {_choices(rules.POLICY_TYPES)}.",
            wire="spec.type",
            required=True,
            choices=rules.POLICY_TYPES,
        ),
        *_SPEC.values(),
        argument(
            "resource_types",
            ValueType.STRING_LIST,
            f"Kinds of resource the policy applies to: {_choices(rules.POLICY_RESOURCE_TYPES)}.",
            wire="spec.resourceTypes",
            unordered=True,
            choices=rules.POLICY_RESOURCE_TYPES,
        ),
        argument("sandbox", ValueType.BOOL, "Sandbox mode. Default `false`.", wire="spec.sandbox", default=False),
        display_name_argument(),
        labels_argument(),
        *computed_metadata("policy"),
    ),
    timeouts=OperationTimeouts(create=5 * 60.0, update=5 * 60.0, delete=5 * 60.0),
    docs=Docs(
        intro="A governance policy that models (and other resources) apply by name. Creating, updating or deleting it "
        "is one API call. The fields of its `type` are checked at plan: `locations` for `location`, `flavors` for "
        "`flavor`, `max_tokens` for `maxToken`. Changing `name` replaces it.",
        import_what="a policy",
    ),
    construct=("blaxel_constructs.constructs", "Policy"),
    document=("blaxel_constructs.document", "Policy"),
    rules=(_spec_rules,),
)
