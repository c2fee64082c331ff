"""Write-only attributes (plugin protocol 6.8), which the ``tf`` framework (protocol 6.5) lacks.

A write-only attribute (Terraform 1.11+) is set in the configuration, handed to the provider when it
plans and applies, and never stored: not in the plan file, not in the state. Four facts, measured with
Terraform 1.11.4, shape this module:

- protocol 6.8 marks an attribute write-only with field 11 (``write_only``, a bool) of ``Schema.Attribute``.
  ``WriteOnlyAttribute.to_pb`` appends that field to the serialized message of ``tf``'s own encoding; the
  generated protobuf classes keep fields they do not know, so it reaches Terraform
  (``terraform providers schema -json`` shows ``"write_only": true``);
- the planned state and the state after apply must hold null for it, or Terraform rejects them
  (``null_write_only``);
- ``tf`` hands ``create()`` and ``update()`` only the planned state, so once that holds null the value must
  be taken from the request's configuration (``with_config_values``), or it is silently lost while the
  apply succeeds;
- Terraform announces that it understands write-only attributes with ``ClientCapabilities``
  (``write_only_attributes_allowed``, field 2) in ``ValidateResourceConfig`` (field 3 of its request), a
  field the 6.5 messages do not know: ``write_only_allowed`` reads it from the raw bytes. An older
  Terraform would treat the attribute as an ordinary one and store it in state, so validation refuses it.

``provider/servicer.py`` applies these around ``tf``'s own servicer methods; nothing of ``tf`` is copied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from tf.gen import tfplugin_pb2 as pb
from tf.schema import Attribute
from tf.types import TfType
from tf.utils import read_dynamic_value, to_dynamic_value

__all__ = [
    "CAPABILITIES_FIELD",
    "WRITE_ONLY_ALLOWED_FIELD",
    "WRITE_ONLY_FIELD",
    "WriteOnlyAttribute",
    "null_write_only",
    "with_config_values",
    "write_only_allowed",
]

#: ``Schema.Attribute.write_only`` (tfplugin6.proto 6.8).
WRITE_ONLY_FIELD: Final = 11
#: ``ValidateResourceConfig.Request.client_capabilities`` (tfplugin6.proto 6.8).
CAPABILITIES_FIELD: Final = 3
#: ``ClientCapabilities.write_only_attributes_allowed`` (tfplugin6.proto 6.8).
WRITE_ONLY_ALLOWED_FIELD: Final = 2

_VARINT: Final = 0
_FIXED64: Final = 1
_LENGTH_DELIMITED: Final = 2
_FIXED32: Final = 5


class WriteOnlyAttribute(Attribute):  # type: ignore[misc]
    """An optional attribute that Terraform never stores; ``instead`` names the argument to use with a
    Terraform older than 1.11 (quoted by the validation error)."""

    def __init__(self, name: str, type: TfType, *, instead: str, **kwargs: Any) -> None:
        super().__init__(name, type, optional=True, **kwargs)
        self.instead = instead

    def to_pb(self) -> pb.Schema.Attribute:
        encoded = super().to_pb().SerializeToString() + _key(WRITE_ONLY_FIELD, _VARINT) + _varint(1)
        return pb.Schema.Attribute.FromString(encoded)


def null_write_only(value: pb.DynamicValue, names: Iterable[str]) -> pb.DynamicValue:
    """``value`` (an object state) with every attribute of ``names`` set to null; a null state stays null."""
    names = tuple(names)
    state = read_dynamic_value(value) if names else None
    if not isinstance(state, dict) or all(state.get(name) is None for name in names):
        return value
    return to_dynamic_value({**state, **dict.fromkeys(names)})


def with_config_values(planned: pb.DynamicValue, config: pb.DynamicValue, names: Iterable[str]) -> pb.DynamicValue:
    """The planned state with the write-only attributes of ``names`` taken from the configuration.

    What ``create()`` and ``update()`` then receive; a null plan (a delete) stays null.
    """
    names = tuple(names)
    state = read_dynamic_value(planned) if names else None
    if not isinstance(state, dict):
        return planned
    given = read_dynamic_value(config)
    values = {name: given.get(name) for name in names} if isinstance(given, Mapping) else {}
    return to_dynamic_value({**state, **values})


def write_only_allowed(request: bytes) -> bool:
    """Whether a serialized ``ValidateResourceConfig.Request`` says that Terraform accepts write-only attributes.

    False when the request carries no ``client_capabilities`` (Terraform before 1.11) or it says no.
    """
    for number, _, value in _fields(request):
        if number == CAPABILITIES_FIELD and isinstance(value, bytes):
            return any(n == WRITE_ONLY_ALLOWED_FIELD and v == 1 for n, _, v in _fields(value))
    return False


# -- protobuf wire format: just enough to read two fields and write one -----------------------------------


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _key(number: int, wire_type: int) -> bytes:
    return _varint(number << 3 | wire_type)


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(data):
            raise ValueError("truncated varint")
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at, shift = at + 1, shift + 7
        if not byte & 0x80:
            return value, at


def _fields(data: bytes) -> Iterable[tuple[int, int, int | bytes]]:
    """``(field number, wire type, value)`` of each top-level field of a serialized message.

    Varints are ints, length-delimited fields bytes; fixed-width fields are skipped over as bytes. A
    malformed message ends the iteration (nothing more can be read from it).
    """
    at = 0
    try:
        while at < len(data):
            key, at = _read_varint(data, at)
            number, wire_type = key >> 3, key & 7
            if wire_type == _VARINT:
                value, at = _read_varint(data, at)
                yield number, wire_type, value
            elif wire_type == _LENGTH_DELIMITED:
                size, at = _read_varint(data, at)
                yield number, wire_type, data[at : at + size]
                at += size
            elif wire_type in (_FIXED64, _FIXED32):
                width = 8 if wire_type == _FIXED64 else 4
                yield number, wire_type, data[at : at + width]
                at += width
            else:
                return
    except ValueError:
        return
