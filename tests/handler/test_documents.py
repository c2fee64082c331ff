"""same_model and owner_of: is the model the API shows the one that was sent, and whose is it?"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from blaxel_constructs.document.rules import OWNER_LABEL
from blaxel_constructs.handler import owner_of, same_model

SENT: dict[str, Any] = {
    "metadata": {
        "name": "my-model",
        "displayName": "My model",
        "externalId": "ext-1",
        "labels": {"team": "ml", OWNER_LABEL: "stack/model"},
    },
    "spec": {
        "enabled": True,
        "sandbox": False,
        "runtime": {"type": "openai", "model": "gpt-4.1", "organization": "org-1"},
        "flavors": [{"name": "t4", "type": "cpu"}, {"name": "a100", "type": "gpu"}],
        "policies": ["p1", "p2"],
        "integrationConnections": ["openai-conn"],
    },
}


def changed(path: str, value: Any) -> dict[str, Any]:
    """A copy of ``SENT`` with the dotted ``path`` set to ``value`` (``...`` deletes it)."""
    doc = copy.deepcopy(SENT)
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node.setdefault(key, {})
    if value is ...:
        node.pop(last, None)
    else:
        node[last] = value
    return doc


def test_given_the_api_answer_for_the_sent_document_when_comparing_then_server_fields_are_ignored() -> None:
    remote = copy.deepcopy(SENT)
    remote["metadata"].update({"workspace": "w", "url": "https://run", "createdAt": "2026-05-01T10:00:00Z"})
    remote.update({"status": "DEPLOYING", "events": [{"message": "Deploying"}]})

    assert same_model(remote, SENT)
    assert same_model(SENT, remote)


@pytest.mark.parametrize("empty", [..., None, "", [], {}])
@pytest.mark.parametrize(
    "path",
    ["metadata.displayName", "metadata.externalId", "metadata.labels", "spec.policies", "spec.runtime.generation"],
)
def test_given_an_absent_or_empty_field_when_comparing_then_every_spelling_of_nothing_is_alike(
    path: str, empty: Any
) -> None:
    unset = changed(path, ...)

    assert same_model(changed(path, empty), unset)
    assert same_model(unset, changed(path, None))


def test_given_empty_lists_and_maps_when_comparing_with_a_document_without_them_then_they_are_the_same() -> None:
    bare = {"metadata": {"name": "m"}, "spec": {"runtime": {"type": "openai"}}}
    padded = {
        "metadata": {"name": "m", "labels": {}, "displayName": None},
        "spec": {"runtime": {"type": "openai", "endpointName": ""}, "flavors": [], "integrationConnections": None},
    }

    assert same_model(padded, bare)


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("spec.enabled", ..., True),  # the API's default is enabled
        ("spec.enabled", False, False),
        ("spec.sandbox", ..., True),  # the API's default is no sandbox
        ("spec.sandbox", True, False),
    ],
)
def test_given_a_field_with_a_documented_default_when_absent_then_it_means_the_default(
    path: str, value: Any, expected: bool
) -> None:
    assert same_model(changed(path, value), SENT) is expected


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("spec.flavors", [{"type": "gpu", "name": "a100"}, {"name": "t4", "type": "cpu"}]),
        ("spec.policies", ["p2", "p1"]),
        ("spec.integrationConnections", ["openai-conn"]),
        ("metadata.labels", {OWNER_LABEL: "stack/model", "team": "ml"}),
    ],
)
def test_given_reordered_lists_or_maps_when_comparing_then_order_does_not_matter(path: str, value: Any) -> None:
    assert same_model(changed(path, value), SENT)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("metadata.name", "other-model"),
        ("metadata.displayName", "Another name"),
        ("metadata.externalId", "ext-2"),
        ("metadata.labels", {"team": "ml"}),
        ("metadata.labels", {"team": "ml", OWNER_LABEL: "another/stack"}),
        ("spec.runtime", {"type": "openai", "model": "gpt-4o", "organization": "org-1"}),
        ("spec.runtime.organization", ...),
        ("spec.flavors", [{"name": "t4", "type": "cpu"}]),
        ("spec.flavors", [{"name": "t4", "type": "gpu"}, {"name": "a100", "type": "gpu"}]),
        ("spec.policies", ["p1", "p1", "p2"]),
        ("spec.integrationConnections", ...),
        ("spec.unknownField", "x"),
    ],
)
def test_given_a_difference_in_what_a_user_writes_when_comparing_then_the_models_differ(path: str, value: Any) -> None:
    assert not same_model(changed(path, value), SENT)
    assert not same_model(SENT, changed(path, value))


def test_given_malformed_documents_when_comparing_then_it_does_not_raise() -> None:
    assert same_model({}, {"metadata": None, "spec": "nonsense"})
    assert not same_model({"metadata": {"name": "a"}}, {"metadata": {"name": "b"}})


def test_given_documents_when_reading_the_owner_then_only_a_non_empty_string_label_counts() -> None:
    assert owner_of(SENT) == "stack/model"
    assert owner_of(changed("metadata.labels", {"team": "ml"})) is None
    assert owner_of(changed(f"metadata.labels.{OWNER_LABEL}", "")) is None
    assert owner_of(changed("metadata.labels", ["not", "a", "map"])) is None
    assert owner_of({"metadata": None}) is None
    assert owner_of(None) is None
