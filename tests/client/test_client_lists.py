"""Lists: a bare array before 2026-04-28, ``{data, meta}`` pages followed by cursor from then on."""

from __future__ import annotations

import pytest

from blaxel_constructs.errors import ServerError

from .fakes import Reply, client_with, model


def page(names: list[str], *, more: bool, cursor: str = "") -> Reply:
    data = [model(name) for name in names]
    return Reply(200, {"data": data, "meta": {"hasMore": more, "nextCursor": cursor, "total": 5}})


def test_given_the_initial_api_version_when_listing_then_the_bare_array_is_returned() -> None:
    client, adapter = client_with(Reply(200, [model("a"), model("b")]))

    models = client.list_models()

    assert [m["metadata"]["name"] for m in models] == ["a", "b"]
    assert adapter.sent[0].path_and_query == "/models"


def test_given_paginated_answers_when_listing_then_cursors_are_followed_until_has_more_is_false() -> None:
    client, adapter = client_with(
        page(["a", "b"], more=True, cursor="c1"),
        page(["c", "d"], more=True, cursor="c2"),
        page(["e"], more=False),
        api_version="2026-04-28",
    )

    models = client.list_models()

    assert [m["metadata"]["name"] for m in models] == ["a", "b", "c", "d", "e"]
    assert [s.path_and_query for s in adapter.sent] == [
        "/models?limit=200",
        "/models?limit=200&cursor=c1",
        "/models?limit=200&cursor=c2",
    ]


def test_given_a_bare_array_from_a_paginated_version_when_listing_then_it_is_still_understood() -> None:
    client, _ = client_with(Reply(200, [model("a")]), api_version="2026-04-28")

    assert len(client.list_models()) == 1


def test_given_has_more_without_a_cursor_when_listing_then_it_is_a_server_error_not_a_short_list() -> None:
    client, _ = client_with(page(["a"], more=True, cursor=""), api_version="2026-04-28")

    with pytest.raises(ServerError, match="nextCursor"):
        client.list_models()


def test_given_a_repeated_cursor_when_listing_then_it_stops_with_a_server_error() -> None:
    client, _ = client_with(
        page(["a"], more=True, cursor="same"), page(["b"], more=True, cursor="same"), api_version="2026-04-28"
    )

    with pytest.raises(ServerError, match="repeated"):
        client.list_models()


def test_given_an_object_that_is_not_a_list_when_listing_then_it_is_a_server_error() -> None:
    client, _ = client_with(Reply(200, {"items": []}))

    with pytest.raises(ServerError, match=r"expected a JSON array or \{data, meta\}"):
        client.list_models()


def test_given_a_model_when_listing_revisions_then_its_revisions_path_is_read() -> None:
    revisions = [{"id": "rev-1", "active": True, "trafficPercent": 100}]
    client, adapter = client_with(Reply(200, revisions))

    assert client.list_revisions("my-model") == revisions
    assert adapter.sent[0].path_and_query == "/models/my-model/revisions"
