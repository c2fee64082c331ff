"""How often a polling schedule meets the waiting targets, over many sets of draws: ``python -m benchmarks.simulate``.

``make bench`` measures one set of draws (``waiting.SEED``) on the real emulator. Whether a schedule
beats the better anchor depends on where the draws fall against the anchors' fixed ticks, so this
replays the same comparison on a virtual clock for many seeds: the same stratified draws, the same
three ``Backoff`` schedules (``waiting.STRATEGIES``), each probe taking ``LATENCY`` seconds. It prints,
for each range, the share of seeds whose median overshoot is no worse than the better anchor's and
whose median GETs are within 1.5x ``StateChangeConf``'s, and the share meeting everything at once.
It is how the handler's default schedule was chosen; it uses no network and takes a few seconds.

``python -m benchmarks.simulate --seeds 500 --backoff 0.3,1.5,4.5,0.1`` tries another schedule
(initial delay, multiplier, maximum delay, jitter).
"""

from __future__ import annotations

import argparse
import bisect
import random
import statistics
import sys
from collections.abc import Sequence

from benchmarks.waiting import DRAWS, FIXED, GET_BUDGET, OURS, RANGES, SCC, STRATEGIES, stratified_draws
from blaxel_constructs.handler import DEFAULT_MIN_DELAY, Backoff

__all__ = ["LATENCY", "pass_rates", "probe_times"]

#: Seconds one GET takes on the emulator (measured: a few milliseconds on loopback).
LATENCY = 0.004
_HORIZON = 60.0


def probe_times(backoff: Backoff, rng: random.Random) -> list[float]:
    """When each GET of a wait happens, from the POST's answer at 0, as ``Waiter.poll`` schedules them."""
    now, times, attempt = 0.0, [], 0
    while now < _HORIZON:
        now += LATENCY
        times.append(now)
        now += backoff.delay(attempt, rng.random)
        attempt += 1
    return times


def _outcome(times: Sequence[float], seconds: float) -> tuple[float, int]:
    index = bisect.bisect_left(times, seconds)
    return times[index] - seconds, index + 1


def pass_rates(candidate: Backoff, seeds: int, draws: int = DRAWS) -> dict[str, float]:
    """Share of ``seeds`` for which ``candidate`` meets each waiting target, and all of them at once."""
    met = {f"{low:g}-{high:g} s {what}": 0 for low, high in RANGES for what in ("overshoot", "GETs")}
    met["all"] = 0
    schedules = {FIXED: STRATEGIES[FIXED], SCC: STRATEGIES[SCC], OURS: candidate}
    for seed in range(seeds):
        rng, jitter = random.Random(seed), random.Random(f"jitter/{seed}")
        every = True
        for low, high in RANGES:
            durations = stratified_draws(rng, low, high, draws)
            medians = {}
            for name, backoff in schedules.items():
                outcomes = [_outcome(probe_times(backoff, jitter), d) for d in durations]
                medians[name] = (statistics.median(o for o, _ in outcomes), statistics.median(g for _, g in outcomes))
            over = medians[OURS][0] <= min(medians[FIXED][0], medians[SCC][0])
            gets = medians[OURS][1] <= GET_BUDGET * medians[SCC][1]
            met[f"{low:g}-{high:g} s overshoot"] += over
            met[f"{low:g}-{high:g} s GETs"] += gets
            every = every and over and gets
        met["all"] += every
    return {key: count / seeds for key, count in met.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.simulate", description=__doc__)
    parser.add_argument("--seeds", type=int, default=500)
    parser.add_argument("--backoff", help="initial,multiplier,max,jitter (default: the handler's default)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    candidate = STRATEGIES[OURS]
    if args.backoff:
        initial, multiplier, maximum, jitter = (float(v) for v in args.backoff.split(","))
        candidate = Backoff(initial, maximum, multiplier, jitter=jitter, min_delay=DEFAULT_MIN_DELAY)
    print(f"{candidate} over {args.seeds} seeds of {DRAWS} stratified draws per range:")
    for key, rate in pass_rates(candidate, args.seeds).items():
        print(f"  {key:<24} met for {rate:6.1%} of seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
