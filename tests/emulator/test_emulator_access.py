"""Who may call the API, for which workspace, in which API version, and how lists are paged."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from blaxel_constructs.emulator.authentication import bearer_token, identity_for_key
from tests.support.clock import FakeClock

from .documents import API_KEY, PAGINATED, WORKSPACE, headers, model_document
from .sdk_oracle import SdkOracle

UNKNOWN_VERSION_MESSAGE = (
    'Unknown API version "{}". Valid versions: 2026-04-16, 2026-04-28. '
    "See https://docs.blaxel.ai/api-reference/introduction#api-versioning for the list of supported versions."
)


def create_models(client: FlaskClient, clock: FakeClock, names: list[str]) -> None:
    for name in names:
        assert client.post("/v0/models", json=model_document(name), headers=headers()).status_code == 200
        clock.advance(1.0)


def names(models: list[dict[str, Any]]) -> list[str]:
    return [model["metadata"]["name"] for model in models]


@pytest.mark.parametrize("header", ["Authorization", "X-Blaxel-Authorization"])
def test_given_a_key_in_either_auth_header_when_calling_then_it_is_accepted(client: FlaskClient, header: str) -> None:
    response = client.post("/v0/models", json=model_document("m1"), headers={header: f"Bearer {API_KEY}"})

    assert response.status_code == 200
    assert response.get_json()["metadata"]["createdBy"] == identity_for_key(API_KEY)


def test_given_a_second_configured_key_when_calling_then_its_own_identity_is_recorded(client: FlaskClient) -> None:
    response = client.post("/v0/models", json=model_document("m1"), headers={"Authorization": "Bearer second-key"})

    assert response.get_json()["metadata"]["createdBy"] == identity_for_key("second-key")
    assert identity_for_key("second-key") != identity_for_key(API_KEY)


@pytest.mark.parametrize(
    "auth",
    [
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": API_KEY},
        {"Authorization": f"Basic {API_KEY}"},
        {"Authorization": "Bearer "},
        {"X-Blaxel-Authorization": "Bearer nope"},
    ],
)
def test_given_a_missing_or_unknown_key_when_calling_then_401_unauthorized(
    client: FlaskClient, oracle: SdkOracle, auth: dict[str, str]
) -> None:
    for response in (client.get("/v0/models", headers=auth), client.post("/v0/models", json={}, headers=auth)):
        assert response.status_code == 401
        assert response.get_json() == {"error": "Unauthorized", "code": 401}
        assert oracle.problems(response.get_json(), "Error") == []


def test_given_a_valid_key_and_another_workspace_when_calling_then_403_forbidden(
    client: FlaskClient, oracle: SdkOracle
) -> None:
    by_header = client.get("/v0/models", headers=headers(X_Blaxel_Workspace="someone-else"))
    by_query = client.get("/v0/models?workspace=someone-else", headers=headers())

    for response in (by_header, by_query):
        assert response.status_code == 403
        body = response.get_json()
        assert body["error"] == "Forbidden"
        assert body["code"] == 403
        assert "someone-else" in body["message"]
        assert oracle.problems(body, "Error") == []


def test_given_the_emulator_workspace_by_header_query_or_default_when_calling_then_it_is_served(
    client: FlaskClient,
) -> None:
    answers = [
        client.get("/v0/models", headers=headers(X_Blaxel_Workspace=WORKSPACE)),
        client.get(f"/v0/models?workspace={WORKSPACE}", headers=headers()),
        client.get("/v0/models", headers=headers()),
    ]

    assert [a.status_code for a in answers] == [200, 200, 200]


def test_given_an_unknown_key_and_another_workspace_when_calling_then_401_comes_first(client: FlaskClient) -> None:
    response = client.get("/v0/models", headers={"Authorization": "Bearer nope", "X-Blaxel-Workspace": "x"})

    assert response.status_code == 401


def test_given_header_values_when_parsed_then_only_bearer_tokens_count() -> None:
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer   abc ") == "abc"
    assert bearer_token("Basic abc") is None
    assert bearer_token(None) is None


@pytest.mark.parametrize("version", [None, "", "2026-04-16"])
def test_given_no_version_or_the_first_one_when_listing_then_a_bare_array_of_all_models(
    client: FlaskClient, clock: FakeClock, oracle: SdkOracle, version: str | None
) -> None:
    create_models(client, clock, ["a", "b"])
    extra = {} if version is None else {"Blaxel_Version": version}

    response = client.get("/v0/models?limit=1", headers=headers(**extra))

    assert response.status_code == 200
    body = response.get_json()
    assert names(body) == ["b", "a"]
    assert all(oracle.problems(model, "Model") == [] for model in body)


def test_given_version_2026_04_28_when_listing_then_data_and_pagination_meta(
    client: FlaskClient, clock: FakeClock, oracle: SdkOracle
) -> None:
    create_models(client, clock, ["a", "b"])

    response = client.get("/v0/models", headers=headers(Blaxel_Version=PAGINATED))

    assert response.status_code == 200
    body = response.get_json()
    assert oracle.problems(body, "ModelList") == []
    assert names(body["data"]) == ["b", "a"]
    assert body["meta"] == {"hasMore": False, "nextCursor": "", "total": 2}


@pytest.mark.parametrize("version", ["2026-99-99", "2026-04-28.preview", "latest", "2026-4-16"])
def test_given_an_unknown_version_when_calling_then_400_with_the_api_text(
    client: FlaskClient, oracle: SdkOracle, version: str
) -> None:
    response = client.get("/v0/models", headers=headers(Blaxel_Version=version))

    assert response.status_code == 400
    assert response.get_json() == {
        "error": "invalid_api_version",
        "code": 400,
        "message": UNKNOWN_VERSION_MESSAGE.format(version),
    }
    assert oracle.problems(response.get_json(), "Error") == []


def test_given_seven_models_when_walking_pages_of_three_then_each_appears_once_newest_first(
    client: FlaskClient, clock: FakeClock
) -> None:
    create_models(client, clock, ["m1", "m2", "m3", "m4", "m5", "m6", "m7"])
    seen: list[str] = []
    metas: list[dict[str, Any]] = []
    cursor = ""

    while True:
        query = f"/v0/models?limit=3&cursor={cursor}" if cursor else "/v0/models?limit=3"
        body = client.get(query, headers=headers(Blaxel_Version=PAGINATED)).get_json()
        seen += names(body["data"])
        metas.append(body["meta"])
        cursor = body["meta"]["nextCursor"]
        if not body["meta"]["hasMore"]:
            break

    assert seen == ["m7", "m6", "m5", "m4", "m3", "m2", "m1"]
    assert [m["hasMore"] for m in metas] == [True, True, False]
    assert metas[-1]["nextCursor"] == ""
    assert {m["total"] for m in metas} == {7}


def test_given_a_cursor_when_a_listed_model_is_deleted_between_pages_then_nothing_is_skipped(
    client: FlaskClient, clock: FakeClock
) -> None:
    create_models(client, clock, ["m1", "m2", "m3", "m4"])
    first = client.get("/v0/models?limit=2", headers=headers(Blaxel_Version=PAGINATED)).get_json()
    client.delete("/v0/models/m4", headers=headers())
    clock.advance(1)

    second = client.get(
        f"/v0/models?limit=2&cursor={first['meta']['nextCursor']}", headers=headers(Blaxel_Version=PAGINATED)
    ).get_json()

    assert names(first["data"]) == ["m4", "m3"]
    assert names(second["data"]) == ["m2", "m1"]


def test_given_a_sort_by_name_when_listing_then_the_order_follows_it(client: FlaskClient, clock: FakeClock) -> None:
    create_models(client, clock, ["b", "c", "a"])

    ascending = client.get("/v0/models?sort=name:asc", headers=headers(Blaxel_Version=PAGINATED)).get_json()
    descending = client.get("/v0/models?sort=name:desc", headers=headers(Blaxel_Version=PAGINATED)).get_json()
    oldest = client.get("/v0/models?sort=createdAt:asc", headers=headers(Blaxel_Version=PAGINATED)).get_json()

    assert names(ascending["data"]) == ["a", "b", "c"]
    assert names(descending["data"]) == ["c", "b", "a"]
    assert names(oldest["data"]) == ["b", "c", "a"]


def test_given_more_than_200_models_when_asking_for_a_bigger_page_then_it_is_clamped_to_200(
    client: FlaskClient, clock: FakeClock
) -> None:
    create_models(client, clock, [f"m{i}" for i in range(201)])

    body = client.get("/v0/models?limit=1000", headers=headers(Blaxel_Version=PAGINATED)).get_json()
    default = client.get("/v0/models", headers=headers(Blaxel_Version=PAGINATED)).get_json()

    assert len(body["data"]) == 200
    assert body["meta"]["hasMore"] is True
    assert body["meta"]["total"] == 201
    assert len(default["data"]) == 50


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("limit=0", "limit"),
        ("limit=-5", "limit"),
        ("limit=ten", "limit"),
        ("limit=", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=eyJzb3J0IjoibmFtZTphc2MiLCJhZnRlciI6WyJhIl19", "cursor"),
        ("sort=size:asc", "sort"),
    ],
)
def test_given_a_bad_page_parameter_when_listing_then_400_naming_it(
    client: FlaskClient, oracle: SdkOracle, query: str, problem: str
) -> None:
    response = client.get(f"/v0/models?{query}", headers=headers(Blaxel_Version=PAGINATED))

    assert response.status_code == 400
    assert problem in response.get_json()["message"]
    assert oracle.problems(response.get_json(), "Error") == []


def test_given_the_old_version_when_listing_with_bad_page_parameters_then_they_are_ignored(
    client: FlaskClient,
) -> None:
    assert client.get("/v0/models?limit=ten&cursor=x", headers=headers()).status_code == 200
