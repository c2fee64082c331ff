"""What BlaxelClient sends and decodes for integration connections and policies: paths, bodies, errors, lists."""

from __future__ import annotations

from typing import Any

import pytest

from blaxel_constructs.errors import ConflictError, NotFoundError, ServerError, SpecError

from .fakes import FakeClock, Reply, client_with, retry_on


def connection(name: str = "openai-prod") -> dict[str, Any]:
    return {
        "metadata": {"name": name, "workspace": "my-team"},
        "spec": {"integration": "openai", "config": {"region": "us"}, "secret": {"apiKey": "********"}},
    }


def policy(name: str = "eu-only") -> dict[str, Any]:
    return {
        "metadata": {"name": name, "workspace": "my-team"},
        "spec": {"type": "location", "locations": [{"name": "eu", "type": "continent"}]},
    }


def test_given_a_connection_document_when_creating_then_it_is_posted_with_its_secret() -> None:
    document = {"metadata": {"name": "openai-prod"}, "spec": {"integration": "openai", "secret": {"apiKey": "sk-1"}}}
    client, adapter = client_with(Reply(200, connection()))

    created = client.create_integration_connection(document)

    assert (adapter.sent[0].method, adapter.sent[0].path_and_query) == ("POST", "/integrations/connections")
    assert adapter.sent[0].body == document
    assert created["spec"]["secret"] == {"apiKey": "********"}


def test_given_a_connection_name_when_getting_updating_and_deleting_then_each_goes_to_its_path() -> None:
    client, adapter = client_with(Reply(200, connection()), Reply(200, connection()), Reply(200, connection()))

    client.get_integration_connection("openai-prod")
    client.update_integration_connection("openai-prod", {"metadata": {"name": "openai-prod"}, "spec": {}})
    client.delete_integration_connection("openai-prod")

    assert [(s.method, s.path_and_query) for s in adapter.sent] == [
        ("GET", "/integrations/connections/openai-prod"),
        ("PUT", "/integrations/connections/openai-prod"),
        ("DELETE", "/integrations/connections/openai-prod"),
    ]
    assert adapter.sent[1].body == {"metadata": {"name": "openai-prod"}, "spec": {}}


def test_given_a_name_with_a_slash_when_getting_a_connection_then_it_cannot_change_the_path() -> None:
    client, adapter = client_with(Reply(200, connection()))

    client.get_integration_connection("a/../models")

    assert adapter.sent[0].path_and_query == "/integrations/connections/a%2F..%2Fmodels"


def test_given_an_empty_name_when_getting_a_connection_or_policy_then_a_spec_error_is_raised_before_sending() -> None:
    client, adapter = client_with()

    with pytest.raises(SpecError, match="integration connection name is required"):
        client.get_integration_connection("")
    with pytest.raises(SpecError, match="policy name is required"):
        client.delete_policy("")
    assert adapter.sent == []


def test_given_a_connection_in_use_when_deleting_then_the_409_is_raised_with_the_api_message() -> None:
    body = {"code": 409, "error": "Conflict", "message": "in use by models: chat, summarize"}
    client, _ = client_with(Reply(409, body))

    with pytest.raises(ConflictError, match="in use by models: chat, summarize"):
        client.delete_integration_connection("openai-prod")


def test_given_a_missing_connection_when_getting_it_then_not_found_is_raised() -> None:
    client, _ = client_with(Reply(404, {"code": 404, "error": "Not found", "message": "no connection"}))

    with pytest.raises(NotFoundError):
        client.get_integration_connection("nope")


def test_given_a_delete_answered_with_an_empty_body_then_an_empty_document_is_returned() -> None:
    client, _ = client_with(Reply(200, raw=b""), Reply(200, raw=b" "))

    assert client.delete_integration_connection("openai-prod") == {}
    assert client.delete_policy("eu-only") == {}


def test_given_a_bare_array_when_listing_connections_then_every_connection_is_returned() -> None:
    client, adapter = client_with(Reply(200, [connection("a"), connection("b")]))

    listed = client.list_integration_connections()

    assert [c["metadata"]["name"] for c in listed] == ["a", "b"]
    assert adapter.sent[0].path_and_query == "/integrations/connections"


def test_given_a_paginated_api_version_when_listing_policies_then_cursors_are_followed() -> None:
    client, adapter = client_with(
        Reply(200, {"data": [policy("a")], "meta": {"hasMore": True, "nextCursor": "c1"}}),
        Reply(200, {"data": [policy("b")], "meta": {"hasMore": False}}),
        api_version="2026-04-28",
    )

    listed = client.list_policies()

    assert [p["metadata"]["name"] for p in listed] == ["a", "b"]
    assert [s.path_and_query for s in adapter.sent] == ["/policies?limit=200", "/policies?limit=200&cursor=c1"]


def test_given_a_policy_when_creating_getting_updating_and_deleting_then_each_goes_to_its_path() -> None:
    document = {"metadata": {"name": "eu-only"}, "spec": {"type": "location"}}
    client, adapter = client_with(*(Reply(200, policy()) for _ in range(4)))

    client.create_policy(document)
    client.get_policy("eu-only")
    client.update_policy("eu-only", document)
    client.delete_policy("eu-only")

    assert [(s.method, s.path_and_query) for s in adapter.sent] == [
        ("POST", "/policies"),
        ("GET", "/policies/eu-only"),
        ("PUT", "/policies/eu-only"),
        ("DELETE", "/policies/eu-only"),
    ]
    assert adapter.sent[0].body == adapter.sent[2].body == document


def test_given_a_policy_when_asking_its_usages_then_the_usages_object_is_returned() -> None:
    usages = {"models": [{"name": "chat"}], "agents": [], "functions": [], "jobs": [], "sandboxes": []}
    client, adapter = client_with(Reply(200, usages))

    assert client.policy_usages("eu-only") == usages
    assert adapter.sent[0].path_and_query == "/policies/eu-only/usages"


def test_given_a_transient_failure_when_getting_a_connection_then_it_is_retried_within_the_deadline() -> None:
    clock = FakeClock()
    client, adapter = client_with(Reply(503), Reply(200, connection()), retry=retry_on(clock))

    got = client.get_integration_connection("openai-prod", deadline=clock() + 60)

    assert got["metadata"]["name"] == "openai-prod"
    assert len(adapter.sent) == 2


def test_given_a_5xx_when_creating_a_connection_then_the_post_is_not_replayed() -> None:
    clock = FakeClock()
    client, adapter = client_with(Reply(502), Reply(200, connection()), retry=retry_on(clock))

    with pytest.raises(ServerError):
        client.create_integration_connection({"metadata": {"name": "x"}, "spec": {}}, deadline=clock() + 60)
    assert len(adapter.sent) == 1
