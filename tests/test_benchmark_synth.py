"""Benchmark 1's helpers: comparing what two stacks synthesized, and the CDK Terrain rows (no timing asserted)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synth import framework_process, frameworks, frameworks_rows
from benchmarks.synth_stacks import bodies_digest, resource_bodies


def _document(connection_id: str, policy_id: str, model_id: str) -> dict[str, Any]:
    """A synthesized gateway stack of one endpoint whose resources have the given logical ids."""
    return {
        "resource": {
            "blaxel_model": {
                model_id: {
                    "//": {"metadata": {"path": f"bench/{model_id}"}},
                    "name": "endpoint-0000",
                    "integration_connections": [f"${{blaxel_integration_connection.{connection_id}.name}}"],
                    "policies": [f"${{blaxel_policy.{policy_id}.name}}"],
                },
            },
            "blaxel_integration_connection": {
                connection_id: {"name": "openai-0000", "secret_wo": {"apiKey": "${var.OPENAI_API_KEY}"}},
            },
            "blaxel_policy": {policy_id: {"name": "eu-only-0000", "type": "location"}},
        }
    }


def test_given_references_to_differently_named_resources_when_compared_then_the_bodies_are_the_same() -> None:
    ours = resource_bodies(_document("c0_47D17CFF", "p0_B02A8F65", "e0_6FE926C1"))
    plain = resource_bodies(_document("c0", "p0", "e0"))

    assert ours == plain
    assert bodies_digest(ours) == bodies_digest(plain)
    assert ours["blaxel_model"][0] == {
        "name": "endpoint-0000",
        "integration_connections": ["${blaxel_integration_connection.<openai-0000>.name}"],
        "policies": ["${blaxel_policy.<eu-only-0000>.name}"],
    }


def test_given_a_reference_to_another_resource_when_compared_then_the_bodies_differ() -> None:
    document = _document("c0", "p0", "e0")
    other = _document("c0", "p0", "e0")
    other["resource"]["blaxel_policy"]["p1"] = {"name": "eu-only-0001", "type": "location"}
    other["resource"]["blaxel_model"]["e0"]["policies"] = ["${blaxel_policy.p1.name}"]
    document["resource"]["blaxel_policy"]["p1"] = {"name": "eu-only-0001", "type": "location"}

    assert resource_bodies(document) != resource_bodies(other)
    assert bodies_digest(resource_bodies(document)) != bodies_digest(resource_bodies(other))


def test_given_bodies_in_another_order_when_compared_then_they_are_sorted_by_name() -> None:
    first = {"resource": {"blaxel_policy": {"a": {"name": "b"}, "b": {"name": "a"}}}}
    second = {"resource": {"blaxel_policy": {"b": {"name": "a"}, "a": {"name": "b"}}}}

    assert resource_bodies(first) == resource_bodies(second) == {"blaxel_policy": [{"name": "a"}, {"name": "b"}]}


def _result(ms: float, ratio: float, digest: str) -> dict[str, Any]:
    return {
        "endpoints": 1000,
        "ours_ms": ms,
        "anchor_ms": ms / ratio,
        "ratio": ratio,
        "same_resources_synthesized": True,
        "bodies_digest": digest,
    }


def test_given_both_frameworks_synthesized_the_same_json_then_the_rows_compare_them_and_check_cdktn_alone() -> None:
    own, between = frameworks_rows(_result(2.6, 1.2, "abc"), _result(2.4, 1.1, "abc"))

    assert own.metric == "synth 1,000 endpoints on cdktn: ms per endpoint"
    assert own.met is True
    assert between.ours == 2.6
    assert between.anchor == 2.4
    assert between.ratio == pytest.approx(2.6 / 2.4)
    assert between.met is None
    assert "1.20x on cdktn and 1.10x on cdktf" in between.notes[0]


def test_given_the_frameworks_synthesized_different_json_then_the_comparison_is_not_met_and_says_why() -> None:
    _, between = frameworks_rows(_result(2.6, 1.2, "abc"), _result(2.4, 1.1, "def"))

    assert between.met is False
    assert any("different resource bodies" in note for note in between.notes)


def test_given_no_cdktn_interpreter_then_the_row_says_how_to_create_it_and_is_not_met(tmp_path: Path) -> None:
    rows, details = frameworks(tmp_path / "missing" / "python")

    assert details == {}
    assert len(rows) == 1
    assert rows[0].met is False
    assert "make setup-cdktn" in str(rows[0].ours)


def test_given_a_framework_the_interpreter_lacks_when_measured_then_the_error_says_which_and_why() -> None:
    missing = next((name for name in ("cdktn", "cdktf") if importlib.util.find_spec(name) is None), None)
    if missing is None:
        pytest.skip("this interpreter has both frameworks")

    with pytest.raises(RuntimeError, match=rf"{missing} synth process exited 1: .*{missing}"):
        framework_process(Path(sys.executable), missing, count=1, warmups=0, repeats=1)


def test_given_cdktn_misses_the_target_then_its_row_is_not_met_and_says_what_bounds_it() -> None:
    own, _ = frameworks_rows(_result(3.0, 1.5, "abc"), _result(2.4, 1.1, "abc"))

    assert own.met is False
    assert any("missed; what bounds it: each construct is an L2" in note for note in own.notes)
