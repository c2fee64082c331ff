"""What ``cdktf synth --hcl`` needs from a hand-written binding: each argument typed for cdktf's HCL renderer.

cdktf writes JSON from ``_synthesize_attributes`` and HCL from ``_synthesize_hcl_attributes``, a
second method whose default returns nothing: a binding that implements only the first synthesizes
``resource "blaxel_model" "x" {}`` in HCL, silently. Generated bindings (``cdktf get``) describe each
argument as ``{value, isBlock, type, storageClassType}``; ``hcl_attributes`` builds the same from
the JSON attributes and a table of kinds, so both formats come from one set of values, and an
argument missing from the table raises instead of vanishing from the HCL.

cdktf 0.21's renderer (``cdktf/lib/hcl/render.js``, final) is used as it is, with three facts in mind:

- Protocol-6 nested attributes (``runtime``, ``timeouts``, ``flavors``) must be written as
  attributes (``runtime = { ... }``), never as blocks, which the provider's schema rejects. The
  renderer writes an object as an attribute only for type ``map`` (a ``struct`` without ``isBlock``
  prints ``[object Object]``), and a list of objects as ``[{...}, ...]`` for a non-block ``list``.
- It quotes strings without escaping backslashes and writes a multi-line string as a heredoc (which
  adds a final newline), so strings are escaped here, as HCL quoted strings expect.
- It writes a map key bare when it looks like an identifier, and ``for`` as a bare key starts a
  ``for`` expression, so that one key is written with an escape that forces quoting.

Values that are cdktf tokens resolve to ``${...}`` strings, which the renderer writes as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any, Final

__all__ = ["HclKind", "hcl_attributes", "hcl_string"]

#: Characters HCL's quoted strings escape, backslash first (it starts every other escape).
_ESCAPES: Final = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))


class HclKind(Enum):
    """The Terraform type of an argument, as cdktf's HCL renderer needs to know it."""

    STRING = "string"
    BOOLEAN = "boolean"
    NUMBER = "number"
    STRING_LIST = "string list"
    STRING_MAP = "string map"
    #: A single nested attribute of strings or numbers (``runtime``, ``timeouts``, ``max_tokens``).
    OBJECT = "object"
    #: A list nested attribute of objects of strings (``flavors``).
    OBJECT_LIST = "object list"


def hcl_string(value: Any) -> Any:
    """``value`` escaped for an HCL quoted string when it is a Python string; anything else unchanged.

    Token placeholders hold none of the escaped characters, so they survive to be resolved.
    """
    if not isinstance(value, str):
        return value
    for raw, escaped in _ESCAPES:
        value = value.replace(raw, escaped)
    return value


def _hcl_key(key: Any) -> Any:
    """A map key the renderer writes correctly: escaped (which makes it quoted), ``for`` spelled with an escape."""
    if key == "for":
        return "\\u0066or"  # bare, it would open a for expression; with a backslash the renderer quotes it
    return hcl_string(key)


def _simple(value: Any, storage: str) -> dict[str, Any]:
    return {"value": hcl_string(value), "isBlock": False, "type": "simple", "storageClassType": storage}


def _entry(kind: HclKind, value: Any) -> dict[str, Any]:
    """The renderer's description of one argument; a token (not a Python list or mapping) passes through."""
    if kind is HclKind.STRING:
        return _simple(value, "string")
    if kind is HclKind.BOOLEAN:
        return _simple(value, "boolean")
    if kind is HclKind.NUMBER:
        return _simple(value, "number")
    if kind is HclKind.STRING_LIST:
        items = [hcl_string(item) for item in value] if isinstance(value, list | tuple) else hcl_string(value)
        return {"value": items, "isBlock": False, "type": "list", "storageClassType": "stringList"}
    if kind in (HclKind.STRING_MAP, HclKind.OBJECT):
        pairs = (
            {_hcl_key(key): hcl_string(item) for key, item in value.items()}
            if isinstance(value, Mapping)
            else hcl_string(value)
        )
        storage = "stringMap" if kind is HclKind.STRING_MAP else "object"
        return {"value": pairs, "isBlock": False, "type": "map", "storageClassType": storage}
    return {"value": _objects(value), "isBlock": False, "type": "list", "storageClassType": "objectList"}


def _objects(value: Any) -> Any:
    """A list of objects of strings, each field typed as a string; a token (a string) escaped as one."""
    if not isinstance(value, list | tuple):
        return hcl_string(value)
    return [
        {name: _simple(item, "string") for name, item in element.items()} if isinstance(element, Mapping) else element
        for element in value
    ]


def hcl_attributes(attributes: Mapping[str, Any], kinds: Mapping[str, HclKind]) -> dict[str, Any]:
    """The HCL description of ``attributes`` (what ``_synthesize_attributes`` returns), key for key.

    Raises ``KeyError`` naming an attribute that ``kinds`` lacks: a new argument must say how it is
    written in HCL, or ``cdktf synth --hcl`` would drop it.
    """
    missing = set(attributes) - set(kinds)
    if missing:
        raise KeyError(f"no HCL kind for argument(s) {', '.join(sorted(missing))}: add them to the binding's table")
    return {name: _entry(kinds[name], value) for name, value in attributes.items()}
