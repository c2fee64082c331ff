"""Benchmark 6: ``environments status`` of three environments of 100 endpoints each, all planned at once.

An app of three environments (dev, staging, prod) of 100 ``ModelEndpoint``s each, local state, deployed to the
emulator with ``terraform apply``; then, in alternating pairs, the same library call the command makes
(``check_environments``) for each environment alone, and for the three at once. The row compares the *plan*
phase of the three at once (synth and ``terraform init`` aside: the report times each phase) with the slowest
single environment's plan phase, the target being at most 1.5x on this 2-core machine: three plans run one
after the other would take about 3x.

Each environment's plan is ``terraform plan`` with refresh (100 GETs to the emulator through one provider
process) and ``terraform show -json`` of the saved plan; nothing drifts and nothing is pending, so no schema is
read. The emulator shares the machine's two cores with the three Terraform and three provider processes.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from benchmarks.report import Row, ratio
from blaxel_constructs.emulator.process import EmulatorProcess
from blaxel_constructs.environment_commands.app_synthesis import AppConfig, synthesize_app
from blaxel_constructs.environment_commands.status_check import Condition, StatusReport, check_environments
from blaxel_constructs.environment_commands.synthesized_stack import SynthesizedStack
from blaxel_constructs.testing import ProviderInstall, Workdir, base_env

__all__ = ["ENVIRONMENTS", "PAIRS", "SIZE", "TARGET", "run"]

ENVIRONMENTS: Final = ("dev", "staging", "prod")
SIZE: Final = 100
#: Alternating measurements of (each environment alone, the three at once); the medians are reported.
PAIRS: Final = 5
QUICK_PAIRS: Final = 2
TARGET: Final = 1.5
BENCHMARK: Final = "6 environments status"

_APP = """
    import sys
    try:
        from cdktn import App
    except ImportError:
        from cdktf import App
    from blaxel_constructs.constructs import synth_app
    from blaxel_constructs.constructs.environments import EnvironmentStack, load_environments

    app = App()
    for environment in load_environments("environments.yaml").values():
        EnvironmentStack(app, environment).model_endpoints()
    synth_app(app)
"""


def _environments_yaml(size: int) -> str:
    endpoints = "\n".join(
        f"    m{i:03d}: {{runtime: {{type: openai, model: gpt-4.1}}, flavors: [{{name: t4, type: cpu}}]}}"
        for i in range(size)
    )
    environments = "\n".join(f"  {name}: {{name_suffix: -{name}, labels: {{tier: {name}}}}}" for name in ENVIRONMENTS)
    return f"defaults:\n  workspace: emulator\n  endpoints:\n{endpoints}\nenvironments:\n{environments}\n"


def _app(root: Path, size: int) -> AppConfig:
    app = root / "app"
    app.mkdir()
    (app / "main.py").write_text(textwrap.dedent(_APP))
    (app / "environments.yaml").write_text(_environments_yaml(size))
    (app / "cdktf.json").write_text(f'{{"language": "python", "app": "{sys.executable} main.py"}}\n')
    return AppConfig.read(app)


def _deploy(stacks: Mapping[str, SynthesizedStack], env: Mapping[str, str]) -> None:
    for stack in stacks.values():
        workdir = Workdir(stack.source.parent, dict(env))
        workdir.init()
        workdir.apply("-parallelism=20")


def _plan_seconds(report: StatusReport) -> float:
    conditions = {status.name: status.condition for status in report.environments}
    if set(conditions.values()) != {Condition.IN_SYNC}:
        errors = [status.error for status in report.environments if status.error]
        raise RuntimeError(f"expected every environment in sync, got {conditions}: {errors}")
    return float(report.timings["plan"])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class _PhaseCpu:
    """A clock for ``check_environments`` that also samples the CPU time of finished child processes.

    ``check_environments`` reads its clock at each phase's start and end, the plan phase last; every
    ``terraform`` process of a phase (and the provider processes it launches) has exited when the phase ends, so
    the children's CPU between the last two readings is the plan phase's CPU, ``terraform init`` aside.
    """

    def __init__(self) -> None:
        self._samples: list[float] = []

    def __call__(self) -> float:
        self._samples.append(_children_cpu())
        return time.monotonic()

    @property
    def last_phase(self) -> float:
        """CPU-seconds used by child processes between the last two readings."""
        return self._samples[-1] - self._samples[-2]


def run(
    size: int = SIZE, pairs: int = PAIRS, quick: bool = False, latency: float = 0.0
) -> tuple[list[Row], dict[str, Any]]:
    """Deploy the three environments, then time their plans alone and at once, ``pairs`` times each.

    ``latency`` (seconds) delays every API answer of the emulator, as a remote API would.
    """
    pairs = QUICK_PAIRS if quick else pairs
    with tempfile.TemporaryDirectory(prefix="bench-environments-") as tmp:
        root = Path(tmp)
        install = ProviderInstall.create(root / "provider")
        (root / "home").mkdir()
        with EmulatorProcess(root / "emulator.db", deploy_seconds=0.05) as emulator:
            env = base_env(install, home=root / "home", extra=emulator.client_env())
            config = _app(root, size)
            stacks = synthesize_app(config, root / "synth", env)
            _deploy(stacks, env)
            if latency:
                emulator.set_faults([{"method": "*", "path": "/v0/*", "delay": latency}])
            singles: list[float] = []
            together: list[float] = []
            per_environment: dict[str, list[float]] = {name: [] for name in ENVIRONMENTS}
            cpu: list[float] = []
            for index in range(pairs):
                seconds = {}
                for name in ENVIRONMENTS:
                    phase_cpu = _PhaseCpu()
                    report = check_environments([stacks[name]], root / f"single-{index}-{name}", env, clock=phase_cpu)
                    cpu.append(phase_cpu.last_phase)
                    seconds[name] = _plan_seconds(report)
                    per_environment[name].append(seconds[name])
                singles.append(max(seconds.values()))
                report = check_environments(list(stacks.values()), root / f"all-{index}", env)
                together.append(_plan_seconds(report))
                print(
                    f"  pair {index + 1}: alone {', '.join(f'{n} {s:.2f} s' for n, s in seconds.items())}; "
                    f"the three at once {together[-1]:.2f} s",
                    flush=True,
                )
    ours, anchor = statistics.median(together), statistics.median(singles)
    row_ratio = ratio(ours, anchor)
    cores = os.cpu_count() or 1
    cpu_each = statistics.median(cpu)
    floor = len(ENVIRONMENTS) * cpu_each / min(cores, len(ENVIRONMENTS))
    sequential = statistics.median(
        [sum(per_environment[name][index] for name in ENVIRONMENTS) for index in range(pairs)]
    )
    notes = []
    if row_ratio is not None and row_ratio > TARGET:
        notes.append(
            f"Environments status: missed; what bounds it: one environment's plan (with refresh, and "
            f"the saved plan's show) keeps {cpu_each:.2f} CPU-seconds busy (Terraform, and the provider it launches "
            f"three times per plan) in "
            f"{anchor:.2f} s, more than one core; {len(ENVIRONMENTS)} of them on {cores} cores cannot take less than "
            f"{floor:.2f} s ({floor / anchor:.2f}x), and took {ours:.2f} s: the plans run fully in parallel, the "
            f"machine's cores are the limit (one after the other they take {sequential:.2f} s)."
        )
    row = Row(
        benchmark=BENCHMARK,
        metric=f"status of {len(ENVIRONMENTS)} environments x {size} endpoints: plan phase, all at once",
        ours=ours,
        unit="s",
        target=f"<= {TARGET:g}x slowest single environment",
        met=row_ratio is not None and row_ratio <= TARGET,
        anchor=anchor,
        anchor_name="slowest environment planned alone",
        ratio=row_ratio,
        size=size,
        notes=notes,
    )
    floor_row = Row(
        benchmark=BENCHMARK,
        metric=f"status of {len(ENVIRONMENTS)} environments x {size}: plan phase against the machine's floor",
        ours=ours,
        unit="s",
        target="for scale (CPU floor)",
        met=None,
        anchor=floor,
        anchor_name=(
            f"{len(ENVIRONMENTS)} x {cpu_each:.2f} CPU-s over {cores} cores; one after the other {sequential:.2f} s"
        ),
        ratio=ratio(ours, floor),
        size=size,
    )
    detail = {
        "size": size,
        "environments": list(ENVIRONMENTS),
        "pairs": pairs,
        "cpus": os.cpu_count(),
        "together_seconds": together,
        "slowest_single_seconds": singles,
        "single_seconds": per_environment,
        "pair_ratios": [t / s for t, s in zip(together, singles, strict=True)],
        "cpu_seconds_single_plan": cpu,
        "cpu_floor_seconds": floor,
        "sequential_seconds": sequential,
        "latency_seconds": latency,
    }
    return [row, floor_row], detail


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.environments``: this benchmark alone, printed."""
    args = list(argv if argv is not None else sys.argv[1:])
    latency = float(args[args.index("--latency") + 1]) if "--latency" in args else 0.0
    rows, detail = run(quick="--quick" in args, latency=latency)
    for row in rows:
        print(row.cells())
    print(detail)
    return 0


if __name__ == "__main__":
    sys.exit(main())
