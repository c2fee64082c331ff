"""Nested attributes (protocol 6 ``nested_type``), which the ``tf`` framework lacks.

``tf`` offers only primitive types, lists, maps and set-mode blocks. Terraform's plugin framework models
``runtime = { type = "openai" }`` and ``flavors = [{ name = "t4", type = "cpu" }]`` as nested attributes
whose inner attributes are each optional, so HCL users may leave any of them out. ``NestedAttribute``
emits that schema; ``Object`` (de)serializes its values, always with every inner key present, as
Terraform's wire format requires.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from tf.gen import tfplugin_pb2 as pb
from tf.schema import Attribute, TextFormat
from tf.types import List, TfType, Unknown

__all__ = ["NestedAttribute", "Object"]

_NESTING = {"single": pb.Schema.Object.NestingMode.SINGLE, "list": pb.Schema.Object.NestingMode.LIST}


class Object(TfType):  # type: ignore[misc]
    """An object value with fixed attribute names; missing keys are encoded as null."""

    def __init__(self, fields: dict[str, TfType]) -> None:
        self.fields = fields

    def encode(self, value: Any) -> Any:
        if value is None or value is Unknown:
            return value
        return {
            name: (value.get(name) if value.get(name) is Unknown else kind.encode(value.get(name)))
            for name, kind in self.fields.items()
        }

    def decode(self, value: Any) -> Any:
        if value is None or value is Unknown:
            return value
        return {
            name: (value.get(name) if value.get(name) is Unknown else kind.decode(value.get(name)))
            for name, kind in self.fields.items()
        }

    def tf_type(self) -> bytes:
        inner = ",".join(f"{json.dumps(name)}:{kind.tf_type().decode()}" for name, kind in self.fields.items())
        return f'["object",{{{inner}}}]'.encode()


class NestedAttribute(Attribute):  # type: ignore[misc]
    """An attribute whose value is one object (``single``) or a list of objects (``list``) of ``attributes``."""

    def __init__(
        self,
        name: str,
        nesting: Literal["single", "list"],
        attributes: list[Attribute],
        **kwargs: Any,
    ) -> None:
        obj = Object({a.name: a.type for a in attributes})
        super().__init__(name, obj if nesting == "single" else List(obj), **kwargs)
        self.nesting = nesting
        self.attributes = attributes

    def to_pb(self) -> pb.Schema.Attribute:
        optional = dict(
            description=self.description,
            required=self.required or None,
            optional=self.optional or None,
            computed=self.computed or None,
            sensitive=self.sensitive,
            deprecated=self.deprecated,
        )
        return pb.Schema.Attribute(
            name=self.name,
            nested_type=pb.Schema.Object(
                attributes=[a.to_pb() for a in self.attributes],
                nesting=_NESTING[self.nesting],
            ),
            description_kind=pb.StringKind.MARKDOWN
            if (self.description_kind or TextFormat.Markdown) == TextFormat.Markdown
            else pb.StringKind.PLAIN,
            **optional,
        )
