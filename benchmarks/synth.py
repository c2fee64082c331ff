"""Benchmark 1: synthesizing 1,000 endpoints.

Three ways to produce the same Terraform JSON for 1,000 ``blaxel_model`` resources, timed from the first
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
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from benchmarks.report import Row, ratio

__all__ = ["ENDPOINTS", "REPEATS", "WARMUPS", "run"]

ENDPOINTS = 1000
WARMUPS = 3
REPEATS = 9
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


def _timed(build: Callable[[Any], None]) -> tuple[float, list[dict[str, Any]]]:
    """Seconds to build a stack with ``build`` and synthesize the app; and the resources it synthesized.

    Both stacks hold the same ``BlaxelProvider``: cdktf refuses to synthesize resources without one.
    """
    from cdktf import App, TerraformStack

    from blaxel_constructs import BlaxelProvider

    with tempfile.TemporaryDirectory(prefix="bench-synth-") as outdir:
        started = time.perf_counter()
        app = App(outdir=outdir)
        stack = TerraformStack(app, STACK)
        BlaxelProvider(stack, "blaxel")
        build(stack)
        app.synth()
        elapsed = time.perf_counter() - started
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


def run(count: int = ENDPOINTS, repeats: int = REPEATS, warmups: int = WARMUPS) -> tuple[list[Row], dict[str, Any]]:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    os.environ.setdefault("CHECKPOINT_DISABLE", "1")
    os.environ.setdefault("DISABLE_VERSION_CHECK", "1")
    for _ in range(warmups):  # starts jsii's Node process, then lets its JIT and pydantic's validators settle
        _timed(_ours(count))
        _timed(_anchor(count))
    ours_runs: list[float] = []
    anchor_runs: list[float] = []
    same_output = True
    for repeat in range(repeats):
        if repeat % 2:
            anchor_seconds, anchor_bodies = _timed(_anchor(count))
            ours_seconds, ours_bodies = _timed(_ours(count))
        else:
            ours_seconds, ours_bodies = _timed(_ours(count))
            anchor_seconds, anchor_bodies = _timed(_anchor(count))
        ours_runs.append(ours_seconds)
        anchor_runs.append(anchor_seconds)
        same_output = same_output and ours_bodies == anchor_bodies
    floor_runs = [_floor(count) for _ in range(repeats)]

    per = 1000.0 / count  # seconds in total -> milliseconds per endpoint
    ours_ms = statistics.median(ours_runs) * per
    anchor_ms = statistics.median(anchor_runs) * per
    floor_ms = statistics.median(floor_runs) * per
    synth_ratio = statistics.median(o / a for o, a in zip(ours_runs, anchor_runs, strict=True))
    rows = [
        Row(
            "1 synth",
            f"synth {count:,} endpoints: ms per endpoint",
            ours_ms,
            "ms",
            f"<= {TARGET_RATIO}x plain cdktf",
            synth_ratio is not None and synth_ratio <= TARGET_RATIO and same_output,
            anchor=anchor_ms,
            anchor_name="plain cdktf TerraformResource",
            ratio=synth_ratio,
            digits=3,
        ),
        Row(
            "1 synth",
            f"synth {count:,} endpoints vs json.dumps (floor)",
            ours_ms,
            "ms",
            "floor, for scale",
            None,
            anchor=floor_ms,
            anchor_name="json.dumps",
            ratio=ratio(ours_ms, floor_ms),
            digits=3,
        ),
    ]
    details = {
        "endpoints": count,
        "repeats": repeats,
        "warmups": warmups,
        "pair_ratios": [round(o / a, 3) for o, a in zip(ours_runs, anchor_runs, strict=True)],
        "ours_seconds": [round(s, 4) for s in ours_runs],
        "anchor_seconds": [round(s, 4) for s in anchor_runs],
        "json_dumps_seconds": [round(s, 5) for s in floor_runs],
        "same_resources_synthesized": same_output,
    }
    if not same_output:
        rows[0].notes.append("the endpoint and the plain resource synthesized different JSON: the comparison is void")
    return rows, details
