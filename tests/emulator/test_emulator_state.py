"""The pure state machine, driven by a fake clock and an in-memory store: no HTTP, no sleeps."""

from __future__ import annotations

import pytest

from blaxel_constructs.emulator.model_lifecycle import (
    ModelAlreadyExists,
    ModelBeingDeleted,
    ModelNotFound,
    ModelStateMachine,
)
from blaxel_constructs.emulator.records import ModelRecord, rfc3339
from blaxel_constructs.emulator.settings import DEFAULT_FAIL_MESSAGE, LifecycleSettings
from tests.support.clock import FakeClock

from .documents import full_document, model_document
from .fakes import MemoryRecordStore

WS = "ws"
ALICE = "apikey-alice"
BOB = "apikey-bob"


def machine_over(
    store: MemoryRecordStore, clock: FakeClock, *, deploy: float = 2.0, delete: float = 0.5, **settings: object
) -> ModelStateMachine:
    lifecycle = LifecycleSettings(deploy_seconds=deploy, delete_seconds=delete).changed(settings)
    return ModelStateMachine(store, clock=clock, settings=lifecycle, run_url="https://run.blaxel.ai", plan="free")


@pytest.fixture
def machine(store: MemoryRecordStore, clock: FakeClock) -> ModelStateMachine:
    return machine_over(store, clock)


def statuses(events: list[dict[str, str]]) -> list[str]:
    return [event["status"] for event in events]


def test_given_a_new_model_when_created_then_it_is_deploying_with_one_started_event(
    machine: ModelStateMachine, clock: FakeClock
) -> None:
    model = machine.create(WS, model_document("m1"), identity=ALICE)

    assert model["status"] == "DEPLOYING"
    assert model["events"] == [
        {
            "type": "deployment",
            "status": "DEPLOYING",
            "message": "Deployment started",
            "time": rfc3339(clock.now),
            "revision": model["events"][0]["revision"],
        }
    ]
    assert model["events"][0]["revision"].startswith("rev-")


def test_given_a_deploying_model_when_deploy_seconds_pass_then_it_is_deployed_with_a_success_event(
    machine: ModelStateMachine, clock: FakeClock
) -> None:
    machine.create(WS, model_document("m1"), identity=ALICE)

    clock.advance(1.999)
    assert machine.get(WS, "m1")["status"] == "DEPLOYING"
    clock.advance(0.001)
    model = machine.get(WS, "m1")

    assert model["status"] == "DEPLOYED"
    assert statuses(model["events"]) == ["DEPLOYING", "DEPLOYED"]
    assert model["events"][-1]["message"] == "Deployment successful"


def test_given_a_name_matching_fail_names_when_created_then_it_ends_failed_with_the_fail_message(
    store: MemoryRecordStore, clock: FakeClock
) -> None:
    machine = machine_over(store, clock, fail_names=["doomed-*"], fail_message="quota exceeded")
    machine.create(WS, model_document("doomed-1"), identity=ALICE)
    assert machine.get(WS, "doomed-1")["status"] == "DEPLOYING"

    clock.advance(2)
    model = machine.get(WS, "doomed-1")

    assert model["status"] == "FAILED"
    assert model["events"][-1] == {**model["events"][-1], "status": "FAILED", "message": "quota exceeded"}


def test_given_default_settings_when_a_name_fails_then_the_message_names_the_emulator(
    store: MemoryRecordStore, clock: FakeClock
) -> None:
    machine = machine_over(store, clock, deploy=0, fail_names=["*"])

    model = machine.create(WS, model_document("m1"), identity=ALICE)

    assert model["status"] == "FAILED"
    assert model["events"][-1]["message"] == DEFAULT_FAIL_MESSAGE


def test_given_enabled_false_when_created_then_it_deactivates_instead_of_deploying(
    machine: ModelStateMachine, clock: FakeClock
) -> None:
    assert machine.create(WS, model_document("m1", enabled=False), identity=ALICE)["status"] == "DEACTIVATING"

    clock.advance(2)
    model = machine.get(WS, "m1")

    assert model["status"] == "DEACTIVATED"
    assert statuses(model["events"]) == ["DEACTIVATING", "DEACTIVATED"]


def test_given_a_document_when_created_then_it_is_echoed_exactly_plus_server_metadata(
    machine: ModelStateMachine, clock: FakeClock
) -> None:
    sent = full_document("m1")

    model = machine.create(WS, sent, identity=ALICE)

    assert model["spec"] == sent["spec"]
    server_set = {"workspace", "url", "plan", "createdAt", "updatedAt", "createdBy", "updatedBy"}
    assert {k: v for k, v in model["metadata"].items() if k not in server_set} == sent["metadata"]
    assert model["metadata"]["workspace"] == WS
    assert model["metadata"]["url"] == "https://run.blaxel.ai/ws/models/m1"
    assert model["metadata"]["plan"] == "free"
    assert model["metadata"]["createdAt"] == model["metadata"]["updatedAt"] == rfc3339(clock.now)
    assert model["metadata"]["createdBy"] == model["metadata"]["updatedBy"] == ALICE


def test_given_a_spec_without_enabled_when_created_then_no_default_is_added(machine: ModelStateMachine) -> None:
    model = machine.create(WS, {"metadata": {"name": "m1"}, "spec": {}}, identity=ALICE)

    assert model["spec"] == {}
    assert model["metadata"].keys() >= {"name"}
    assert "displayName" not in model["metadata"]


def test_given_an_existing_model_when_created_again_then_it_conflicts(machine: ModelStateMachine) -> None:
    machine.create(WS, model_document("m1"), identity=ALICE)

    with pytest.raises(ModelAlreadyExists, match="Resource already exists: m1"):
        machine.create(WS, model_document("m1"), identity=ALICE)


def test_given_the_same_name_in_two_workspaces_when_created_then_both_exist_apart(
    machine: ModelStateMachine,
) -> None:
    machine.create("ws-a", model_document("m1"), identity=ALICE)
    machine.create("ws-b", model_document("m1", enabled=False), identity=ALICE)

    assert [m["metadata"]["workspace"] for m in machine.list("ws-a")] == ["ws-a"]
    assert machine.get("ws-b", "m1")["spec"]["enabled"] is False


def test_given_a_deployed_model_when_updated_then_a_new_revision_deploys_and_history_grows(
    machine: ModelStateMachine, clock: FakeClock
) -> None:
    created = machine.create(WS, model_document("m1"), identity=ALICE)
    clock.advance(5)

    updated = machine.update(WS, "m1", model_document("m1", sandbox=True), identity=BOB)

    assert updated["status"] == "DEPLOYING"
    assert updated["spec"]["sandbox"] is True
    assert updated["metadata"]["createdAt"] == created["metadata"]["createdAt"]
    assert updated["metadata"]["createdBy"] == ALICE
    assert updated["metadata"]["updatedBy"] == BOB
    assert updated["metadata"]["updatedAt"] == rfc3339(clock.now)
    assert statuses(updated["events"]) == ["DEPLOYING", "DEPLOYED", "DEPLOYING"]
    first, second = created["events"][0]["revision"], updated["events"][-1]["revision"]
    assert first != second

    clock.advance(2)
    assert statuses(machine.get(WS, "m1")["events"]) == ["DEPLOYING", "DEPLOYED", "DEPLOYING", "DEPLOYED"]
    revisions = machine.revisions(WS, "m1")
    assert [(r["id"], r["active"], r["previousActive"], r["status"]) for r in revisions] == [
        (second, True, False, "DEPLOYED"),
        (first, False, True, "DEPLOYED"),
    ]
    assert [r["trafficPercent"] for r in revisions] == [100, 0]
    assert revisions[0]["createdBy"] == BOB


def test_given_a_deploying_model_when_updated_then_the_replaced_revision_never_reports_an_outcome(
    machine: ModelStateMachine, clock: FakeClock
) -> None:
    machine.create(WS, model_document("m1"), identity=ALICE)
    clock.advance(1)
    machine.update(WS, "m1", model_document("m1", enabled=False), identity=ALICE)

    clock.advance(2)
    model = machine.get(WS, "m1")

    assert statuses(model["events"]) == ["DEPLOYING", "DEACTIVATING", "DEACTIVATED"]
    assert [r["status"] for r in machine.revisions(WS, "m1")] == ["DEACTIVATED", "DEPLOYING"]


def test_given_an_update_when_it_omits_fields_then_they_are_gone_because_put_replaces_the_document(
    machine: ModelStateMachine,
) -> None:
    machine.create(WS, full_document("m1"), identity=ALICE)

    model = machine.update(WS, "m1", {"metadata": {"name": "m1"}, "spec": {"enabled": True}}, identity=ALICE)

    assert model["spec"] == {"enabled": True}
    assert "labels" not in model["metadata"]


def test_given_no_model_when_updated_deleted_or_read_then_it_is_not_found(machine: ModelStateMachine) -> None:
    with pytest.raises(ModelNotFound):
        machine.update(WS, "ghost", model_document("ghost"), identity=ALICE)
    with pytest.raises(ModelNotFound):
        machine.delete(WS, "ghost")
    with pytest.raises(ModelNotFound):
        machine.get(WS, "ghost")
    with pytest.raises(ModelNotFound):
        machine.revisions(WS, "ghost")


def test_given_a_model_when_deleted_then_it_is_deleting_and_then_gone(
    machine: ModelStateMachine, store: MemoryRecordStore, clock: FakeClock
) -> None:
    machine.create(WS, model_document("m1"), identity=ALICE)
    clock.advance(3)

    deleted = machine.delete(WS, "m1")

    assert deleted["status"] == "DELETING"
    assert deleted["events"][-1]["status"] == "DELETING"
    assert machine.get(WS, "m1")["status"] == "DELETING"
    assert [m["metadata"]["name"] for m in machine.list(WS)] == ["m1"]
    clock.advance(0.5)
    with pytest.raises(ModelNotFound):
        machine.get(WS, "m1")
    assert machine.list(WS) == []
    assert store.records == {}


def test_given_a_deleting_model_when_deleted_again_then_the_deletion_does_not_restart(
    machine: ModelStateMachine, clock: FakeClock
) -> None:
    machine.create(WS, model_document("m1"), identity=ALICE)
    machine.delete(WS, "m1")
    clock.advance(0.4)

    assert machine.delete(WS, "m1")["status"] == "DELETING"
    clock.advance(0.1)

    with pytest.raises(ModelNotFound):
        machine.get(WS, "m1")


def test_given_a_deleting_model_when_updated_or_recreated_then_it_conflicts_until_it_is_gone(
    machine: ModelStateMachine, clock: FakeClock
) -> None:
    machine.create(WS, model_document("m1"), identity=ALICE)
    machine.delete(WS, "m1")

    with pytest.raises(ModelBeingDeleted):
        machine.update(WS, "m1", model_document("m1"), identity=ALICE)
    with pytest.raises(ModelAlreadyExists):
        machine.create(WS, model_document("m1"), identity=ALICE)

    clock.advance(0.5)
    assert machine.create(WS, model_document("m1"), identity=ALICE)["status"] == "DEPLOYING"


def test_given_new_settings_when_applied_then_only_later_writes_use_them(
    machine: ModelStateMachine, clock: FakeClock
) -> None:
    machine.create(WS, model_document("before"), identity=ALICE)

    machine.configure({"deploy_seconds": 10.0, "fail_names": ["before", "after"]})
    machine.create(WS, model_document("after"), identity=ALICE)
    clock.advance(2)

    assert machine.get(WS, "before")["status"] == "DEPLOYED"
    assert machine.get(WS, "after")["status"] == "DEPLOYING"
    clock.advance(8)
    assert machine.get(WS, "after")["status"] == "FAILED"


def test_given_models_created_over_time_when_listed_then_newest_come_first(
    machine: ModelStateMachine, clock: FakeClock
) -> None:
    for name in ("a", "c", "b"):
        machine.create(WS, model_document(name), identity=ALICE)
        clock.advance(1)

    assert [m["metadata"]["name"] for m in machine.list(WS)] == ["b", "c", "a"]


def test_given_a_stored_deploying_model_when_a_new_machine_reads_it_later_then_the_deployment_has_finished(
    store: MemoryRecordStore, clock: FakeClock
) -> None:
    machine_over(store, clock, deploy=2).create(WS, model_document("m1"), identity=ALICE)

    clock.advance(2)
    restarted = machine_over(store, clock, deploy=0.1)

    assert restarted.get(WS, "m1")["status"] == "DEPLOYED"


def test_given_a_record_when_stored_as_json_then_it_reads_back_equal(
    machine: ModelStateMachine, store: MemoryRecordStore, clock: FakeClock
) -> None:
    machine.create(WS, full_document("m1"), identity=ALICE)
    clock.advance(1)
    machine.update(WS, "m1", full_document("m1"), identity=BOB)
    machine.delete(WS, "m1")
    stored = store.records[(WS, "m1")]

    record = ModelRecord.from_json(stored)

    assert record.to_json() == stored
    assert len(record.revisions) == 2
    assert record.deletion is not None


def test_given_a_record_of_an_unknown_layout_when_read_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported record version"):
        ModelRecord.from_json({"version": 99})


def test_given_an_epoch_timestamp_when_formatted_then_it_is_rfc3339_utc() -> None:
    assert rfc3339(1_736_937_000.9) == "2025-01-15T10:30:00Z"
