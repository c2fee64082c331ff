"""Benchmark 1: synthesizing 1,000 and 10,000 endpoints, a gateway stack, and CDK Terrain against cdktf.

Every row times the same thing, from the first construct to the synthesized files (construction plus
``app.synth()``), of a stack built two ways (``synth_stacks``): with this project's constructs, which
validate every argument with the API's pydantic models and wrap each resource in an L2 construct, and
with plain ``TerraformResource`` subclasses whose ``_synthesize_attributes`` return the very attributes
ours synthesize (the anchor: what a hand-written or ``cdktf get`` binding does). Both are checked to
synthesize the same resource bodies, so the comparison is like for like.

- ``ModelEndpoint``s at 1,000 and 10,000, on cdktf, in this process; plus the floor, building the same
  dict and ``json.dumps`` of it with no cdktf at all. The growth from 1,000 must stay linear
  (per-endpoint time at 10,000 at most ``GROWTH`` x that at 1,000).
- The gateway stack at 1,000 endpoints: an ``IntegrationConnection``, a ``Policy`` and a ``ModelEndpoint``
  per endpoint, wired as the README's quick start wires them (three resources each), on cdktf.
- CDK Terrain against cdktf: the ``ModelEndpoint`` stack at 1,000, measured by ``python -m
  benchmarks.synth_stacks`` once under ``.venv-cdktn/bin/python`` (cdktn) and once under this interpreter
  (cdktf), each a fresh process with its own jsii runtime and its own plain-resource anchor. It needs
  ``make setup-cdktn``; without ``.venv-cdktn`` the row says so and counts as not met.

Node's JIT and Python's caches take several full-size runs to settle (the first run of the plain resource
is about twice as slow as the fifth), so untimed warm-up pairs come first (``PLAN``; the 10,000 size
needs none, the 1,000 runs before it warmed the runtime); then timed pairs, the order within a pair
alternating so that any drift hits both alike. The ratio reported is the median of the pairs' ratios
(each pair ran under the same machine load); the milliseconds are medians too. Memory: the peak resident
set of Python and Node during each synth (see ``synth_stacks``); the row shows the largest.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Final

from benchmarks import synth_stacks
from benchmarks.report import REPO, Row, ratio

__all__ = [
    "ENDPOINTS",
    "FRAMEWORKS_PLAN",
    "GATEWAY_PLAN",
    "PLAN",
    "QUICK_PLAN",
    "QUICK_SIZES",
    "SIZES",
    "framework_process",
    "frameworks",
    "frameworks_rows",
    "run",
]

ENDPOINTS = 1000
SIZES = (1000, 10000)
QUICK_SIZES = (1000,)
#: (warm-up pairs, timed pairs) per size of the ``ModelEndpoint`` stack: a pair at 10,000 takes about 60 s
#: on two cores, and needs no warm-up of its own after the 1,000 runs; two pairs keep ``make bench`` from a
#: fresh clone (setup included, about 140 s) under 15 minutes. Synth as a whole (every row): about 270 s.
PLAN: Final[dict[int, tuple[int, int]]] = {1000: (2, 6), 10000: (0, 2)}
#: (endpoints, warm-up pairs, timed pairs) of the gateway stack (about 15 s a pair): three resources per
#: endpoint, measured after the ``ModelEndpoint`` runs warmed this process's runtime.
GATEWAY_PLAN: Final = (1000, 0, 3)
#: (endpoints, warm-up pairs, timed pairs) of each framework's own process (a fresh runtime), cdktn then cdktf.
FRAMEWORKS_PLAN: Final = (1000, 1, 3)
#: The interpreter that has CDK Terrain (``make setup-cdktn``), beside this project's ``.venv``.
CDKTN_PYTHON: Final = REPO / ".venv-cdktn" / "bin" / "python"
GROWTH = 1.2
TARGET_RATIO = 1.3
#: What bounds the ratio, said when a target is missed (jsii messages counted by wrapping jsii's process send).
BOUND: Final = (
    "what bounds it: each construct is an L2 wrapping its Resource, so it creates one more jsii object (a "
    "Construct, in Node) per resource than a plain resource does: 4 jsii messages per endpoint against 3 "
    "(gateway: 14 against 11, the secret's variable bound once per stack); validation and our Python add "
    "about 0.1 ms per endpoint. The pair ratios in results.json show how much the machine's load moved them"
)
#: Seconds one framework's process may take (about 40 s at 1,000 endpoints on two cores).
SUBPROCESS_TIMEOUT: Final = 900


def _cdktf() -> ModuleType:
    import cdktf

    return cdktf


def _floor(count: int) -> float:
    started = time.perf_counter()
    document = {
        "resource": {"blaxel_model": {f"e{index}": synth_stacks.model_attributes(index) for index in range(count)}}
    }
    json.dumps(document, indent=2)
    return time.perf_counter() - started


def _measure(count: int, warmups: int, repeats: int) -> dict[str, Any]:
    """The ``ModelEndpoint`` stack at ``count`` endpoints on cdktf, and the ``json.dumps`` floor."""
    result = synth_stacks.measure(_cdktf(), synth_stacks.STACKS["model"], count, warmups, repeats)
    floor_runs = [_floor(count) for _ in range(repeats)]
    result["floor_ms"] = statistics.median(floor_runs) * 1000.0 / count
    result["json_dumps_seconds"] = [round(s, 5) for s in floor_runs]
    return result


def _speed_row(result: dict[str, Any], metric: str, anchor_name: str, target: str) -> Row:
    row = Row(
        "1 synth",
        metric,
        result["ours_ms"],
        "ms",
        target,
        result["ratio"] <= TARGET_RATIO and result["same_resources_synthesized"],
        anchor=result["anchor_ms"],
        anchor_name=anchor_name,
        ratio=result["ratio"],
        digits=3,
        size=result["endpoints"],
    )
    if not result["same_resources_synthesized"]:
        row.notes.append(f"{metric}: ours and the plain resources synthesized different JSON: the comparison is void")
    elif result["ratio"] > TARGET_RATIO:
        row.notes.append(f"{metric}: missed; {BOUND}")
    return row


def _memory_row(result: dict[str, Any], metric: str, anchor_name: str) -> Row:
    return Row(
        "1 synth",
        metric,
        result["ours_peak_mb"],
        "MB",
        "for scale",
        None,
        anchor=result["anchor_peak_mb"],
        anchor_name=anchor_name,
        ratio=ratio(result["ours_peak_mb"], result["anchor_peak_mb"]),
        digits=0,
        size=result["endpoints"],
    )


def _rows(result: dict[str, Any]) -> list[Row]:
    count = result["endpoints"]
    anchor = "plain cdktf TerraformResource"
    return [
        _speed_row(result, f"synth {count:,} endpoints: ms per endpoint", anchor, f"<= {TARGET_RATIO}x plain cdktf"),
        _memory_row(result, f"synth {count:,} endpoints: peak memory (Python + Node)", anchor),
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


def _gateway() -> tuple[list[Row], dict[str, Any]]:
    """The gateway stack (connection, policy and model per endpoint) against three plain resources each."""
    count, warmups, repeats = GATEWAY_PLAN
    print(f"  gateway stack of {count:,} endpoints ({warmups} warm-up and {repeats} timed pairs) ...", flush=True)
    result = synth_stacks.measure(_cdktf(), synth_stacks.STACKS["gateway"], count, warmups, repeats)
    anchor = "3 plain cdktf TerraformResources each"
    label = f"synth gateway stack, {count:,} endpoints (connection + policy + model each)"
    rows = [
        _speed_row(result, f"{label}: ms per endpoint", anchor, f"<= {TARGET_RATIO}x plain cdktf"),
        _memory_row(result, f"{label}: peak memory (Python + Node)", anchor),
    ]
    return rows, result


def framework_process(python: Path, framework: str, count: int, warmups: int, repeats: int) -> dict[str, Any]:
    """``python -m benchmarks.synth_stacks`` for the ``ModelEndpoint`` stack on ``framework``: its JSON result.

    Raises ``RuntimeError`` with the process's last lines of error output when it fails.
    """
    command = [str(python), "-m", "benchmarks.synth_stacks", "--framework", framework, "--stack", "model"]
    command += ["--endpoints", str(count), "--warmups", str(warmups), "--repeats", str(repeats)]
    environment = {
        **os.environ,
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "CHECKPOINT_DISABLE": "1",
        "DISABLE_VERSION_CHECK": "1",
    }
    done = subprocess.run(
        command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT, check=False
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"{framework} synth process exited {done.returncode}: {tail}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def frameworks_rows(cdktn: dict[str, Any], cdktf: dict[str, Any]) -> list[Row]:
    count = cdktn["endpoints"]
    same = cdktn["bodies_digest"] == cdktf["bodies_digest"]
    between = Row(
        "1 synth",
        f"synth {count:,} endpoints: CDK Terrain (cdktn) against cdktf, ms per endpoint",
        cdktn["ours_ms"],
        "ms",
        "for scale (same JSON)",
        None if same else False,
        anchor=cdktf["ours_ms"],
        anchor_name="cdktf, its own process",
        ratio=ratio(cdktn["ours_ms"], cdktf["ours_ms"]),
        digits=3,
        size=count,
        notes=[
            f"Synth on CDK Terrain against cdktf (each in its own process, {count:,} ModelEndpoints): "
            f"{cdktn['ours_ms']:.3f} against {cdktf['ours_ms']:.3f} ms per endpoint; against each one's own "
            f"plain TerraformResource, {cdktn['ratio']:.2f}x on cdktn and {cdktf['ratio']:.2f}x on cdktf."
        ],
    )
    if not same:
        between.notes.append("cdktn and cdktf synthesized different resource bodies: the comparison is void")
    metric = f"synth {count:,} endpoints on cdktn: ms per endpoint"
    own = _speed_row(cdktn, metric, "plain cdktn TerraformResource", f"<= {TARGET_RATIO}x plain cdktn")
    return [own, between]


def _unmeasured(reason: str) -> Row:
    return Row(
        "1 synth",
        f"synth {FRAMEWORKS_PLAN[0]:,} endpoints: CDK Terrain (cdktn) against cdktf",
        f"not measured: {reason}",
        "",
        "<= 1.3x plain cdktn",
        False,
        notes=[f"Synth on CDK Terrain was not measured: {reason}."],
    )


def frameworks(cdktn_python: Path = CDKTN_PYTHON) -> tuple[list[Row], dict[str, Any]]:
    """The ``ModelEndpoint`` stack under cdktn (run by ``cdktn_python``) and under cdktf, each in its own process.

    Without that interpreter the row says what creates it, and counts as not met.
    """
    count, warmups, repeats = FRAMEWORKS_PLAN
    if not cdktn_python.exists():
        return [_unmeasured(f"{cdktn_python} is missing (make setup-cdktn creates it)")], {}
    results: dict[str, Any] = {}
    for framework, python in (("cdktn", cdktn_python), ("cdktf", Path(sys.executable))):
        plan = f"{warmups} warm-up, {repeats} timed pairs"
        print(f"  {framework}: {count:,} endpoints in its own process ({plan}) ...", flush=True)
        try:
            results[framework] = framework_process(python, framework, count, warmups, repeats)
        except (RuntimeError, OSError, subprocess.TimeoutExpired, json.JSONDecodeError) as error:
            return [_unmeasured(str(error))], results
    return frameworks_rows(results["cdktn"], results["cdktf"]), results


#: ``--quick`` (checking the harness): pairs per size, so that ``make bench QUICK=1`` stays well under 5 minutes.
QUICK_PLAN: Final = (1, 3)


def run(sizes: tuple[int, ...] = SIZES, *, quick: bool = False) -> tuple[list[Row], dict[str, Any]]:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    os.environ.setdefault("CHECKPOINT_DISABLE", "1")
    os.environ.setdefault("DISABLE_VERSION_CHECK", "1")
    results = []
    for count in sizes:
        warmups, repeats = QUICK_PLAN if quick else PLAN.get(count, (1, 3))
        print(f"  synth of {count:,} endpoints ({warmups} warm-up and {repeats} timed pairs) ...", flush=True)
        results.append(_measure(count, warmups, repeats))
    rows = [row for result in results for row in _rows(result)]
    if len(results) > 1:
        rows.append(_growth_row(results[0], results[-1]))
    gateway_rows, gateway = _gateway()
    framework_rows, by_framework = frameworks()
    rows += gateway_rows + framework_rows
    return rows, {"sizes": results, "gateway": gateway, "frameworks": by_framework}
