"""The benchmarks' where-the-time-goes parser over a Terraform log written here (no Terraform run, no timing)."""

from __future__ import annotations

import pytest

from benchmarks.breakdown import parse_log, split

LOG = """\
2026-11-30T10:50:06.703Z [DEBUG] provider: plugin started: path=terraform-provider-blaxel pid=1
2026-11-30T10:50:07.003Z [DEBUG] provider: using plugin: version=6
2026-11-30T10:50:07.100Z [DEBUG] provider.stdio: received EOF, stopping recv loop: err=EOF
2026-11-30T10:50:07.300Z [DEBUG] provider: plugin exited
2026-11-30T10:50:08.000Z [DEBUG] provider: plugin started: path=terraform-provider-blaxel pid=2
2026-11-30T10:50:08.500Z [DEBUG] provider: using plugin: version=6
2026-11-30T10:50:09.000Z [DEBUG] blaxel_model.m0: applying the planned Create change
2026-11-30T10:50:09.000Z [DEBUG] blaxel_model.m1: applying the planned Create change
2026-11-30T10:50:09.300Z [DEBUG] provider.terraform-provider-blaxel: DEBUG blaxel_constructs.provider: timing \
action=create name=m0 seconds=0.2500 http_requests=2 http_seconds=0.0100 slept_seconds=0.2200 probes=1
2026-11-30T10:50:09.310Z [DEBUG] State storage *statemgr.Filesystem declined to persist a state snapshot
2026-11-30T10:50:09.400Z [DEBUG] provider.terraform-provider-blaxel: DEBUG blaxel_constructs.provider: timing \
action=create name=m1 seconds=0.3000 http_requests=4 http_seconds=0.0300 slept_seconds=0.4600 probes=2
2026-11-30T10:50:09.410Z [DEBUG] State storage *statemgr.Filesystem declined to persist a state snapshot
2026-11-30T10:50:09.610Z [DEBUG] provider: plugin exited
"""


def test_given_an_apply_log_when_parsed_then_launches_operations_and_the_last_totals_are_read() -> None:
    facts = parse_log(LOG.splitlines())

    assert facts.handshakes == pytest.approx([0.3, 0.5])
    assert facts.shutdowns == pytest.approx([0.2, 0.21])
    assert facts.operation_seconds == {"create": [0.25, 0.3]}
    assert facts.totals == [{"http_requests": 4, "http_seconds": 0.03, "slept_seconds": 0.46, "probes": 2}]
    assert facts.walk_seconds == pytest.approx(0.41)


def test_given_parsed_facts_when_split_then_the_parts_add_up_to_the_extra_time_and_the_largest_is_named() -> None:
    facts = parse_log(LOG.splitlines())

    result = split(facts, ours=3.0, anchor=1.5, operations=2, operation_seconds=0.2, parallelism=2)

    assert sum(result["parts_seconds"].values()) == pytest.approx(1.5, abs=0.02)
    assert result["parts_seconds"]["provider start-ups and shut-downs"] == pytest.approx(1.21)
    assert result["parts_seconds"]["polling past the deployment"] == pytest.approx(0.03)
    assert result["largest"] == "provider start-ups and shut-downs"
