"""Where the time of an apply goes: the provider's ``timing`` lines in Terraform's log, and a sized anchor.

Our apply runs with ``TF_LOG_PROVIDER=DEBUG``: Terraform stamps and logs the provider's stderr, and the
provider writes one ``timing`` line per launch (seconds from its process's start to its handshake) and
one per operation (how long it took inside the provider, with the process's running totals of HTTP
requests, their time to an answer, and the time the waiter slept). Terraform's core log stays off.

``split`` divides our extra wall time over the anchor into parts, each measured on its own:

- **provider start-ups**: the launches' seconds to handshake, one after the other on the command's path;
- **Terraform itself, for a state as large as ours**: ``terraform_data`` with the same sleeps and a state
  as large as ours, less the anchor (Terraform writes the whole state after every resource, so its own
  cost per resource grows with the size of the state);
- **in the operations, beyond the deployment**: each create's time in the provider less the deployment's
  time, split into HTTP (the requests' time to an answer) and the rest (waiting past the deployment's
  end, and the provider's own work); the walk runs ``parallelism`` operations at once, so a total over
  operations counts for its share of wall time: total / parallelism;
- **the rest**: gRPC, encoding and decoding, and how Terraform walks a provider's resources rather than
  built-in ones; what the measured parts leave of the extra time (negative when they overlap).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LogFacts", "parse_log", "split"]

_LAUNCH = re.compile(r"timing action=launch name=\S+ seconds=(?P<seconds>[\d.]+)")
_TIMING = re.compile(
    r"timing action=(?P<action>\w+) name=(?P<name>\S+) seconds=(?P<seconds>[\d.]+) http_requests=(?P<requests>\d+) "
    r"http_seconds=(?P<http>[\d.]+) slept_seconds=(?P<slept>[\d.]+) probes=(?P<probes>\d+)"
)


@dataclass
class LogFacts:
    """What one command's log says about the provider: launches and the provider's own timings."""

    launches: list[float] = field(default_factory=list)
    operation_seconds: dict[str, list[float]] = field(default_factory=dict)
    #: Per provider process (by pid or launch order), its last running totals: requests, HTTP s, slept s, probes.
    totals: list[dict[str, float]] = field(default_factory=list)


def parse_log(lines: Iterable[str]) -> LogFacts:
    """The launches, per-operation seconds and the per-process totals in one Terraform log."""
    facts = LogFacts()
    current: dict[str, float] | None = None
    for line in lines:
        launch = _LAUNCH.search(line)
        if launch:
            facts.launches.append(float(launch["seconds"]))
            current = None  # a new process: its totals start from zero
            continue
        timing = _TIMING.search(line)
        if not timing:
            continue
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
    return facts


def split(
    facts: LogFacts,
    *,
    ours: float,
    anchor: float,
    sized_anchor: float | None,
    operation_seconds: float,
    parallelism: int = 10,
) -> dict[str, Any]:
    """Our extra wall time over the anchor, in parts (seconds of wall time); see the module docstring.

    ``operation_seconds`` is what each operation waits on both sides (the deployment time the anchor's
    ``local-exec`` sleeps); ``sized_anchor`` the apply of ``terraform_data`` with a state as large as ours.
    """
    creates = facts.operation_seconds.get("create", [])
    http = sum(t["http_seconds"] for t in facts.totals)
    beyond = sum(max(0.0, seconds - operation_seconds) for seconds in creates)
    extra = ours - anchor
    parts: dict[str, float] = {"provider start-ups": sum(facts.launches)}
    if sized_anchor is not None:
        parts["Terraform itself, for a state as large as ours"] = sized_anchor - anchor
    parts["HTTP to the API"] = http / parallelism
    parts["waiting past the deployment, and the provider's work in operations"] = max(0.0, beyond - http) / parallelism
    parts["the rest: gRPC, encoding, Terraform's walk of a provider's resources"] = extra - sum(parts.values())
    return {
        "extra_seconds": round(extra, 2),
        "parts_seconds": {name: round(value, 2) for name, value in parts.items()},
        "largest": max(parts, key=lambda name: parts[name]),
        "launches": len(facts.launches),
        "launch_seconds": [round(s, 3) for s in facts.launches],
        "creates_timed": len(creates),
        "create_seconds_median": round(sorted(creates)[len(creates) // 2], 4) if creates else None,
        "http_requests": int(sum(t["http_requests"] for t in facts.totals)),
        "http_seconds_total": round(http, 2),
        "slept_seconds_total": round(sum(t["slept_seconds"] for t in facts.totals), 2),
        "sized_anchor_seconds": None if sized_anchor is None else round(sized_anchor, 2),
    }


def describe(result: Mapping[str, Any]) -> str:
    """One sentence for the notes: the parts, largest first."""
    parts: Mapping[str, float] = result["parts_seconds"]
    ordered = sorted(parts.items(), key=lambda item: -item[1])
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in ordered)
