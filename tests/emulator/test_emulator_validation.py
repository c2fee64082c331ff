"""What the emulator accepts as a Model document, and the field it names when it refuses one."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from blaxel_constructs.document import rules
from blaxel_constructs.emulator.input_validation import InvalidModel, clean_model

from .documents import full_document, model_document


def with_change(path: str, value: Any) -> dict[str, Any]:
    """A full document with ``path`` (dotted) set to ``value``."""
    document = full_document("m1")
    *parents, last = path.split(".")
    target = document
    for part in parents:
        target = target[part]
    target[last] = value
    return document


def test_given_every_writable_field_when_cleaned_then_the_document_is_kept_exactly() -> None:
    sent = full_document("m1")

    assert clean_model(copy.deepcopy(sent)) == sent


@pytest.mark.parametrize("runtime_type", rules.RUNTIME_TYPES)
def test_given_each_of_the_18_runtime_types_when_cleaned_then_it_is_accepted(runtime_type: str) -> None:
    document = model_document("m1", runtime={"type": runtime_type})

    assert clean_model(document)["spec"]["runtime"]["type"] == runtime_type


def test_given_read_only_fields_sent_back_when_cleaned_then_they_are_dropped_not_refused() -> None:
    document = model_document("m1")
    document["metadata"].update(
        workspace="other",
        url="https://x",
        plan="pro",
        createdAt="2025-01-01T00:00:00Z",
        updatedAt="2025-01-01T00:00:00Z",
        createdBy="me",
        updatedBy="me",
    )
    document["status"] = "DEPLOYED"
    document["events"] = [{"status": "DEPLOYED"}]

    assert clean_model(document) == model_document("m1")


def test_given_null_optional_fields_when_cleaned_then_they_count_as_absent() -> None:
    document = model_document("m1", sandbox=None, enabled=None)
    document["metadata"]["displayName"] = None

    assert clean_model(document) == model_document("m1")


# Limits the official SDK does not carry (it types these fields as plain strings): they come from the
# prose of Blaxel's official OpenAPI document and are held by the project's own rules (document/rules.py).
@pytest.mark.parametrize(
    ("path", "limit", "documented", "filler"),
    [
        # schema Metadata, field name: at most 49 characters
        ("metadata.name", rules.NAME_MAX, 49, "a"),
        # schema Metadata, field displayName: at most 63 characters
        ("metadata.displayName", rules.DISPLAY_NAME_MAX, 63, "x"),
        # schema Metadata, field externalId: at most 64 characters
        ("metadata.externalId", rules.EXTERNAL_ID_MAX, 64, "x"),
    ],
)
def test_given_a_field_at_its_documented_limit_when_cleaned_then_it_is_kept_and_one_more_character_is_refused(
    path: str, limit: int, documented: int, filler: str
) -> None:
    assert limit == documented
    at_limit = with_change(path, filler * limit)

    assert clean_model(copy.deepcopy(at_limit)) == at_limit
    with pytest.raises(InvalidModel, match=f"at most {documented}") as raised:
        clean_model(with_change(path, filler * (limit + 1)))
    assert raised.value.field == path


@pytest.mark.parametrize(
    ("path", "value", "field", "problem"),
    [
        ("metadata.name", "MyModel", "metadata.name", "lowercase"),
        # schema Metadata, field name: at most 49 characters (rules.NAME_MAX)
        ("metadata.name", "a" * 50, "metadata.name", "at most 49"),
        ("metadata.name", "", "metadata.name", "must not be empty"),
        ("metadata.name", "-bad", "metadata.name", "lowercase"),
        ("metadata.name", 7, "metadata.name", "must be a string"),
        # schema Metadata, field displayName: at most 63 characters (rules.DISPLAY_NAME_MAX)
        ("metadata.displayName", "x" * 64, "metadata.displayName", "at most 63"),
        # schema Metadata, field externalId: letters, digits and dashes (rules.EXTERNAL_ID_PATTERN)
        ("metadata.externalId", "has space", "metadata.externalId", "letters, digits"),
        # schema Metadata, field externalId: at most 64 characters (rules.EXTERNAL_ID_MAX)
        ("metadata.externalId", "x" * 65, "metadata.externalId", "at most 64"),
        ("metadata.labels", ["a"], "metadata.labels", "must be an object"),
        ("metadata.labels", {"team": 1}, "metadata.labels.team", "must be a string"),
        ("metadata.nmae", "typo", "metadata.nmae", "unknown field"),
        ("spec.enabled", "yes", "spec.enabled", "must be a boolean"),
        ("spec.sandbox", 0, "spec.sandbox", "must be a boolean"),
        ("spec.flavors", {"name": "t4"}, "spec.flavors", "must be an array"),
        ("spec.flavors", [{"name": "t4", "type": "tpu"}], "spec.flavors[0].type", "one of cpu, gpu"),
        ("spec.flavors", [{"name": "t4", "size": 1}], "spec.flavors[0].size", "unknown field"),
        ("spec.integrationConnections", ["ok", 3], "spec.integrationConnections[1]", "must be a string"),
        ("spec.policies", "eu-only", "spec.policies", "must be an array"),
        ("spec.runtime", "openai", "spec.runtime", "must be an object"),
        ("spec.runtime.type", "llama-hub", "spec.runtime.type", "must be one of hf_private_endpoint"),
        ("spec.runtime.generation", "mk4", "spec.runtime.generation", "one of mk2, mk3"),
        ("spec.runtime.temperature", 0.2, "spec.runtime.temperature", "unknown field"),
        ("spec.replicas", 3, "spec.replicas", "unknown field"),
        ("metadata", None, "metadata", "is required"),
        ("spec", [], "spec", "must be an object"),
    ],
)
def test_given_a_bad_field_when_cleaned_then_it_is_refused_naming_the_field(
    path: str, value: Any, field: str, problem: str
) -> None:
    with pytest.raises(InvalidModel) as raised:
        clean_model(with_change(path, value))

    assert raised.value.field == field
    assert problem in raised.value.problem


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], "body"),
        ("model", "body"),
        ({"spec": {}}, "metadata"),
        ({"metadata": {"name": "m1"}}, "spec"),
        ({"metadata": {}, "spec": {}}, "metadata.name"),
        ({"metadata": {"name": "m1"}, "spec": {}, "kind": "Model"}, "kind"),
    ],
)
def test_given_a_malformed_body_when_cleaned_then_the_missing_or_unknown_part_is_named(body: Any, field: str) -> None:
    with pytest.raises(InvalidModel) as raised:
        clean_model(body)

    assert raised.value.field == field


def test_given_a_put_body_naming_another_model_when_cleaned_then_the_immutable_name_is_defended() -> None:
    with pytest.raises(InvalidModel, match="immutable") as raised:
        clean_model(model_document("renamed"), path_name="original")

    assert raised.value.field == "metadata.name"
