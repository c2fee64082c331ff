"""Checks of a ``blaxel_model`` configuration that Terraform runs at validate and plan time, before any API call.

Terraform already enforces types and required attributes from the schema; this adds the API's own rules
(name pattern and lengths, enums, duration strings). Unknown values (known only after another resource
is applied) are skipped: they are checked again when they become known. Terraform sends a plain
unknown as ``tf``'s ``Unknown`` but a *refined* unknown (``"fleet-${count.index}"``: a string known
to start with ``fleet-``) as a raw msgpack extension, so anything that is not a concrete value of the
expected type counts as unknown here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from blaxel_constructs.document import rules
from blaxel_constructs.durations import DurationError, parse_duration

__all__ = ["Problem", "add_problems", "config_problems"]

PathStep = str | tuple[int]


@dataclass(frozen=True)
class Problem:
    """One invalid value: where it is (a Terraform attribute path) and why it is wrong."""

    path: list[PathStep]
    summary: str
    detail: str


def _dotted(path: list[PathStep]) -> str:
    out = ""
    for step in path:
        out += f"[{step[0]}]" if isinstance(step, tuple) else (f".{step}" if out else step)
    return out


def _check(path: list[PathStep], value: Any, problem: Callable[[str], str | None]) -> Iterator[Problem]:
    if isinstance(value, str):
        reason = problem(value)
        if reason:
            yield Problem(path, f"Invalid {_dotted(path)}", f"{_dotted(path)} {reason}.")


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str | None]:
    def problem(value: str) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)} (got {value!r})"

    return problem


def _duration(value: str) -> str | None:
    try:
        parse_duration(value)
    except DurationError as exc:
        return str(exc)
    return None


def config_problems(config: Mapping[str, Any]) -> list[Problem]:
    """Every rule the configuration breaks, in attribute order; empty when it is valid."""
    found: list[Problem] = []
    found += _check(["name"], config.get("name"), rules.name_problem)
    found += _check(["display_name"], config.get("display_name"), rules.display_name_problem)
    found += _check(["external_id"], config.get("external_id"), rules.external_id_problem)
    runtime: Any = config.get("runtime")
    if isinstance(runtime, dict):
        found += _check(["runtime", "type"], runtime.get("type"), _one_of(rules.RUNTIME_TYPES))
        found += _check(["runtime", "generation"], runtime.get("generation"), _one_of(rules.GENERATIONS))
    flavors: Any = config.get("flavors")
    if isinstance(flavors, list):
        for index, flavor in enumerate(flavors):
            if isinstance(flavor, dict):
                found += _check(["flavors", (index,), "type"], flavor.get("type"), _one_of(rules.FLAVOR_TYPES))
    timeouts: Any = config.get("timeouts")
    if isinstance(timeouts, dict):
        for key in ("create", "update", "delete"):
            found += _check(["timeouts", key], timeouts.get(key), _duration)
    return found


def add_problems(diagnostics: Any, problems: Iterable[Problem]) -> None:
    """Report each problem as an error diagnostic on its attribute path (validate and plan of every resource)."""
    for problem in problems:
        diagnostics.add_error(problem.summary, problem.detail, path=problem.path)
