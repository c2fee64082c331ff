"""Benchmark 2: how late the handler notices a finished deployment, and how many GETs that costs.

Deployments whose durations are drawn uniformly from three ranges (0.5-1.5 s, 4-6 s, 24-36 s) run on one
emulator process. Each draw is deployed once per strategy, each time as its own model, by a real
``ModelHandler.create`` over a real ``BlaxelClient``; only the ``Waiter``'s ``Backoff`` differs:

- this project: ``DEFAULT_BACKOFF`` (``blaxel_constructs.handler.waiter``);
- fixed 5 s polling, the AWS CDK provider framework's default (``queryInterval`` 5 s, backoff rate 1:
  ``isComplete`` runs once at once, then every 5 s);
- Terraform's ``StateChangeConf`` (terraform-plugin-sdk ``helper/retry``), with no ``Delay``,
  ``MinTimeout`` or ``PollInterval``: the first refresh at once; then the loop sets ``wait`` to 100 ms and
  doubles it before each sleep, capped at 10 s, so the sleeps are 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 10, 10... s.
  That is ``Backoff(initial_delay=0.2, multiplier=2, max_delay=10, jitter=0)`` here.

Every draw of every strategy runs concurrently (one thread each), so the whole benchmark takes as long
as its longest deployment plus that strategy's lateness. The emulator fixes a model's deployment time
when it is created (``deploy_seconds`` of ``PUT /_emulator/config``), so setting it and posting happen
under one lock, in the ``ModelsAPI`` wrapper the handler calls (``_Measured``), which also counts GETs.

*Overshoot* = when ``create`` returned - (when the POST's answer arrived + the drawn duration). The
emulator starts a deployment's clock while handling the POST, a few milliseconds before its answer
arrives, so this slightly overstates every strategy by the same amount.

The draws are stratified: draw ``i`` of ``n`` is uniform in the ``i``-th of ``n`` equal slices of its range
(so each is still uniform over the range as a whole, and the sample covers it evenly; a plain i.i.d.
sample of 15 often bunches up). They come from a fixed seed, so every run uses the same draws;
``BENCH_SEED`` changes it. This project's jitter also comes from a seeded generator per draw.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.report import Row, ratio
from blaxel_constructs.client import BlaxelClient, ClientConfig
from blaxel_constructs.emulator.process import EmulatorProcess
from blaxel_constructs.handler import DEFAULT_BACKOFF, DEFAULT_MIN_DELAY, Backoff, ModelHandler, Waiter
from blaxel_constructs.timing import Clock

__all__ = ["DRAWS", "RANGES", "SEED", "STRATEGIES", "run"]

RANGES: tuple[tuple[float, float], ...] = ((0.5, 1.5), (4.0, 6.0), (24.0, 36.0))
#: Draws per range (the issue asks for at least 7); every strategy gets the same ones.
DRAWS = 15
SEED = 2026
GET_BUDGET = 1.5  # x the GETs of StateChangeConf
OURS = "this project"
FIXED = "fixed 5 s"
SCC = "StateChangeConf"
STRATEGIES: Mapping[str, Backoff] = {
    OURS: DEFAULT_BACKOFF,
    FIXED: Backoff(initial_delay=5.0, max_delay=5.0, multiplier=1.0, jitter=0.0, min_delay=DEFAULT_MIN_DELAY),
    SCC: Backoff(initial_delay=0.2, max_delay=10.0, multiplier=2.0, jitter=0.0, min_delay=DEFAULT_MIN_DELAY),
}
_RUNTIME = {"type": "openai", "model": "gpt-4.1"}

#: Why a waiting target may be missed, and what was tried: printed after the table when one is.
BOUND_NOTE = (
    "Waiting: what bounds it. In each range the better anchor is whichever fixed schedule happens to poll "
    "just after the drawn deployments end. Fixed 5 s polling catches a 4-5 s deployment within 1 s but a "
    "5-6 s one 4-5 s late, so its median over the 4-6 s draws is either under 1 s or over 4 s depending on "
    "how many draws fall either side of its 5 s tick. Beating it on every set of draws in both the 4-6 s and "
    "the 24-36 s ranges takes polls at most ~1.5 s apart around 5 s and ~4 s apart around 30 s; with delays "
    "that never shrink that is at least 15 GETs by 30 s, over the budget of 1.5x StateChangeConf (13.5). "
    "What was tried, simulated over 500 seeds of 15 stratified draws per range against the same anchors: "
    "full jitter (the previous default: 17 GETs at 30 s, so never within budget), equal jitter, 10 % jitter "
    "and none; first delays 0.15-0.6 s, growth 1.2-2.5x, caps 2.5-5 s; and a search over arbitrary "
    "non-decreasing delay sequences (7 i.i.d. draws), whose best met all three ranges for about 64 % of "
    "seeds with delays tailored to these ranges. The default kept (0.3 s x 1.5 up to 4.5 s, 10 % jitter) "
    "is the best of the regular schedules, and also notices the 2 s deployments of the apply benchmark "
    "0.3 s late instead of 0.9 s. BENCH_SEED=<n> re-runs with other draws; python -m benchmarks.simulate "
    "replays the comparison for 500 seeds."
)
SIMULATED_SEEDS = 500


class _Measured:
    """The ``ModelsAPI`` the handler drives: a real client, a deploy time set just before the POST, GETs counted."""

    def __init__(self, client: BlaxelClient, emulator: EmulatorProcess, lock: threading.Lock, seconds: float) -> None:
        self._client = client
        self._emulator = emulator
        self._lock = lock
        self._seconds = seconds
        self.gets = 0
        self.posted_at: float | None = None

    def create_model(self, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        with self._lock:  # the emulator fixes deploy_seconds at create time: nobody may change it in between
            self._emulator.configure(deploy_seconds=self._seconds)
            answer = self._client.create_model(document, deadline=deadline)
            self.posted_at = time.monotonic()
        return answer

    def get_model(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        self.gets += 1
        return self._client.get_model(name, deadline=deadline)

    def update_model(self, name: str, document: Mapping[str, Any], *, deadline: float | None = None) -> dict[str, Any]:
        return self._client.update_model(name, document, deadline=deadline)

    def delete_model(self, name: str, *, deadline: float | None = None) -> dict[str, Any]:
        return self._client.delete_model(name, deadline=deadline)


@dataclass(frozen=True)
class _Task:
    strategy: str
    range_index: int
    draw_index: int
    seconds: float


def stratified_draws(rng: random.Random, low: float, high: float, count: int) -> list[float]:
    """``count`` durations, the ``i``-th uniform in the ``i``-th of ``count`` equal slices of ``[low, high]``."""
    width = (high - low) / count
    return [round(low + width * (index + rng.random()), 3) for index in range(count)]


def _deploy(task: _Task, emulator: EmulatorProcess, lock: threading.Lock, seed: int) -> dict[str, Any]:
    config = ClientConfig(api_url=emulator.base_url, api_key=emulator.api_key, workspace=emulator.workspace)
    client = BlaxelClient(config)
    api = _Measured(client, emulator, lock, task.seconds)
    jitter = random.Random(f"{seed}/{task.range_index}/{task.draw_index}")
    handler = ModelHandler(api, waiter=Waiter(STRATEGIES[task.strategy], clock=Clock(random=jitter.random)))
    slug = {OURS: "ours", FIXED: "fixed", SCC: "scc"}[task.strategy]
    name = f"wait-{task.range_index}-{task.draw_index:02d}-{slug}"
    try:
        document = handler.create({"metadata": {"name": name}, "spec": {"runtime": _RUNTIME}}, timeout=180)
        returned = time.monotonic()
    finally:
        client.close()
    assert api.posted_at is not None
    return {
        "strategy": task.strategy,
        "range": list(RANGES[task.range_index]),
        "draw": task.draw_index,
        "deploy_seconds": task.seconds,
        "overshoot_seconds": round(returned - (api.posted_at + task.seconds), 4),
        "gets": api.gets,
        "status": document.get("status"),
    }


def run(draws: int = DRAWS, seed: int | None = None) -> tuple[list[Row], dict[str, Any]]:
    seed = int(os.environ.get("BENCH_SEED", SEED)) if seed is None else seed
    rng = random.Random(seed)
    durations = [stratified_draws(rng, low, high, draws) for low, high in RANGES]
    tasks = [
        _Task(strategy, range_index, draw_index, durations[range_index][draw_index])
        for draw_index in range(draws)
        for range_index in range(len(RANGES))
        for strategy in STRATEGIES
    ]
    lock = threading.Lock()
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="bench-waiting-") as tmp,
        EmulatorProcess(Path(tmp) / "emulator.db", deploy_seconds=1.0) as emulator,
        ThreadPoolExecutor(max_workers=len(tasks)) as pool,
    ):
        results = list(pool.map(lambda task: _deploy(task, emulator, lock, seed), tasks))
    wall = time.monotonic() - started

    rows: list[Row] = []
    summary: dict[str, Any] = {}
    for low, high in RANGES:
        label = f"{low:g}-{high:g} s"
        medians: dict[str, tuple[float, float]] = {}
        for strategy in STRATEGIES:
            mine = [r for r in results if r["strategy"] == strategy and r["range"] == [low, high]]
            medians[strategy] = (
                statistics.median(r["overshoot_seconds"] for r in mine),
                statistics.median(r["gets"] for r in mine),
            )
        summary[label] = {s: {"median_overshoot_seconds": o, "median_gets": g} for s, (o, g) in medians.items()}
        ours_over, ours_gets = medians[OURS]
        better = min((FIXED, SCC), key=lambda s: medians[s][0])
        other = SCC if better == FIXED else FIXED
        better_over = medians[better][0]
        scc_gets = medians[SCC][1]
        rows.append(
            Row(
                "2 waiting",
                f"deploys of {label}: median overshoot",
                ours_over,
                "s",
                "<= better anchor",
                ours_over <= better_over,
                anchor=better_over,
                anchor_name=f"{better}; {other}: {medians[other][0]:.2f} s",
                ratio=ratio(ours_over, better_over),
            )
        )
        rows.append(
            Row(
                "2 waiting",
                f"deploys of {label}: median GETs",
                ours_gets,
                "",
                f"<= {GET_BUDGET}x {SCC}",
                ours_gets <= GET_BUDGET * scc_gets,
                anchor=scc_gets,
                anchor_name=f"{SCC}; {FIXED}: {medians[FIXED][1]:g}",
                ratio=ratio(ours_gets, scc_gets),
                digits=1,
            )
        )
    from benchmarks.simulate import pass_rates  # here: simulate imports this module

    simulated = pass_rates(DEFAULT_BACKOFF, SIMULATED_SEEDS, draws)
    rows[0].notes.append(
        f"Waiting: these draws come from seed {seed}. The margins depend on where draws fall against the "
        f"anchors' fixed ticks; replayed on a virtual clock for {SIMULATED_SEEDS} seeds (benchmarks.simulate), "
        "the default meets "
        + ", ".join(f"{key} for {rate:.0%}" for key, rate in simulated.items() if key != "all")
        + f"; every waiting target at once for {simulated['all']:.0%}."
    )
    if any(row.met is False for row in rows):
        rows[next(i for i, row in enumerate(rows) if row.met is False)].notes.append(BOUND_NOTE)
    details = {
        "seed": seed,
        "draws_per_range": draws,
        "durations": {f"{low:g}-{high:g} s": d for (low, high), d in zip(RANGES, durations, strict=True)},
        "strategies": {name: repr(backoff) for name, backoff in STRATEGIES.items()},
        "medians": summary,
        "simulated_pass_rates": simulated,
        "wall_seconds": round(wall, 1),
        "results": results,
    }
    return rows, details
