"""Backoff and Waiter: exponential caps, proportional jitter, a floor, and a deadline with a final probe at it."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from blaxel_constructs.handler import (
    DEFAULT_BACKOFF,
    DEFAULT_INITIAL_DELAY,
    DEFAULT_JITTER,
    DEFAULT_MAX_DELAY,
    DEFAULT_MIN_DELAY,
    DEFAULT_MULTIPLIER,
    Backoff,
    Waiter,
)
from tests.support.clock import FakeClock


class Timeout(Exception):
    pass


def waiter_on(clock: FakeClock, rng: float = 1.0, backoff: Backoff | None = None) -> Waiter:
    return Waiter(backoff or DEFAULT_BACKOFF, clock=clock.as_clock(rng))


def test_given_default_backoff_when_attempts_grow_then_the_cap_grows_by_1_5_up_to_the_maximum() -> None:
    caps = [DEFAULT_BACKOFF.cap(n) for n in range(9)]

    assert caps == pytest.approx([0.3, 0.45, 0.675, 1.0125, 1.51875, 2.278125, 3.4171875, 4.5, 4.5])
    assert (DEFAULT_INITIAL_DELAY, DEFAULT_MULTIPLIER, DEFAULT_MAX_DELAY, DEFAULT_JITTER) == (0.3, 1.5, 4.5, 0.1)


def test_given_a_huge_attempt_number_when_capping_then_it_does_not_overflow() -> None:
    assert DEFAULT_BACKOFF.cap(100_000) == DEFAULT_MAX_DELAY


def test_given_random_draws_when_delaying_then_each_delay_is_within_the_jitter_band_below_the_cap() -> None:
    backoff, rng = DEFAULT_BACKOFF, random.Random(7)

    for attempt in range(20):
        cap = backoff.cap(attempt)
        delays = [backoff.delay(attempt, rng.random) for _ in range(200)]
        assert all((1 - DEFAULT_JITTER) * cap <= d <= cap for d in delays)
        assert max(delays) - min(delays) > DEFAULT_JITTER * cap / 2  # really jittered, not fixed


def test_given_draws_of_one_half_and_zero_when_delaying_then_the_delay_spans_the_top_tenth_of_the_cap() -> None:
    backoff = replace(DEFAULT_BACKOFF, initial_delay=1.0, max_delay=1.0)
    draws = iter([1.0, 0.5, 0.0])

    assert [backoff.delay(0, lambda: next(draws)) for _ in range(3)] == pytest.approx([1.0, 0.95, 0.9])


def test_given_no_jitter_when_delaying_then_every_delay_is_the_cap() -> None:
    backoff = Backoff(initial_delay=0.2, max_delay=10.0, multiplier=2.0, jitter=0.0)

    assert [backoff.delay(n, random.random) for n in range(8)] == pytest.approx([0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 10, 10])


def test_given_full_jitter_when_delaying_then_the_delay_is_the_draw_times_the_cap() -> None:
    assert replace(DEFAULT_BACKOFF, jitter=1.0).delay(3, lambda: 0.5) == pytest.approx(DEFAULT_BACKOFF.cap(3) / 2)


def test_given_full_jitter_and_a_draw_near_zero_when_delaying_then_the_floor_prevents_a_hot_loop() -> None:
    assert replace(DEFAULT_BACKOFF, jitter=1.0).delay(0, lambda: 0.0) == DEFAULT_MIN_DELAY


@pytest.mark.parametrize(
    "settings",
    [
        {"initial_delay": 0.0},
        {"initial_delay": 10.0, "max_delay": 5.0},
        {"multiplier": 0.5},
        {"min_delay": -1.0},
        {"min_delay": 9.0},
        {"jitter": -0.1},
        {"jitter": 1.5},
    ],
)
def test_given_inconsistent_settings_when_building_a_backoff_then_it_is_rejected(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        replace(DEFAULT_BACKOFF, **settings)


def test_given_a_probe_done_on_the_fourth_call_when_polling_then_its_value_returns_after_growing_sleeps() -> None:
    clock = FakeClock()
    answers = iter([(False, 1), (False, 2), (False, 3), (True, 4)])
    waiter = waiter_on(clock)

    value = waiter.poll(lambda: next(answers), timeout=60, on_timeout=lambda last, waited: Timeout())

    assert value == 4
    assert clock.sleeps == pytest.approx([0.3, 0.45, 0.675])
    assert waiter.probes == 4
    assert waiter.slept == pytest.approx(1.425)


def test_given_a_probe_never_done_when_the_deadline_nears_then_the_last_sleep_is_clipped_to_it() -> None:
    clock = FakeClock()
    probe_times: list[float] = []

    def probe() -> tuple[bool, float]:
        probe_times.append(clock.now)
        return False, clock.now

    with pytest.raises(Timeout) as caught:
        waiter_on(clock).poll(probe, timeout=1.0, on_timeout=lambda last, waited: Timeout(last, waited))

    assert clock.sleeps == pytest.approx([0.3, 0.45, 0.25])  # 0.3 + 0.45 + (0.675 would overshoot: clipped)
    assert probe_times == pytest.approx([0.0, 0.3, 0.75, 1.0])  # the final probe happens at the deadline itself
    assert caught.value.args == pytest.approx((1.0, 1.0))  # on_timeout gets the last value and the seconds waited
    assert clock.now == pytest.approx(1.0)  # never slept past the deadline


def test_given_a_probe_done_exactly_at_the_deadline_when_polling_then_it_succeeds() -> None:
    clock = FakeClock()

    value = waiter_on(clock).poll(
        lambda: (clock.now >= 1.0, clock.now), timeout=1.0, on_timeout=lambda last, waited: Timeout()
    )

    assert value == 1.0


def test_given_a_zero_timeout_when_polling_then_the_probe_runs_once_and_it_times_out() -> None:
    clock = FakeClock()
    waiter = waiter_on(clock)

    with pytest.raises(Timeout):
        waiter.poll(lambda: (False, None), timeout=0, on_timeout=lambda last, waited: Timeout())

    assert waiter.probes == 1
    assert clock.sleeps == []


def test_given_a_probe_that_raises_when_polling_then_the_error_propagates_at_once() -> None:
    clock = FakeClock()

    def probe() -> tuple[bool, None]:
        raise KeyError("failed for good")

    with pytest.raises(KeyError):
        waiter_on(clock).poll(probe, timeout=60, on_timeout=lambda last, waited: Timeout())
    assert clock.now == 0.0


def test_given_a_long_wait_when_polling_then_sleeps_settle_at_the_cap() -> None:
    clock = FakeClock()
    waiter = waiter_on(clock)

    with pytest.raises(Timeout):
        waiter.poll(lambda: (False, None), timeout=60, on_timeout=lambda last, waited: Timeout())

    assert max(clock.sleeps) == DEFAULT_MAX_DELAY
    assert clock.sleeps[:9] == pytest.approx([0.3, 0.45, 0.675, 1.0125, 1.51875, 2.278125, 3.4171875, 4.5, 4.5])
    assert sum(clock.sleeps) == pytest.approx(60.0)
