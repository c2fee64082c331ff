"""Nested attributes: the schema Terraform sees and the values on the wire."""

from __future__ import annotations

import json

from tf import types
from tf.gen import tfplugin_pb2 as pb
from tf.schema import Attribute

from blaxel_constructs.provider.schema import model_schema
from blaxel_constructs.provider.tftypes import NestedAttribute, Object


def test_an_object_always_encodes_every_inner_key() -> None:
    kind = Object({"type": types.String(), "model": types.String()})

    assert kind.encode({"type": "openai"}) == {"type": "openai", "model": None}
    assert kind.encode(None) is None
    assert json.loads(kind.tf_type()) == ["object", {"type": "string", "model": "string"}]


def test_a_single_nested_attribute_declares_a_nested_type_with_optional_inner_attributes() -> None:
    attr = NestedAttribute("runtime", "single", [Attribute("type", types.String(), optional=True)], required=True)

    message = attr.to_pb()

    assert message.nested_type.nesting == pb.Schema.Object.NestingMode.SINGLE
    assert [a.name for a in message.nested_type.attributes] == ["type"]
    assert message.nested_type.attributes[0].optional
    assert message.required
    assert not message.type


def test_the_model_schema_serializes_and_names_every_contract_attribute() -> None:
    schema = model_schema()
    schema.to_pb()

    names = {a.name for a in schema.attributes}
    assert names == {
        "name",
        "display_name",
        "external_id",
        "labels",
        "enabled",
        "sandbox",
        "flavors",
        "integration_connections",
        "policies",
        "runtime",
        "timeouts",
        "id",
        "status",
        "url",
        "workspace",
        "plan",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
    }
    assert schema.version is not None
