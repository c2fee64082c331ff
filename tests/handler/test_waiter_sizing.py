"""A first poll sized to the operation: ``SettleTimes`` and ``Waiter.poll(sizing=...)`` on a virtual clock."""

from __future__ import annotations

import pytest

from blaxel_constructs.handler import DEFAULT_BACKOFF, DEFAULT_MAX_DELAY, Waiter
from blaxel_constructs.handler.waiter import SIZED_FOLLOW_UP, SIZING_MIN_SAMPLES, SettleTimes
from tests.support.clock import FakeClock


class Timeout(Exception):
    pass


def done_after(clock: FakeClock, seconds: float, probes: list[float]) -> object:
    """A probe that reports completion from ``seconds`` of virtual time on, recording when it ran."""
    started = clock.now

    def probe() -> tuple[bool, str]:
        probes.append(clock.now - started)
        return clock.now - started >= seconds, "done"

    return probe


def wait(waiter: Waiter, clock: FakeClock, seconds: float, sizing: SettleTimes) -> list[float]:
    probes: list[float] = []
    waiter.poll(
        done_after(clock, seconds, probes),  # type: ignore[arg-type]
        timeout=60,
        on_timeout=lambda *_: Timeout(),
        sizing=sizing,
    )
    return probes


def test_given_too_few_completed_waits_when_polling_then_the_first_probe_runs_at_once() -> None:
    clock, sizing = FakeClock(), SettleTimes()
    waiter = Waiter(DEFAULT_BACKOFF, clock=clock.as_clock(1.0))

    probes = wait(waiter, clock, 0.2, sizing)

    assert probes == pytest.approx([0.0, 0.3])
    assert sizing.typical() is None


def test_given_waits_of_0_2_s_when_the_next_one_polls_then_its_first_probe_comes_after_0_2_s_and_finds_it_done() -> (
    None
):
    clock, sizing = FakeClock(), SettleTimes()
    for _ in range(SIZING_MIN_SAMPLES):
        sizing.record(0.2)
    waiter = Waiter(DEFAULT_BACKOFF, clock=clock.as_clock(1.0))

    probes = wait(waiter, clock, 0.2, sizing)

    assert probes == pytest.approx([0.2])
    assert waiter.probes == 1


def test_given_a_sized_first_probe_that_is_too_early_when_polling_goes_on_then_the_next_delay_is_a_fraction_of_it() -> (
    None
):
    clock, sizing = FakeClock(), SettleTimes()
    for _ in range(SIZING_MIN_SAMPLES):
        sizing.record(1.0)
    waiter = Waiter(DEFAULT_BACKOFF, clock=clock.as_clock(1.0))

    probes = wait(waiter, clock, 1.2, sizing)

    assert probes[0] == pytest.approx(1.0)
    assert probes[1] - probes[0] == pytest.approx(min(DEFAULT_BACKOFF.initial_delay, SIZED_FOLLOW_UP * 1.0))
    assert probes[-1] >= 1.2


def test_given_jitter_draws_when_sizing_then_the_first_delay_is_within_the_jitter_band_below_the_typical_wait() -> None:
    clock, sizing = FakeClock(), SettleTimes()
    for _ in range(SIZING_MIN_SAMPLES):
        sizing.record(2.0)
    waiter = Waiter(DEFAULT_BACKOFF, clock=clock.as_clock(0.0))

    probes = wait(waiter, clock, 0.0, sizing)

    assert probes == pytest.approx([2.0 * (1 - DEFAULT_BACKOFF.jitter)])


def test_given_very_long_waits_when_sizing_then_the_first_probe_is_never_later_than_the_largest_backoff_delay() -> None:
    clock, sizing = FakeClock(), SettleTimes()
    for _ in range(SIZING_MIN_SAMPLES):
        sizing.record(600.0)
    waiter = Waiter(DEFAULT_BACKOFF, clock=clock.as_clock(1.0))

    probes = wait(waiter, clock, 0.0, sizing)

    assert probes == pytest.approx([DEFAULT_MAX_DELAY])


def test_given_completed_waits_when_recording_then_the_typical_wait_is_the_median_of_the_recent_window() -> None:
    sizing = SettleTimes(window=3, min_samples=2)
    sizing.record(9.0)
    assert sizing.typical() is None

    for seconds in (1.0, 2.0, 3.0):
        sizing.record(seconds)

    assert sizing.typical() == 2.0  # 9.0 fell out of the window


def test_given_a_wait_that_times_out_when_polling_with_sizing_then_nothing_is_recorded() -> None:
    clock, sizing = FakeClock(), SettleTimes(min_samples=1)
    waiter = Waiter(DEFAULT_BACKOFF, clock=clock.as_clock(1.0))

    with pytest.raises(Timeout):
        waiter.poll(lambda: (False, None), timeout=1.0, on_timeout=lambda *_: Timeout(), sizing=sizing)

    assert sizing.typical() is None


def test_given_probes_that_take_time_when_many_waits_are_sized_then_the_typical_wait_does_not_creep_up() -> None:
    """The recorded wait ends when the successful probe was sent: its own round trip is not part of the
    operation. Recording when it returned made each sized wait one round trip longer than the last
    (measured: 0.2 s deployments waited 0.33 s after 200 creates). With the jitter drawing delays below the
    typical wait, the sized first probe closes in on the operation's real time instead."""
    clock, sizing = FakeClock(), SettleTimes()
    waiter = Waiter(DEFAULT_BACKOFF, clock=clock.as_clock(0.5))

    def slow_probe(started: float) -> tuple[bool, str]:
        done = clock.now - started >= 0.2
        clock.advance(0.03)  # the GET's round trip
        return done, "done"

    for _ in range(60):
        started = clock.now
        waiter.poll(lambda s=started: slow_probe(s), timeout=60, on_timeout=lambda *_: Timeout(), sizing=sizing)

    typical = sizing.typical()
    assert typical is not None
    assert 0.2 <= typical <= 0.2 + 0.03  # without the round trips: at least 0.33 and growing
