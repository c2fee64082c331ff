"""State <-> document translation: what the provider records, and why plans after an apply are empty."""

from __future__ import annotations

from typing import Any

from blaxel_constructs.kinds import MODEL

ALL_KEYS = [attr.name for attr in MODEL.attributes]

PLANNED: dict[str, Any] = {
    "name": "chat",
    "display_name": "Chat",
    "external_id": None,
    "labels": {"team": "ml"},
    "enabled": True,
    "sandbox": False,
    "flavors": [{"name": "t4", "type": "cpu"}],
    "integration_connections": None,
    "policies": ["p1", "p2"],
    "runtime": {"type": "openai", "model": "gpt-4.1", "endpoint_name": None, "organization": None, "generation": None},
    "timeouts": {"create": "5m", "update": None, "delete": None},
}

REMOTE: dict[str, Any] = {
    "metadata": {
        "name": "chat",
        "displayName": "Chat",
        "labels": {"team": "ml"},
        "workspace": "ws",
        "url": "https://run.blaxel.ai/ws/models/chat",
        "createdAt": "2026-01-01T00:00:00Z",
        "updatedAt": "2026-01-01T00:00:01Z",
        "createdBy": "alice",
        "updatedBy": "alice",
        "plan": "free",
    },
    "spec": {
        "enabled": True,
        "sandbox": False,
        "flavors": [{"name": "t4", "type": "cpu"}],
        "policies": ["p2", "p1"],
        "runtime": {"type": "openai", "model": "gpt-4.1"},
        "integrationConnections": [],
    },
    "status": "DEPLOYED",
}


def test_the_document_sent_holds_every_managed_argument_in_camel_case_and_nothing_local() -> None:
    document = MODEL.document_of(PLANNED)

    assert document == {
        "metadata": {"name": "chat", "displayName": "Chat", "labels": {"team": "ml"}},
        "spec": {
            "enabled": True,
            "sandbox": False,
            "flavors": [{"name": "t4", "type": "cpu"}],
            "policies": ["p1", "p2"],
            "runtime": {"type": "openai", "model": "gpt-4.1"},
        },
    }


def test_state_from_a_document_has_every_attribute_key() -> None:
    state = MODEL.state_of(REMOTE)

    assert set(state) == set(ALL_KEYS)
    assert state["id"] == "chat"
    assert state["status"] == "DEPLOYED"
    assert state["created_at"] == "2026-01-01T00:00:00Z"


def test_remote_spellings_of_nothing_and_remote_list_order_keep_the_planned_values() -> None:
    state = MODEL.state_of(REMOTE, prior=PLANNED)

    for key in ("integration_connections", "policies", "runtime", "labels", "flavors", "external_id"):
        assert state[key] == PLANNED[key], key
    assert state["timeouts"] == {"create": "5m", "update": None, "delete": None}


def test_a_real_remote_change_is_reported_as_drift() -> None:
    drifted = {**REMOTE, "spec": {**REMOTE["spec"], "runtime": {"type": "openai", "model": "gpt-4o"}}}

    state = MODEL.state_of(drifted, prior=PLANNED)

    assert state["runtime"]["model"] == "gpt-4o"


def test_absent_booleans_read_as_the_api_defaults_on_import() -> None:
    bare = {"metadata": {"name": "chat"}, "spec": {"runtime": {"type": "openai"}}}

    state = MODEL.state_of(bare)

    assert state["enabled"] is True
    assert state["sandbox"] is False
    assert state["labels"] is None
    assert state["runtime"] == {
        "type": "openai",
        "model": None,
        "endpoint_name": None,
        "organization": None,
        "generation": None,
    }
