"""The stacks benchmark 1 synthesizes, on either framework, and the timed pairs that compare them.

Two stacks, each built twice, once with this project's constructs and once with plain
``TerraformResource`` subclasses whose ``_synthesize_attributes`` return the very attributes ours
synthesize (what a hand-written or ``cdktf get`` binding does: no validation, no wrapping construct):

- ``model``: one ``ModelEndpoint`` per endpoint (``blaxel_model``);
- ``gateway``: per endpoint an ``IntegrationConnection`` (its secret from ``Secret.from_env``), a
  ``Policy`` and a ``ModelEndpoint`` naming both, wired as the README's quick start wires them
  (three resources, the model referring to the other two).

``measure`` runs warm-up pairs, then timed pairs (the order within a pair alternating), and checks
that both sides synthesized the same resource bodies. Both sides of a pair run on one framework, in
this process, sharing one jsii runtime. ``python -m benchmarks.synth_stacks`` does the same in its
own process and prints the result as JSON: how benchmark 1 runs CDK Terrain (``cdktn``, installed in
``.venv-cdktn``) against cdktf (``.venv``), each framework in the interpreter that has it.

Memory: before each synth the peak resident set (``VmHWM``) of this process and of jsii's Node process
is reset (``/proc/<pid>/clear_refs``), and read after it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Final

__all__ = [
    "OWNER_LABEL",
    "STACK",
    "STACKS",
    "Synthesis",
    "Workload",
    "bodies_digest",
    "main",
    "measure",
    "model_arguments",
    "model_attributes",
    "resource_bodies",
    "synthesize",
]

STACK: Final = "bench"
OWNER_LABEL: Final = "blaxel-constructs-owner"
#: The environment variable the gateway stack's connections read their API key from (one variable for all).
SECRET_VARIABLE: Final = "OPENAI_API_KEY"
#: ``${blaxel_policy.<logical id>.`` in a synthesized value: a reference to another resource of the stack.
_REFERENCE: Final = re.compile(r"\$\{(blaxel_[a-z_]+)\.([^.}]+)\.")

Build = Callable[[Any], None]


def model_arguments(index: int) -> dict[str, Any]:
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


def model_attributes(index: int) -> dict[str, Any]:
    """The Terraform attributes endpoint ``index`` synthesizes (with its ownership label, the construct path)."""
    arguments = model_arguments(index)
    arguments["labels"] = {OWNER_LABEL: f"{STACK}/e{index}", **arguments["labels"]}
    return arguments


def _connection_arguments(index: int) -> dict[str, Any]:
    return {"name": f"openai-{index:04d}", "integration": "openai", "secret_version": 1}


def _policy_arguments(index: int) -> dict[str, Any]:
    return {"name": f"eu-only-{index:04d}", "type": "location", "locations": [{"name": "eu", "type": "continent"}]}


@dataclass(frozen=True)
class Workload:
    """A stack of ``count`` endpoints built with this project's constructs (``ours``) or plain resources."""

    name: str
    #: Terraform resources per endpoint.
    resources: int
    ours: Callable[[int], Build]
    anchor: Callable[[ModuleType, int], Build]


def _ours_model(count: int) -> Build:
    from blaxel_constructs import ModelEndpoint

    def build(stack: Any) -> None:
        for index in range(count):
            ModelEndpoint(stack, f"e{index}", **model_arguments(index))

    return build


def _ours_gateway(count: int) -> Build:
    from blaxel_constructs import IntegrationConnection, ModelEndpoint, Policy, Secret

    def build(stack: Any) -> None:
        secret = Secret.from_env(SECRET_VARIABLE)
        for index in range(count):
            connection = IntegrationConnection(
                stack, f"c{index}", secret={"apiKey": secret}, **_connection_arguments(index)
            )
            policy = Policy(stack, f"p{index}", **_policy_arguments(index))
            ModelEndpoint(
                stack,
                f"e{index}",
                integration_connections=[connection],
                policies=[policy],
                **model_arguments(index),
            )

    return build


@functools.cache
def _plain_resource(framework: ModuleType) -> type:
    """A minimal binding on ``framework``'s ``TerraformResource``: the attributes as given, nothing checked."""

    class PlainResource(framework.TerraformResource):  # type: ignore[misc,name-defined]
        def __init__(self, scope: Any, id: str, resource_type: str, attributes: Mapping[str, Any]) -> None:
            self._attributes = dict(attributes)
            super().__init__(scope, id, terraform_resource_type=resource_type)

        def _synthesize_attributes(self) -> Mapping[str, Any]:
            return self._attributes

    return PlainResource


def _anchor_model(framework: ModuleType, count: int) -> Build:
    plain = _plain_resource(framework)

    def build(stack: Any) -> None:
        for index in range(count):
            plain(stack, f"e{index}", "blaxel_model", model_attributes(index))

    return build


def _anchor_gateway(framework: ModuleType, count: int) -> Build:
    plain = _plain_resource(framework)

    def build(stack: Any) -> None:
        variable = framework.TerraformVariable(stack, SECRET_VARIABLE, type="string", sensitive=True)
        variable.add_override("ephemeral", True)
        secret = variable.string_value
        for index in range(count):
            connection = _connection_arguments(index)
            connection["secret_wo"] = {"apiKey": secret}
            connection["secret_wo_version"] = connection.pop("secret_version")
            connection["sandbox"] = False
            made = plain(stack, f"c{index}", "blaxel_integration_connection", connection)
            policy = plain(stack, f"p{index}", "blaxel_policy", {**_policy_arguments(index), "sandbox": False})
            model = model_attributes(index)
            model["integration_connections"] = [made.get_string_attribute("name")]
            model["policies"] = [policy.get_string_attribute("name")]
            plain(stack, f"e{index}", "blaxel_model", model)

    return build


STACKS: Final[Mapping[str, Workload]] = {
    "model": Workload("model", 1, _ours_model, _anchor_model),
    "gateway": Workload("gateway", 3, _ours_gateway, _anchor_gateway),
}


def resource_bodies(document: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Each resource type's bodies in a synthesized ``cdk.tf.json``, comparable across ways of building them.

    cdktf's metadata (``//``) is dropped, the bodies are sorted by name, and a reference to another
    resource names it by its ``name`` argument instead of its logical id (which differs between a
    construct's ``Resource`` child and a plain resource of the same id):
    ``${blaxel_policy.p0_B02A8F65.name}`` becomes ``${blaxel_policy.<eu-only-0000>.name}``.
    """
    resources: Mapping[str, Mapping[str, Any]] = document.get("resource", {})
    names = {
        (kind, logical): str(body.get("name")) for kind, bodies in resources.items() for logical, body in bodies.items()
    }

    def rename(match: re.Match[str]) -> str:
        kind, logical = match.group(1), match.group(2)
        return f"${{{kind}.<{names.get((kind, logical), logical)}>."

    def normalized(value: Any) -> Any:
        if isinstance(value, str):
            return _REFERENCE.sub(rename, value)
        if isinstance(value, Mapping):
            return {key: normalized(item) for key, item in value.items() if key != "//"}
        if isinstance(value, list):
            return [normalized(item) for item in value]
        return value

    return {
        kind: sorted((normalized(body) for body in bodies.values()), key=lambda body: str(body.get("name")))
        for kind, bodies in sorted(resources.items())
    }


def bodies_digest(bodies: Mapping[str, list[Any]]) -> str:
    """A short fingerprint of ``resource_bodies``: what two processes compare instead of the bodies themselves."""
    return hashlib.sha256(json.dumps(bodies, sort_keys=True).encode()).hexdigest()[:16]


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


@dataclass(frozen=True)
class Synthesis:
    """One timed synth: seconds from the app's creation to its written files, peak MB, what it synthesized."""

    seconds: float
    peak_mb: float
    bodies: dict[str, list[Any]]


def synthesize(framework: ModuleType, build: Build) -> Synthesis:
    """Build a stack with ``build`` on ``framework`` (the ``cdktf`` or ``cdktn`` module) and synthesize the app.

    Both sides hold the same ``BlaxelProvider``: the frameworks refuse to synthesize resources without one.
    """
    from blaxel_constructs import BlaxelProvider

    with tempfile.TemporaryDirectory(prefix="bench-synth-") as outdir:
        _reset_peaks()
        started = time.perf_counter()
        app = framework.App(outdir=outdir)
        stack = framework.TerraformStack(app, STACK)
        BlaxelProvider(stack, "blaxel")
        build(stack)
        app.synth()
        elapsed = time.perf_counter() - started
        peak = _peak_mb()
        document = json.loads((Path(outdir) / "stacks" / STACK / "cdk.tf.json").read_text())
        return Synthesis(elapsed, peak, resource_bodies(document))


def measure(framework: ModuleType, workload: Workload, count: int, warmups: int, repeats: int) -> dict[str, Any]:
    """``warmups`` untimed pairs, then ``repeats`` timed pairs of ours and the anchor; medians, peaks, samples.

    Node's JIT and Python's caches take several full-size runs to settle, hence the warm-ups. The
    ratio is the median of the pairs' ratios (each pair ran under the same machine load).
    """
    ours, anchor = workload.ours(count), workload.anchor(framework, count)
    for _ in range(warmups):
        synthesize(framework, ours)
        synthesize(framework, anchor)
    runs: dict[str, list[Synthesis]] = {"ours": [], "anchor": []}
    same_output = True
    digest = ""
    for repeat in range(repeats):
        order = ("anchor", "ours") if repeat % 2 else ("ours", "anchor")
        for side in order:
            runs[side].append(synthesize(framework, ours if side == "ours" else anchor))
        same_output = same_output and runs["ours"][-1].bodies == runs["anchor"][-1].bodies
        digest = bodies_digest(runs["ours"][-1].bodies)
        for side in order:  # the bodies of 10,000 endpoints are large: keep only the last pair's
            runs[side][-1] = Synthesis(runs[side][-1].seconds, runs[side][-1].peak_mb, {})
    ours_seconds = [run.seconds for run in runs["ours"]]
    anchor_seconds = [run.seconds for run in runs["anchor"]]
    per = 1000.0 / count  # seconds in total -> milliseconds per endpoint
    return {
        "stack": workload.name,
        "framework": framework.__name__,
        "endpoints": count,
        "resources": count * workload.resources,
        "warmups": warmups,
        "repeats": repeats,
        "ours_ms": statistics.median(ours_seconds) * per,
        "anchor_ms": statistics.median(anchor_seconds) * per,
        "ratio": statistics.median(o / a for o, a in zip(ours_seconds, anchor_seconds, strict=True)),
        "ours_peak_mb": round(max((run.peak_mb for run in runs["ours"]), default=0.0), 1),
        "anchor_peak_mb": round(max((run.peak_mb for run in runs["anchor"]), default=0.0), 1),
        "pair_ratios": [round(o / a, 3) for o, a in zip(ours_seconds, anchor_seconds, strict=True)],
        "ours_seconds": [round(s, 4) for s in ours_seconds],
        "anchor_seconds": [round(s, 4) for s in anchor_seconds],
        "same_resources_synthesized": same_output,
        "bodies_digest": digest,
    }


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synth_stacks", description=__doc__)
    parser.add_argument("--framework", choices=("cdktf", "cdktn"), required=True)
    parser.add_argument("--stack", choices=sorted(STACKS), default="model")
    parser.add_argument("--endpoints", type=int, default=1000)
    parser.add_argument("--warmups", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure one stack on one framework in this process and print the result as one JSON object."""
    args = _parse(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    os.environ.setdefault("CHECKPOINT_DISABLE", "1")
    os.environ.setdefault("DISABLE_VERSION_CHECK", "1")
    from blaxel_constructs.constructs.framework import framework_named

    framework = framework_named(args.framework).module
    result = measure(framework, STACKS[args.stack], args.endpoints, args.warmups, args.repeats)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
