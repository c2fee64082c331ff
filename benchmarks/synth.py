"""Benchmark 1: synthesizing 1,000 and 10,000 endpoints, time and memory.

Three ways to produce the same Terraform JSON for N ``blaxel_model`` resources, timed from the first
construct to the synthesized files (construction plus ``app.synth()``):

- this project: ``ModelEndpoint`` (validates every argument with the API's pydantic models, then creates
  its ``Resource`` child);
- the anchor: a plain cdktf ``TerraformResource`` subclass whose ``_synthesize_attributes`` returns the
  very attributes the endpoint synthesizes (what a hand-written or ``cdktf get`` binding does), with no
  validation and no wrapping construct;
- the floor: building the same dict and ``json.dumps`` of it, with no cdktf at all.

Both cdktf runs happen in this process, sharing one jsii runtime (started before timing). Node's JIT
and Python's caches take several full-size runs to settle (the first run of the plain resource is about
twice as slow as the fifth), so ``WARMUPS`` untimed pairs come first; then ``REPEATS`` timed pairs, the
order within a pair alternating so that any drift hits both alike. The ratio reported is the median of
the pairs' ratios (each pair ran under the same machine load); the milliseconds are medians too. The two
synthesized documents are checked to hold the same resource bodies, so the comparison is like for like.
At 10,000 fewer pairs run (``PLAN``), and the growth from 1,000 must stay linear (per-endpoint time at
10,000 at most ``GROWTH`` x that at 1,000).

Memory: before each timed run the peak resident set (``VmHWM``) of this process and of jsii's Node
process is reset (``/proc/<pid>/clear_refs``), and read after it; the row shows the largest sum.

The gateway stack (an ``IntegrationConnection``, a ``Policy`` and a ``ModelEndpoint`` per endpoint) and
cdktn against cdktf are measured once the package has those constructs (``GATEWAY_CONSTRUCTS``) and once
both frameworks install side by side; until then the table says they were skipped and why.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from benchmarks.report import Row, ratio

__all__ = ["ENDPOINTS", "PLAN", "QUICK_SIZES", "REPEATS", "SIZES", "WARMUPS", "run"]

ENDPOINTS = 1000
WARMUPS = 3
REPEATS = 9
SIZES = (1000, 10000)
QUICK_SIZES = (1000,)
#: (warm-up pairs, timed pairs) per size: a pair at 10,000 takes about 50 s on two cores.
PLAN: dict[int, tuple[int, int]] = {1000: (WARMUPS, REPEATS), 10000: (1, 3)}
GROWTH = 1.2
#: What the gateway stack needs from ``blaxel_constructs``; being written on another branch.
GATEWAY_CONSTRUCTS = ("IntegrationConnection", "Policy")
TARGET_RATIO = 1.3
STACK = "bench"
OWNER_LABEL = "blaxel-constructs-owner"


def _arguments(index: int) -> dict[str, Any]:
    """The ``ModelEndpoint`` keyword arguments of endpoint ``index``: a typical, fully specified endpoint."""
    return {
        "name": f"endpoint-{index:04d}",
        "runtime": {"type": "openai", "model": "gpt-4.1"},
        "display_name": f"Endpoint {index}",
        "labels": {"team": "ml", "tier": "bench"},
        "flavors": [{"name": "t4", "type": "cpu"}],
        "enabled": True,
        "sandbox": False,
        "timeouts": {"create": "30m"},
    }


def _attributes(index: int) -> dict[str, Any]:
    """The Terraform attributes endpoint ``index`` synthesizes, for the anchor and the floor."""
    arguments = _arguments(index)
    arguments["labels"] = {OWNER_LABEL: f"{STACK}/e{index}", **arguments["labels"]}
    return arguments


def _resource_bodies(outdir: Path) -> list[dict[str, Any]]:
    document = json.loads((outdir / "stacks" / STACK / "cdk.tf.json").read_text())
    bodies = document["resource"]["blaxel_model"].values()
    return sorted(({k: v for k, v in body.items() if k != "//"} for body in bodies), key=lambda b: str(b["name"]))


def _family() -> list[int]:
    """This process and its descendants (jsii's Node runtime)."""
    pids, index = [os.getpid()], 0
    while index < len(pids):
        try:
            for task in Path(f"/proc/{pids[index]}/task").iterdir():
                pids.extend(int(pid) for pid in (task / "children").read_text().split())
        except OSError:
            pass
        index += 1
    return pids


def _reset_peaks() -> None:
    for pid in _family():
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")


def _peak_mb() -> float:
    total = 0
    for pid in _family():
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            pass
    return total / 1024


#: Peak MB (this process + Node) of each synth since the list was last cleared.
_PEAKS: list[float] = []


def _timed(build: Callable[[Any], None]) -> tuple[float, list[dict[str, Any]]]:
    """Seconds to build a stack with ``build`` and synthesize the app; and the resources it synthesized.

    Both stacks hold the same ``BlaxelProvider``: cdktf refuses to synthesize resources without one.
    """
    from cdktf import App, TerraformStack

    from blaxel_constructs import BlaxelProvider

    with tempfile.TemporaryDirectory(prefix="bench-synth-") as outdir:
        _reset_peaks()
        started = time.perf_counter()
        app = App(outdir=outdir)
        stack = TerraformStack(app, STACK)
        BlaxelProvider(stack, "blaxel")
        build(stack)
        app.synth()
        elapsed = time.perf_counter() - started
        _PEAKS.append(_peak_mb())
        return elapsed, _resource_bodies(Path(outdir))


def _ours(count: int) -> Callable[[Any], None]:
    from blaxel_constructs import ModelEndpoint

    def build(stack: Any) -> None:
        for index in range(count):
            ModelEndpoint(stack, f"e{index}", **_arguments(index))

    return build


def _anchor(count: int) -> Callable[[Any], None]:
    from cdktf import TerraformResource

    class PlainResource(TerraformResource):
        """A minimal binding: the attributes as given, nothing checked."""

        def __init__(self, scope: Any, id: str, attributes: Mapping[str, Any]) -> None:
            self._attributes = dict(attributes)
            super().__init__(scope, id, terraform_resource_type="blaxel_model")

        def _synthesize_attributes(self) -> Mapping[str, Any]:
            return self._attributes

    def build(stack: Any) -> None:
        for index in range(count):
            PlainResource(stack, f"e{index}", _attributes(index))

    return build


def _floor(count: int) -> float:
    started = time.perf_counter()
    document = {"resource": {"blaxel_model": {f"e{index}": _attributes(index) for index in range(count)}}}
    json.dumps(document, indent=2)
    return time.perf_counter() - started


def _measure(count: int, warmups: int, repeats: int) -> dict[str, Any]:
    """Warm-up pairs, then timed pairs of ours and the anchor at ``count`` endpoints; medians and peaks."""
    for _ in range(warmups):  # starts jsii's Node process, then lets its JIT and pydantic's validators settle
        _timed(_ours(count))
        _timed(_anchor(count))
    ours_runs: list[float] = []
    anchor_runs: list[float] = []
    ours_peaks: list[float] = []
    anchor_peaks: list[float] = []
    same_output = True
    for repeat in range(repeats):
        order = ("anchor", "ours") if repeat % 2 else ("ours", "anchor")
        bodies: dict[str, list[dict[str, Any]]] = {}
        for side in order:
            _PEAKS.clear()
            seconds, bodies[side] = _timed(_ours(count) if side == "ours" else _anchor(count))
            (ours_runs if side == "ours" else anchor_runs).append(seconds)
            (ours_peaks if side == "ours" else anchor_peaks).extend(_PEAKS)
        same_output = same_output and bodies["ours"] == bodies["anchor"]
    floor_runs = [_floor(count) for _ in range(repeats)]
    per = 1000.0 / count  # seconds in total -> milliseconds per endpoint
    return {
        "endpoints": count,
        "warmups": warmups,
        "repeats": repeats,
        "ours_ms": statistics.median(ours_runs) * per,
        "anchor_ms": statistics.median(anchor_runs) * per,
        "floor_ms": statistics.median(floor_runs) * per,
        "ratio": statistics.median(o / a for o, a in zip(ours_runs, anchor_runs, strict=True)),
        "ours_peak_mb": round(max(ours_peaks, default=0.0), 1),
        "anchor_peak_mb": round(max(anchor_peaks, default=0.0), 1),
        "pair_ratios": [round(o / a, 3) for o, a in zip(ours_runs, anchor_runs, strict=True)],
        "ours_seconds": [round(s, 4) for s in ours_runs],
        "anchor_seconds": [round(s, 4) for s in anchor_runs],
        "json_dumps_seconds": [round(s, 5) for s in floor_runs],
        "same_resources_synthesized": same_output,
    }


def _rows(result: dict[str, Any]) -> list[Row]:
    count = result["endpoints"]
    rows = [
        Row(
            "1 synth",
            f"synth {count:,} endpoints: ms per endpoint",
            result["ours_ms"],
            "ms",
            f"<= {TARGET_RATIO}x plain cdktf",
            result["ratio"] <= TARGET_RATIO and result["same_resources_synthesized"],
            anchor=result["anchor_ms"],
            anchor_name="plain cdktf TerraformResource",
            ratio=result["ratio"],
            digits=3,
            size=count,
        ),
        Row(
            "1 synth",
            f"synth {count:,} endpoints: peak memory (Python + Node)",
            result["ours_peak_mb"],
            "MB",
            "for scale",
            None,
            anchor=result["anchor_peak_mb"],
            anchor_name="plain cdktf TerraformResource",
            ratio=ratio(result["ours_peak_mb"], result["anchor_peak_mb"]),
            digits=0,
            size=count,
        ),
        Row(
            "1 synth",
            f"synth {count:,} endpoints vs json.dumps (floor)",
            result["ours_ms"],
            "ms",
            "floor, for scale",
            None,
            anchor=result["floor_ms"],
            anchor_name="json.dumps",
            ratio=ratio(result["ours_ms"], result["floor_ms"]),
            digits=3,
            size=count,
        ),
    ]
    if not result["same_resources_synthesized"]:
        rows[0].notes.append("the endpoint and the plain resource synthesized different JSON: the comparison is void")
    return rows


def _growth_row(small: dict[str, Any], large: dict[str, Any]) -> Row:
    growth = large["ours_ms"] / small["ours_ms"]
    return Row(
        "1 synth",
        f"synth: ms per endpoint at {large['endpoints']:,} over {small['endpoints']:,}",
        growth,
        "x",
        f"<= {GROWTH:g}x (linear: 1x)",
        growth <= GROWTH,
        anchor=large["anchor_ms"] / small["anchor_ms"],
        anchor_name="plain cdktf",
        digits=2,
        size=large["endpoints"],
    )


def _skipped() -> Row:
    """The gateway stack and cdktn-against-cdktf: what is not measured yet, and why."""
    import blaxel_constructs

    missing = [name for name in GATEWAY_CONSTRUCTS if not hasattr(blaxel_constructs, name)]
    why = (
        f"skipped: blaxel_constructs has no {', '.join(missing)} yet"
        if missing
        else "skipped: the gateway stack's benchmark is not written yet (hook: synth.GATEWAY_CONSTRUCTS)"
    )
    return Row(
        "1 synth",
        "gateway stack (connection + policy + model per endpoint); cdktn against cdktf",
        why,
        "",
        "<= 1.3x plain cdktf",
        None,
        notes=[
            "Synth: the gateway stack and cdktn against cdktf are not measured in this run ("
            + why
            + "; cdktn runs from its own virtual environment, .venv-cdktn, and needs a second jsii runtime)."
        ],
    )


def run(sizes: tuple[int, ...] = SIZES) -> tuple[list[Row], dict[str, Any]]:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    os.environ.setdefault("CHECKPOINT_DISABLE", "1")
    os.environ.setdefault("DISABLE_VERSION_CHECK", "1")
    results = []
    for count in sizes:
        warmups, repeats = PLAN.get(count, (1, 3))
        print(f"  synth of {count:,} endpoints ({warmups} warm-up and {repeats} timed pairs) ...", flush=True)
        results.append(_measure(count, warmups, repeats))
    rows = [row for result in results for row in _rows(result)]
    if len(results) > 1:
        rows.append(_growth_row(results[0], results[-1]))
    rows.append(_skipped())
    return rows, {"sizes": results}
