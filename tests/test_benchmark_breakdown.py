"""The benchmarks' where-the-time-goes parser over a Terraform log written here (no Terraform run, no timing)."""

from __future__ import annotations

import pytest

from benchmarks.breakdown import parse_log, split

PREFIX = "[DEBUG] provider.terraform-provider-blaxel_v0.1.0: DEBUG blaxel_constructs.provider: timing"
LOG = f"""\
2026-11-30T10:50:07.003Z {PREFIX} action=launch name=- seconds=0.3000 pid=11
2026-11-30T10:50:08.500Z {PREFIX} action=launch name=- seconds=0.5000 pid=12
2026-11-30T10:50:09.300Z {PREFIX} \
action=create name=m0 seconds=0.2500 http_requests=2 http_seconds=0.0100 slept_seconds=0.2200 probes=1
2026-11-30T10:50:09.400Z {PREFIX} \
action=create name=m1 seconds=0.3000 http_requests=4 http_seconds=0.0300 slept_seconds=0.4600 probes=2
2026-11-30T10:50:10.000Z {PREFIX} action=launch name=- seconds=0.2000 pid=13
2026-11-30T10:50:10.300Z {PREFIX} \
action=read name=m1 seconds=0.0100 http_requests=1 http_seconds=0.0100 slept_seconds=0.0000 probes=0
"""


def test_given_an_apply_log_when_parsed_then_launches_operations_and_each_process_last_totals_are_read() -> None:
    facts = parse_log(LOG.splitlines())

    assert facts.launches == pytest.approx([0.3, 0.5, 0.2])
    assert facts.operation_seconds == {"create": [0.25, 0.3], "read": [0.01]}
    assert facts.totals == [
        {"http_requests": 4, "http_seconds": 0.03, "slept_seconds": 0.46, "probes": 2},
        {"http_requests": 1, "http_seconds": 0.01, "slept_seconds": 0.0, "probes": 0},
    ]


def test_given_parsed_facts_and_a_sized_anchor_when_split_then_each_part_is_its_own_measure() -> None:
    facts = parse_log(LOG.splitlines())

    result = split(facts, ours=4.0, anchor=1.5, sized_anchor=2.0, operation_seconds=0.2, parallelism=2)

    parts = result["parts_seconds"]
    assert sum(parts.values()) == pytest.approx(2.5, abs=0.02)
    assert parts["provider start-ups"] == pytest.approx(1.0)
    assert parts["Terraform itself, for a state as large as ours"] == pytest.approx(0.5)
    assert parts["HTTP to the API"] == pytest.approx(0.02)  # (0.03 + 0.01) s over 2 slots
    # creates spent 0.05 + 0.10 s beyond their 0.2 s deployment, 0.04 s of it in HTTP: 0.11 s over 2 slots
    assert parts["waiting past the deployment, and the provider's work in operations"] == pytest.approx(
        0.055, abs=0.006
    )
    assert result["largest"] == "provider start-ups"
    assert result["launches"] == 3


def test_given_no_sized_anchor_when_split_then_terraform_itself_is_left_in_the_rest() -> None:
    facts = parse_log(LOG.splitlines())

    result = split(facts, ours=4.0, anchor=1.5, sized_anchor=None, operation_seconds=0.2, parallelism=2)

    assert "Terraform itself, for a state as large as ours" not in result["parts_seconds"]
    assert sum(result["parts_seconds"].values()) == pytest.approx(2.5, abs=0.02)
