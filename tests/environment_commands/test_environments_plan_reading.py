"""Reading one environment's saved plan (``terraform show -json``): drift by attribute, pending changes."""

from __future__ import annotations

from typing import Any

from blaxel_constructs.environment_commands.plan_reading import (
    SENSITIVE,
    UNKNOWN,
    AttributeChange,
    computed_attributes,
    needs_schema,
    read_plan,
)

CHAT = "blaxel_model.chat_22ADE1FF"
SCHEMAS = {
    "provider_schemas": {
        "registry.terraform.io/blaxel-constructs/blaxel": {
            "resource_schemas": {
                "blaxel_model": {
                    "block": {
                        "attributes": {
                            "name": {"type": "string", "required": True},
                            "status": {"type": "string", "computed": True},
                            "updated_at": {"type": "string", "computed": True},
                            "enabled": {"type": "bool", "optional": True, "computed": True},
                            "labels": {"type": ["map", "string"], "optional": True},
                            "secret": {"type": ["map", "string"], "optional": True, "sensitive": True},
                            "runtime": {
                                "nested_type": {
                                    "attributes": {
                                        "model": {"type": "string", "optional": True},
                                        "endpoint_url": {"type": "string", "computed": True},
                                    },
                                    "nesting_mode": "single",
                                },
                                "required": True,
                            },
                        }
                    }
                }
            }
        }
    }
}


def _model(model: str, *, status: str = "DEPLOYED", updated_at: str = "t1", **extra: Any) -> dict[str, Any]:
    return {
        "name": "chat-staging",
        "status": status,
        "updated_at": updated_at,
        "enabled": True,
        "labels": {"tier": "staging"},
        "runtime": {"model": model, "endpoint_url": "https://e/1"},
        **extra,
    }


def _change(actions: list[str], before: Any, after: Any, **extra: Any) -> dict[str, Any]:
    return {
        "address": CHAT,
        "mode": "managed",
        "type": "blaxel_model",
        "change": {"actions": actions, "before": before, "after": after, **extra},
    }


def _plan(
    *, drift: tuple[Any, ...] | list[Any] = (), changes: tuple[Any, ...] | list[Any] = (), resources: int = 3
) -> dict[str, Any]:
    state = [{"address": f"blaxel_model.m{i}", "mode": "managed"} for i in range(resources)]
    return {
        "resource_drift": list(drift),
        "resource_changes": list(changes),
        "prior_state": {"values": {"root_module": {"resources": [*state, {"address": "data.x.y", "mode": "data"}]}}},
    }


def test_a_model_changed_outside_terraform_is_drift_of_that_attribute_old_to_new_without_its_computed_ones() -> None:
    plan = _plan(
        drift=[_change(["update"], _model("gpt-4.1"), _model("gpt-4.1-mini", status="DEPLOYING", updated_at="t2"))]
    )

    reading = read_plan(plan, SCHEMAS)

    (drift,) = reading.drift
    assert (drift.address, drift.action) == (CHAT, "update")
    assert drift.attributes == (AttributeChange("runtime.model", "gpt-4.1", "gpt-4.1-mini"),)
    assert reading.pending == ()
    assert reading.resources == 3


def test_the_update_that_would_undo_it_is_pending_with_the_same_attribute_and_no_unknown_computed_ones() -> None:
    after = _model("gpt-4.1", status=None, updated_at=None)
    plan = _plan(
        changes=[
            _change(["update"], _model("gpt-4.1-mini"), after, after_unknown={"status": True, "updated_at": True}),
            _change(["no-op"], _model("x"), _model("x")),
        ]
    )

    (pending,) = read_plan(plan, SCHEMAS).pending

    assert pending.attributes == (AttributeChange("runtime.model", "gpt-4.1-mini", "gpt-4.1"),)


def test_a_label_added_outside_terraform_is_drift_of_that_label() -> None:
    after = _model("gpt-4.1")
    after["labels"] = {"tier": "staging", "owner": "someone"}

    (drift,) = read_plan(_plan(drift=[_change(["update"], _model("gpt-4.1"), after)]), SCHEMAS).drift

    assert drift.attributes == (AttributeChange("labels.owner", None, "someone"),)


def test_a_change_of_computed_attributes_only_is_no_drift_once_the_schema_says_they_are_computed() -> None:
    refreshed = _model("gpt-4.1", status="DEPLOYING", updated_at="t2")
    refreshed["runtime"]["endpoint_url"] = "https://e/2"

    (drift,) = read_plan(_plan(drift=[_change(["update"], _model("gpt-4.1"), refreshed)]), SCHEMAS).drift

    assert drift.attributes == ()
    assert computed_attributes(
        SCHEMAS["provider_schemas"]["registry.terraform.io/blaxel-constructs/blaxel"]["resource_schemas"][
            "blaxel_model"
        ]["block"]
    ) == {("status",), ("updated_at",), ("runtime", "endpoint_url")}


def test_a_sensitive_value_is_never_shown() -> None:
    before, after = _model("m", secret={"apiKey": "old-key"}), _model("m", secret={"apiKey": "new-key"})
    change = _change(["update"], before, after, before_sensitive={"secret": True}, after_sensitive={"secret": True})

    (drift,) = read_plan(_plan(drift=[change]), SCHEMAS).drift

    assert drift.attributes == (AttributeChange("secret", SENSITIVE, SENSITIVE),)


def test_a_model_deleted_outside_terraform_is_drift_and_its_creation_is_pending_and_it_still_counts_in_state() -> None:
    plan = _plan(
        drift=[_change(["delete"], _model("m"), None)],
        changes=[_change(["create"], None, _model("m")), _change(["read"], None, {})],
        resources=2,
    )

    reading = read_plan(plan, SCHEMAS)

    assert [(c.action, c.attributes) for c in reading.drift] == [("delete", ())]
    assert [c.action for c in reading.pending] == ["create"]
    assert reading.resources == 3


def test_a_replacement_is_one_pending_replace_with_what_forces_it() -> None:
    before, after = _model("m"), {**_model("m"), "name": "chat-renamed"}
    plan = _plan(changes=[_change(["delete", "create"], before, after, after_unknown={"status": True})])

    (pending,) = read_plan(plan, SCHEMAS).pending

    assert pending.action == "replace"
    assert pending.attributes == (AttributeChange("name", "chat-staging", "chat-renamed"),)


def test_without_a_schema_unknown_values_are_shown_as_known_after_apply() -> None:
    plan = _plan(changes=[_change(["update"], _model("a"), _model("b", status=None), after_unknown={"status": True})])

    (pending,) = read_plan(plan).pending

    assert AttributeChange("status", "DEPLOYED", UNKNOWN) in pending.attributes


def test_only_a_plan_with_drift_or_a_change_needs_the_schema() -> None:
    assert not needs_schema(_plan(changes=[_change(["no-op"], {}, {}), _change(["read"], None, {})]))
    assert needs_schema(_plan(changes=[_change(["create"], None, {})]))
    assert needs_schema(_plan(drift=[_change(["update"], {}, {})]))
