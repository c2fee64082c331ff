"""Checks of a ``blaxel_policy`` configuration that Terraform runs at validate and plan time, before any API call.

Terraform enforces types and required attributes from the schema; this adds the API's rules: name and
display name, the enums (``type``, location types, flavor types, resource types), which member each policy
type takes (``locations`` only and always for ``location``, ``flavors`` for ``flavor``, ``max_tokens`` for
``maxToken``) and positive integer token counts. Those last two come from ``rules.policy_spec_problems``,
the rule the emulator applies too, asked in wire names and answered here in Terraform names.

As in ``model_validation``, a value that is not concrete (unknown until another resource is applied,
plain or refined) is skipped, and so is every problem that depends on it: it is checked again once known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

from blaxel_constructs.document import rules, wire
from blaxel_constructs.provider.model_validation import PathStep, Problem

__all__ = ["config_problems"]

#: Wire member of ``spec`` -> Terraform attribute, and wire member of ``maxTokens`` -> inner attribute.
_ATTRIBUTE_OF: Final = {member: attr for attr, member in wire.POLICY_SPEC_ARGUMENTS.items()}
_TOKEN_ATTRIBUTE_OF: Final = {member: attr for attr, member in wire.MAX_TOKENS_FIELDS.items()}


def _dotted(path: list[PathStep]) -> str:
    out = ""
    for step in path:
        out += f"[{step[0]}]" if isinstance(step, tuple) else (f".{step}" if out else step)
    return out


def _problem(path: list[PathStep], reason: str) -> Problem:
    return Problem(path, f"Invalid {_dotted(path)}", f"{_dotted(path)} {reason}.")


def _check(path: list[PathStep], value: Any, problem: Callable[[str], str | None]) -> Iterator[Problem]:
    if isinstance(value, str) and (reason := problem(value)):
        yield _problem(path, reason)


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str | None]:
    def problem(value: str) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)} (got {value!r})"

    return problem


def _items(path: str, value: Any, choices: tuple[str, ...]) -> Iterator[Problem]:
    """The ``type`` of each object of a list attribute (``locations``, ``flavors``) must be one of ``choices``."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield from _check([path, (index,), "type"], item.get("type"), _one_of(choices))


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
    for attr, concrete in (("locations", list), ("flavors", list), ("max_tokens", dict)):
        value = config.get(attr)
        member = wire.POLICY_SPEC_ARGUMENTS[attr]
        if value is None:
            continue
        if not isinstance(value, concrete):
            skipped.add(f"spec.{member}")
        elif isinstance(value, list):
            spec[member] = value
        else:
            tokens: dict[str, Any] = {}
            for inner, wire_name in wire.MAX_TOKENS_FIELDS.items():
                count = value.get(inner)
                if count is None or wire_name not in rules.POLICY_TOKEN_COUNTS:
                    tokens[wire_name] = count
                elif (whole := _whole(count)) is not None:
                    tokens[wire_name] = whole
                elif isinstance(count, int | float) and not isinstance(count, bool):
                    found.append(_problem(["max_tokens", inner], f"must be a positive integer (got {count})"))
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
    path: list[PathStep] = [_ATTRIBUTE_OF.get(member, member)]
    return path + [_TOKEN_ATTRIBUTE_OF.get(name, name) for name in inner]


def _spec_problems(config: Mapping[str, Any]) -> list[Problem]:
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
        found.append(_problem(_terraform_path(field), reason))
    return found


def config_problems(config: Mapping[str, Any]) -> list[Problem]:
    """Every rule the configuration breaks; empty when it is valid (or not known well enough to tell)."""
    found: list[Problem] = []
    found += _check(["name"], config.get("name"), rules.name_problem)
    found += _check(["display_name"], config.get("display_name"), rules.display_name_problem)
    found += _check(["type"], config.get("type"), _one_of(rules.POLICY_TYPES))
    found += _items("locations", config.get("locations"), rules.POLICY_LOCATION_TYPES)
    found += _items("flavors", config.get("flavors"), rules.FLAVOR_TYPES)
    resource_types: Any = config.get("resource_types")
    if isinstance(resource_types, list):
        for index, value in enumerate(resource_types):
            found += _check(["resource_types", (index,)], value, _one_of(rules.POLICY_RESOURCE_TYPES))
    found += _spec_problems(config)
    return found
