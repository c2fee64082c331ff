"""How ``environments diff`` and ``status`` print: a table for people (colour only on a terminal) ending in a
one-line summary, or one JSON document for pipelines (``--json``)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from blaxel_constructs.environment_commands.plan_reading import ResourceChange
from blaxel_constructs.environment_commands.stack_diff import ABSENT, ArgumentChange, ElementDiff, StackDiff
from blaxel_constructs.environment_commands.status_check import Condition, EnvironmentStatus, StatusReport
from blaxel_constructs.environment_commands.synthesized_stack import SynthesizedStack

__all__ = ["Style", "diff_json", "diff_text", "status_json", "status_text"]

_NOT_SET: Final = "(not set)"
_SYMBOLS: Final = {"create": "+", "update": "~", "delete": "-", "replace": "-/+"}
_HEADERS: Final = ("ENVIRONMENT", "BACKEND", "RESOURCES", "STATUS")


@dataclass(frozen=True)
class Style:
    """ANSI colours when ``colour`` (stdout is a terminal and ``NO_COLOR`` is unset), plain text otherwise."""

    colour: bool = False

    def _paint(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour and text else text

    def green(self, text: str) -> str:
        return self._paint("32", text)

    def yellow(self, text: str) -> str:
        return self._paint("33", text)

    def red(self, text: str) -> str:
        return self._paint("31", text)

    def dim(self, text: str) -> str:
        return self._paint("2", text)

    def bold(self, text: str) -> str:
        return self._paint("1", text)


# --- diff ---------------------------------------------------------------------------------------------------


def diff_text(diff: StackDiff, style: Style) -> str:
    """Each element that differs (``+`` only in B, ``-`` only in A, ``~`` changed, with each argument ``a -> b``),
    then the summary line."""
    lines: list[str] = []
    shown = diff.shown
    width = max((len(item.element.label) for item in shown if item.side != "both"), default=0)
    for item in shown:
        if item.side == "b":
            lines.append(f"  {style.green('+')} {item.element.label.ljust(width)}  only in {diff.b.name}{_named(item)}")
        elif item.side == "a":
            lines.append(f"  {style.red('-')} {item.element.label.ljust(width)}  only in {diff.a.name}{_named(item)}")
        else:
            lines.append(f"  {style.yellow('~')} {item.element.label}")
            lines.extend(_argument_lines(item.changes, diff, style))
    if lines:
        lines.append("")
    lines.append(style.bold(diff_summary(diff)))
    return "\n".join(lines) + "\n"


def diff_summary(diff: StackDiff) -> str:
    """``staging -> prod: 4 differences (3 only in prod, 1 changed); 11 argument values differ only by the
    environments' own settings (--all shows them)``."""
    counts = Counter(item.side for item in diff.shown)
    parts = []
    if counts["b"]:
        parts.append(f"{counts['b']} only in {diff.b.name}")
    if counts["a"]:
        parts.append(f"{counts['a']} only in {diff.a.name}")
    if counts["both"]:
        parts.append(f"{counts['both']} changed")
    head = f"{diff.a.name} -> {diff.b.name}: "
    head += f"{_plural(diff.differences, 'difference')} ({', '.join(parts)})" if parts else "the same"
    hidden = diff.environment_only
    values = "argument value differs" if hidden == 1 else "argument values differ"
    if hidden and not diff.include_environment:
        head += f"; {hidden} {values} only by the environments' own settings (--all shows them)"
    elif hidden:
        head += f", with {hidden} {values} only by the environments' own settings"
    return head


def diff_json(diff: StackDiff) -> dict[str, Any]:
    """The diff as one JSON document; ``exit_code`` is what the command returns."""
    return {
        "a": diff.a.name,
        "b": diff.b.name,
        "same": diff.same,
        "differences": diff.differences,
        "environment_only": diff.environment_only,
        "include_environment": diff.include_environment,
        "elements": [_element_json(item, diff) for item in diff.shown],
        "summary": diff_summary(diff),
        "exit_code": 0 if diff.same else 2,
    }


def _named(item: ElementDiff) -> str:
    name = item.element.body.get("name")
    return f" (name {json.dumps(name)})" if isinstance(name, str) else ""


def _argument_lines(changes: tuple[ArgumentChange, ...], diff: StackDiff, style: Style) -> list[str]:
    width = max(len(change.argument) for change in changes)
    lines = []
    for change in changes:
        old = _value_text(change.a, diff.a)
        new = _value_text(change.b, diff.b)
        note = style.dim("  (environment setting)") if change.environment_only else ""
        lines.append(f"      {change.argument.ljust(width)}  {old} -> {new}{note}")
    return lines


def _value_text(value: Any, stack: SynthesizedStack) -> str:
    if value is ABSENT:
        return _NOT_SET
    return stack.with_paths(json.dumps(value, ensure_ascii=False))


def _element_json(item: ElementDiff, diff: StackDiff) -> dict[str, Any]:
    element = item.element
    document: dict[str, Any] = {
        "change": {"a": "only_in_a", "b": "only_in_b", "both": "changed"}[item.side],
        "block": element.block,
        "type": element.type,
        "path": element.path,
        "label": element.label,
        "address_a": (item.other or element).address if item.side != "b" else None,
        "address_b": element.address if item.side != "a" else None,
    }
    if item.side == "both":
        document["arguments"] = [
            {
                "argument": change.argument,
                "a": None if change.a is ABSENT else change.a,
                "b": None if change.b is ABSENT else change.b,
                "environment_only": change.environment_only,
            }
            for change in item.changes
        ]
    else:
        document["values"] = dict(element.body)
    return document


# --- status -------------------------------------------------------------------------------------------------


def status_text(report: StatusReport, style: Style) -> str:
    """One row per environment, the drift and pending changes under it, then the summary line."""
    rows = [_HEADERS] + [
        (status.name, status.backend or "-", _resources(status), _condition_text(status))
        for status in report.environments
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(_HEADERS))]
    lines = [_row(_HEADERS, widths, style.bold)]
    for status, row in zip(report.environments, rows[1:], strict=True):
        lines.append(_row(row, widths, _unpainted, last=_paint_of(status.condition, style)))
        lines.extend(_detail_lines(status, style))
    lines.append("")
    lines.append(style.bold(status_summary(report)))
    return "\n".join(lines) + "\n"


def status_summary(report: StatusReport) -> str:
    """``3 environments: 1 in sync, 1 drifted, 1 not deployed``."""
    counts = Counter(status.condition for status in report.environments)
    parts = [f"{counts[condition]} {condition.text}" for condition in Condition if counts[condition]]
    total = len(report.environments)
    return f"{_plural(total, 'environment')}: {', '.join(parts)}" if parts else "no environments"


def status_json(report: StatusReport) -> dict[str, Any]:
    """The report as one JSON document; ``exit_code`` is what the command returns."""
    return {
        "environments": [_status_json(status) for status in report.environments],
        "summary": status_summary(report),
        "exit_code": report.exit_code,
        "timings": {phase: round(seconds, 3) for phase, seconds in report.timings.items()},
    }


def _resources(status: EnvironmentStatus) -> str:
    return "-" if status.resources is None else str(status.resources)


def _condition_text(status: EnvironmentStatus) -> str:
    if status.condition is Condition.DRIFTED and status.pending:
        return f"drifted, {_plural(len(status.pending), 'change')} pending"
    if status.condition is Condition.PENDING:
        return f"{_plural(len(status.pending), 'change')} pending"
    return status.condition.text


def _unpainted(text: str) -> str:
    return text


def _paint_of(condition: Condition, style: Style) -> Callable[[str], str]:
    return {
        Condition.IN_SYNC: style.green,
        Condition.DRIFTED: style.red,
        Condition.PENDING: style.yellow,
        Condition.NOT_DEPLOYED: style.dim,
        Condition.ERROR: style.red,
    }[condition]


def _row(
    cells: tuple[str, ...], widths: list[int], paint: Callable[[str], str], last: Callable[[str], str] | None = None
) -> str:
    """The cells padded to their columns' widths (padding outside the colour codes); ``last`` paints the last."""
    painters = [paint] * (len(cells) - 1) + [last or paint]
    padded = [
        painter(cell) + " " * (width - len(cell)) for cell, width, painter in zip(cells, widths, painters, strict=True)
    ]
    return "  ".join(padded).rstrip()


def _detail_lines(status: EnvironmentStatus, style: Style) -> list[str]:
    lines: list[str] = []
    if status.condition is Condition.ERROR and status.error:
        lines.extend(f"    {style.red(line)}" for line in status.error.splitlines())
    if status.condition in (Condition.NOT_DEPLOYED, Condition.ERROR):
        return lines
    for change in status.drift:
        what = "deleted outside Terraform" if change.action == "delete" else "changed outside Terraform"
        lines.extend(_change_lines("drift", change, what, status.stack, style.red))
    for change in status.pending:
        lines.extend(_change_lines("pending", change, change.action, status.stack, style.yellow))
    return lines


def _change_lines(
    kind: str, change: ResourceChange, what: str, stack: SynthesizedStack, paint: Callable[[str], str]
) -> list[str]:
    symbol = _SYMBOLS.get(change.action, "~")
    head = f"    {kind.ljust(7)} {paint(symbol)} {stack.shown_address(change.address)}: {what}"
    if len(change.attributes) == 1:
        (attribute,) = change.attributes
        return [f"{head}, {attribute.attribute} {_plain(attribute.old)} -> {_plain(attribute.new)}"]
    lines = [head]
    width = max((len(attribute.attribute) for attribute in change.attributes), default=0)
    lines.extend(
        f"        {attribute.attribute.ljust(width)}  {_plain(attribute.old)} -> {_plain(attribute.new)}"
        for attribute in change.attributes
    )
    return lines


def _plain(value: Any) -> str:
    if isinstance(value, str) and value.startswith("(") and value.endswith(")"):
        return value  # (sensitive), (known after apply)
    return json.dumps(value, ensure_ascii=False)


def _status_json(status: EnvironmentStatus) -> dict[str, Any]:
    return {
        "name": status.name,
        "status": status.condition.value,
        "backend": status.backend or None,
        "state": status.where or None,
        "resources": status.resources,
        "drift": [_change_json(change, status.stack) for change in status.drift],
        "pending": [_change_json(change, status.stack) for change in status.pending],
        "error": status.error,
    }


def _change_json(change: ResourceChange, stack: SynthesizedStack) -> dict[str, Any]:
    return {
        "address": change.address,
        "resource": stack.shown_address(change.address),
        "type": change.type,
        "action": change.action,
        "attributes": [
            {"attribute": attribute.attribute, "old": attribute.old, "new": attribute.new}
            for attribute in change.attributes
        ],
    }


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
