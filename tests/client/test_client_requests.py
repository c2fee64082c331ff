"""What BlaxelClient sends: method, path, headers, body and timeouts of each models endpoint."""

from __future__ import annotations

import pytest

from blaxel_constructs._version import __version__
from blaxel_constructs.client import BlaxelClient, ClientConfig
from blaxel_constructs.errors import ConfigurationError, SpecError

from .fakes import API_KEY, Reply, client_with, model


def test_given_an_api_key_and_workspace_when_getting_a_model_then_every_header_is_sent() -> None:
    client, adapter = client_with(Reply(200, model()))

    client.get_model("my-model")

    headers = adapter.sent[0].headers
    assert headers["Authorization"] == f"Bearer {API_KEY}"
    assert headers["X-Blaxel-Workspace"] == "my-team"
    assert headers["Blaxel-Version"] == "2026-04-16"
    assert headers["Accept"] == "application/json"
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == f"blaxel-constructs/{__version__}"


def test_given_no_workspace_when_sending_then_the_workspace_header_is_left_out() -> None:
    client, adapter = client_with(Reply(200, model()), workspace=None, api_version="2026-04-28")

    client.get_model("my-model")

    assert "X-Blaxel-Workspace" not in adapter.sent[0].headers
    assert adapter.sent[0].headers["Blaxel-Version"] == "2026-04-28"


def test_given_configured_timeouts_when_sending_then_connect_and_read_timeouts_are_passed() -> None:
    client, adapter = client_with(Reply(200, model()), connect_timeout=2.0, read_timeout=9.0)

    client.get_model("my-model")

    assert adapter.sent[0].timeout == (2.0, 9.0)


def test_given_a_document_when_creating_then_it_is_posted_and_the_200_answer_returned() -> None:
    document = {"metadata": {"name": "my-model"}, "spec": {"runtime": {"type": "openai"}}}
    client, adapter = client_with(Reply(200, model(status="DEPLOYING")))

    created = client.create_model(document)

    assert (adapter.sent[0].method, adapter.sent[0].path_and_query) == ("POST", "/models")
    assert adapter.sent[0].body == document
    assert created["status"] == "DEPLOYING"


def test_given_a_document_when_updating_then_the_full_document_is_put_to_the_model_path() -> None:
    document = {"metadata": {"name": "my-model"}, "spec": {"enabled": False}}
    client, adapter = client_with(Reply(200, model()))

    client.update_model("my-model", document)

    assert (adapter.sent[0].method, adapter.sent[0].path_and_query) == ("PUT", "/models/my-model")
    assert adapter.sent[0].body == document


def test_given_a_model_when_deleting_then_the_deleted_document_is_returned() -> None:
    client, adapter = client_with(Reply(200, model(status="DELETING")))

    deleted = client.delete_model("my-model")

    assert (adapter.sent[0].method, adapter.sent[0].path_and_query) == ("DELETE", "/models/my-model")
    assert deleted["status"] == "DELETING"


def test_given_an_empty_delete_answer_when_deleting_then_an_empty_document_is_returned() -> None:
    client, _ = client_with(Reply(200))

    assert client.delete_model("my-model") == {}


def test_given_a_name_with_reserved_characters_when_getting_then_it_is_percent_encoded() -> None:
    client, adapter = client_with(Reply(200, model()))

    client.get_model("a/b?c d")

    assert adapter.sent[0].url == "https://api.test/v0/models/a%2Fb%3Fc%20d"


def test_given_an_empty_name_when_getting_then_it_fails_before_sending() -> None:
    client, adapter = client_with()

    with pytest.raises(SpecError, match="name"):
        client.get_model("")
    assert adapter.sent == []


def test_given_an_invalid_config_when_building_a_client_then_it_fails_at_once() -> None:
    with pytest.raises(ConfigurationError):
        BlaxelClient(ClientConfig())


def test_given_a_client_when_printed_then_the_api_key_is_not_shown() -> None:
    client, _ = client_with()

    assert API_KEY not in repr(client)
    assert "https://api.test/v0" in repr(client)


def test_given_a_client_used_as_a_context_manager_when_leaving_then_it_closes() -> None:
    with BlaxelClient(ClientConfig(api_key="k")) as client:
        assert isinstance(client, BlaxelClient)
