"""Where the time of an apply goes: Terraform's log (``TF_LOG=DEBUG``) with the provider's ``timing`` lines.

Terraform stamps every line of its log, its own and the provider's (which it reads from the plugin's
stderr). From one apply's log this reads:

- each provider launch: ``plugin started`` to ``using plugin`` is the start-up until the handshake, and the
  last line of the plugin's walk to ``plugin exited`` its shut-down; both are on the command's critical path;
- the provider's ``timing`` lines (``ModelBinding.log_timing``): how long each create took inside the
  provider, and the process's running totals of HTTP requests, their time to an answer, and the time the
  waiter slept.

``split`` turns them into the parts of our extra wall time over the anchor. The walk runs ``parallelism``
operations at once, so a total over operations counts for its share of wall time: total / parallelism.
The parts are: provider start-ups (serial), HTTP to the API, polling (sleeping past the deployment's own
time), gRPC, the provider's own work and Terraform's walk (the walk's operation slots, ``parallelism``
of them from its first operation to its last, less the time the provider measured inside operations:
gRPC, decoding and encoding, and slots Terraform left idle), and Terraform itself (the rest).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LogFacts", "parse_log", "split"]

_STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)Z? ")
_TIMING = re.compile(
    r"timing action=(?P<action>\w+) name=(?P<name>\S+) seconds=(?P<seconds>[\d.]+) http_requests=(?P<requests>\d+) "
    r"http_seconds=(?P<http>[\d.]+) slept_seconds=(?P<slept>[\d.]+) probes=(?P<probes>\d+)"
)


@dataclass
class LogFacts:
    """What one command's log says about the provider: launches and the provider's own timings."""

    handshakes: list[float] = field(default_factory=list)
    shutdowns: list[float] = field(default_factory=list)
    operation_seconds: dict[str, list[float]] = field(default_factory=dict)
    #: Per provider process (in launch order), its last running totals: requests, HTTP s, slept s, probes.
    totals: list[dict[str, float]] = field(default_factory=list)
    walk_seconds: float = 0.0


def _time(line: str) -> float | None:
    match = _STAMP.match(line)
    if not match:
        return None
    return datetime.datetime.fromisoformat(match.group(1)).timestamp()


def parse_log(lines: Iterable[str]) -> LogFacts:
    """The launches, per-operation seconds and the per-process totals in one Terraform log."""
    facts = LogFacts()
    started: float | None = None
    last_plugin_line: float | None = None
    first_operation: float | None = None
    last_operation: float | None = None
    current: dict[str, float] | None = None
    for line in lines:
        at = _time(line)
        if at is None:
            continue
        if "provider: plugin started:" in line:
            started, current = at, None
        elif "provider: using plugin:" in line and started is not None:
            facts.handshakes.append(at - started)
            started = None
        elif "provider: plugin exited" in line and last_plugin_line is not None:
            facts.shutdowns.append(max(0.0, at - last_plugin_line))
            last_plugin_line = None
        elif "provider.terraform-provider-blaxel" in line or "provider.stdio" in line:
            last_plugin_line = at
        if "applying the planned" in line:
            first_operation = at if first_operation is None else first_operation
        if "declined to persist" in line or "persisting" in line:
            last_operation = at
        timing = _TIMING.search(line)
        if timing:
            last_plugin_line = at
            facts.operation_seconds.setdefault(timing["action"], []).append(float(timing["seconds"]))
            totals = {
                "http_requests": float(timing["requests"]),
                "http_seconds": float(timing["http"]),
                "slept_seconds": float(timing["slept"]),
                "probes": float(timing["probes"]),
            }
            if current is None:
                current = totals
                facts.totals.append(current)
            else:
                current.update(totals)
    if first_operation is not None and last_operation is not None:
        facts.walk_seconds = max(0.0, last_operation - first_operation)
    return facts


def split(
    facts: LogFacts,
    *,
    ours: float,
    anchor: float,
    operations: int,
    operation_seconds: float,
    parallelism: int = 10,
) -> dict[str, Any]:
    """Our extra wall time over the anchor, in parts (seconds of wall time); see the module docstring.

    ``operation_seconds`` is what each operation waits on both sides (the deployment time the anchor's
    ``local-exec`` sleeps).
    """
    creates = facts.operation_seconds.get("create", [])
    http = sum(t["http_seconds"] for t in facts.totals)
    slept = sum(t["slept_seconds"] for t in facts.totals)
    startups = sum(facts.handshakes)
    shutdowns = sum(facts.shutdowns)
    inside = sum(creates)
    # In an operation, beyond the deployment: HTTP, sleeping past the deployment's end, and the rest (CPU).
    polling = max(0.0, slept - operations * operation_seconds) / parallelism
    http_wall = http / parallelism
    walk_slots = facts.walk_seconds * parallelism
    grpc = max(0.0, walk_slots - inside) / parallelism if facts.walk_seconds else 0.0
    extra = ours - anchor
    parts = {
        "provider start-ups and shut-downs": startups + shutdowns,
        "HTTP to the API": http_wall,
        "polling past the deployment": polling,
        "gRPC calls, the provider's own work and Terraform's walk": grpc,
    }
    parts["Terraform itself (the rest)"] = extra - sum(parts.values())
    return {
        "extra_seconds": round(extra, 2),
        "parts_seconds": {name: round(value, 2) for name, value in parts.items()},
        "largest": max(parts, key=lambda name: parts[name]),
        "launches": len(facts.handshakes),
        "handshake_seconds": [round(s, 3) for s in facts.handshakes],
        "shutdown_seconds": [round(s, 3) for s in facts.shutdowns],
        "creates_timed": len(creates),
        "create_seconds_median": round(sorted(creates)[len(creates) // 2], 4) if creates else None,
        "http_requests": int(sum(t["http_requests"] for t in facts.totals)),
        "http_seconds_total": round(http, 2),
        "slept_seconds_total": round(slept, 2),
        "walk_seconds": round(facts.walk_seconds, 2),
    }


def describe(result: Mapping[str, Any]) -> str:
    """One sentence for the notes: the parts, largest first."""
    parts: Mapping[str, float] = result["parts_seconds"]
    ordered = sorted(parts.items(), key=lambda item: -item[1])
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in ordered)
