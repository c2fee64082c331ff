"""One table for every benchmark: rows, the machine they ran on, ``results.json`` and the README section."""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "README_BEGIN",
    "README_END",
    "REPO",
    "Row",
    "machine",
    "markdown_table",
    "ratio",
    "text_table",
    "update_readme",
    "write_results",
]

REPO = Path(__file__).resolve().parents[1]
README_BEGIN = "<!-- benchmarks:begin (written by `python -m benchmarks --update-readme`) -->"
README_END = "<!-- benchmarks:end -->"
HEADERS = ("metric", "this project", "anchor", "ratio", "target", "met?")


@dataclass
class Row:
    """One line of the table.

    ``ours`` and ``anchor`` are numbers in ``unit`` (or text); ``ratio`` is ours / anchor when both are
    numbers; ``met`` is None for a row that only informs (a floor, a detail). ``notes`` say what bounds a
    target that is not met, and what was tried; they are printed after the table.
    """

    benchmark: str
    metric: str
    ours: float | str
    unit: str
    target: str
    met: bool | None
    anchor: float | str | None = None
    anchor_name: str = ""
    ratio: float | None = None
    digits: int = 2
    notes: list[str] = field(default_factory=list)
    #: Endpoints in the stack measured, for the rows of a size (None for rows of no particular size).
    size: int | None = None

    def cells(self) -> tuple[str, str, str, str, str, str]:
        anchor = "—" if self.anchor is None else _number(self.anchor, self.unit, self.digits)
        if self.anchor_name:
            anchor = f"{anchor} ({self.anchor_name})"
        shown_ratio = "—" if self.ratio is None else f"{self.ratio:.2f}x"
        met = "—" if self.met is None else ("yes" if self.met else "NO")
        return (self.metric, _number(self.ours, self.unit, self.digits), anchor, shown_ratio, self.target, met)


def ratio(ours: float, anchor: float) -> float | None:
    """ours / anchor, or None when the anchor is zero."""
    return ours / anchor if anchor else None


def _number(value: float | str, unit: str, digits: int) -> str:
    if isinstance(value, str):
        return value
    text = f"{value:,.{digits}f}"
    return f"{text} {unit}".rstrip()


def _widths(rows: Sequence[Sequence[str]]) -> list[int]:
    return [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]


def text_table(rows: Iterable[Row]) -> str:
    """The table as aligned plain text, for the terminal."""
    lines = [HEADERS, *(row.cells() for row in rows)]
    widths = _widths(lines)
    out = []
    for index, line in enumerate(lines):
        out.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
        if index == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def markdown_table(rows: Iterable[Row]) -> str:
    """The table in GitHub markdown, for the README."""
    lines = [HEADERS, *(row.cells() for row in rows)]
    out = ["| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |" for line in lines]
    out.insert(1, "|" + "|".join("---" for _ in HEADERS) + "|")
    return "\n".join(out)


def _command_version(*args: str) -> str:
    if shutil.which(args[0]) is None:
        return "not found"
    try:
        completed = subprocess.run(list(args), capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = (completed.stdout or completed.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError):
        pass
    return None


def machine() -> dict[str, Any]:
    """What the numbers depend on: CPUs, memory, load, and the versions of every tool involved."""
    terraform = _command_version("terraform", "version")
    node = _command_version("node", "--version")
    try:
        from importlib.metadata import version

        cdktf = version("cdktf")
    except Exception:  # pragma: no cover - only informative
        cdktf = "unknown"
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "ram_gib": _ram_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "terraform": terraform.removeprefix("Terraform ").strip(),
        "node": node,
        "cdktf": cdktf,
        "load_average_at_start": [round(value, 2) for value in load],
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def machine_line(info: Mapping[str, Any]) -> str:
    """The machine in one sentence."""
    load = info.get("load_average_at_start") or []
    return (
        f"{info['nproc']} CPUs ({info['cpu']}), {info['ram_gib']} GiB RAM, {info['os']}; Python {info['python']}, "
        f"Terraform {info['terraform']}, Node {info['node']}, cdktf {info['cdktf']}; {info['date']}"
        + (f"; load average {load[0]} at start" if load else "")
    )


def write_results(
    path: Path, rows: Sequence[Row], info: Mapping[str, Any], details: Mapping[str, Any], seconds: float
) -> None:
    """``results.json``: the rows, the machine, the raw details of each benchmark, and how long it all took."""
    body = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": dict(info),
        "total_seconds": round(seconds, 1),
        "all_targets_met": all(row.met is not False for row in rows),
        "rows": [{**asdict(row), "cells": dict(zip(HEADERS, row.cells(), strict=True))} for row in rows],
        "details": dict(details),
    }
    path.write_text(json.dumps(body, indent=2, default=str) + "\n")


def update_readme(
    readme: Path, rows: Sequence[Row], info: Mapping[str, Any], notes: Sequence[str], charts: Sequence[Path] = ()
) -> None:
    """Replace the generated part of the README's "Benchmarks" section with this run's charts and table."""
    text = readme.read_text()
    images = [f"![{chart.stem}]({chart.relative_to(readme.parent).as_posix()})" for chart in charts]
    body = "\n".join(
        [
            README_BEGIN,
            f"Latest run: {machine_line(info)}.",
            "",
            *([*images, ""] if images else []),
            markdown_table(rows),
            *([""] + [f"- {note}" for note in notes] if notes else []),
            README_END,
        ]
    )
    pattern = re.compile(re.escape(README_BEGIN) + r".*?" + re.escape(README_END), re.DOTALL)
    if not pattern.search(text):
        print(f"{readme} has no benchmark markers; not updated", file=sys.stderr)
        return
    readme.write_text(pattern.sub(lambda _: body, text))
