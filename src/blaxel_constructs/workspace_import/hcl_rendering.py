"""``main.tf`` and ``imports.tf`` of an ``Adoption``: Terraform's own language, laid out as ``terraform fmt`` does.

``main.tf``: the ``terraform`` block pinning this provider (``identity.SOURCE``, this package's version, as the
examples do), an empty ``provider "blaxel"`` block (every setting from the ``BL_*`` variables where Terraform
runs), then one resource per object with references between them. ``imports.tf``: one ``import`` block per
object, its ``id`` the name (what the provider's import takes).

Every string goes through ``hcl_string``: quotes, backslashes and control characters escaped, and ``${`` and
``%{`` doubled into ``$${`` and ``%%{`` so that no label or display name is ever read as a template. Every
attribute of a block fits on one line (nested objects as ``{ a = 1, b = 2 }``), so aligning the ``=`` of the
block, as ``terraform fmt`` does, is all the layout there is.

A secret kept where it is (the default) gets a comment saying how to take it over; a secret taken over is a
write-only argument fed from an ephemeral variable (never in a plan or the state), whose ``validation`` fails a
plan that lacks it with the name of its ``TF_VAR_`` variable, instead of a prompt that waits forever in CI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from blaxel_constructs import identity
from blaxel_constructs._version import __version__
from blaxel_constructs.workspace_import.adoption import (
    FIRST_SECRET_VERSION,
    AdoptedObject,
    Adoption,
    ObjectRef,
    SecretVariable,
    WriteOnlySecret,
)

__all__ = ["hcl_string", "hcl_value", "one_line", "render_imports", "render_main"]

_INDENT: Final = "  "
_BARE_KEY: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_KEYWORDS: Final = frozenset({"for", "in", "if", "endfor", "endif", "true", "false", "null"})
_ESCAPES: Final = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def hcl_string(text: str) -> str:
    """``text`` as an HCL quoted string that evaluates to exactly ``text`` (no template sequence survives)."""
    out: list[str] = []
    for index, char in enumerate(text):
        following = text[index + 1 : index + 2]
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char in "$%" and following == "{":
            out.append(char * 2)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def one_line(text: str) -> str:
    """``text`` fit for a comment: control characters (a newline would end the comment) as ``?``."""
    return "".join("?" if ord(char) < 0x20 or ord(char) == 0x7F else char for char in text)


def _key(key: str) -> str:
    """A map key: always quoted, since labels hold dots, slashes and other characters a bare key cannot."""
    return hcl_string(key)


def hcl_value(value: Any) -> str:
    """One value on one line: strings, numbers, booleans, lists, maps and objects, and references."""
    if isinstance(value, ObjectRef):
        return f"{value.kind.type_name}.{value.hcl}.name"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return hcl_string(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_member(key)} = {hcl_value(member)}" for key, member in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(hcl_value(item) for item in value) + "]"
    if value is None:
        return "null"
    raise TypeError(f"no HCL for a {type(value).__name__}")


def _member(key: str) -> str:
    """A key in an object or map constructor: bare when it is a plain identifier, quoted otherwise (a bare
    ``null`` or ``for`` would be read as a keyword, a bare ``a.b`` as a reference)."""
    return key if _BARE_KEY.match(key) and key not in _KEYWORDS else _key(key)


def _aligned(pairs: Sequence[tuple[str, str]], depth: int) -> list[str]:
    """``name = value`` lines with their ``=`` aligned, as ``terraform fmt`` aligns consecutive attributes."""
    width = max((len(name) for name, _ in pairs), default=0)
    return [f"{_INDENT * depth}{name.ljust(width)} = {value}" for name, value in pairs]


def _block(header: str, pairs: Sequence[tuple[str, str]], tail: Iterable[str] = ()) -> list[str]:
    lines = [f"{header} {{", *_aligned(pairs, 1)]
    tail = list(tail)
    if tail:
        lines += ([""] if pairs else []) + tail
    return [*lines, "}"]


def _secret_argument(secret: WriteOnlySecret) -> tuple[tuple[str, str], tuple[str, str]]:
    mapping = "{ " + ", ".join(f"{_member(v.key)} = var.{v.variable}" for v in secret.variables) + " }"
    return (secret.attr.name, mapping), (secret.version.name, str(FIRST_SECRET_VERSION))


def _secret_comment(secret: WriteOnlySecret) -> list[str]:
    """How to take a kept secret over, as comments inside the resource block."""
    keys = ", ".join(_member(v.key) for v in secret.variables)
    argument, version = _secret_argument(secret)
    names = ", ".join(f'"{v.variable}"' for v in secret.variables)
    lines = [
        f"# Blaxel keeps this secret ({keys}); it is never read. To manage it from here, rerun",
        "# the import with --take-over-secrets, or declare (type = string, sensitive = true, ephemeral = true)",
        f"# variable {names} and write:",
        *(f"#   {line}" for line in _aligned([argument, version], 0)),
        f"# then export {', '.join(v.environment_variable for v in secret.variables)} before the next apply.",
    ]
    return [f"{_INDENT}{line}" for line in lines]


def _resource(adopted: AdoptedObject) -> list[str]:
    pairs = [(attr.name, hcl_value(value)) for attr, value in adopted.arguments]
    comments: list[str] = []
    for secret in adopted.secrets:
        if secret.taken_over:
            pairs.extend(_secret_argument(secret))
        else:
            comments += _secret_comment(secret)
    header = f"resource {hcl_string(adopted.kind.type_name)} {hcl_string(adopted.hcl)}"
    return _block(header, pairs, comments)


def _variable(variable: SecretVariable, owner: AdoptedObject) -> list[str]:
    """The ephemeral, sensitive variable of one taken-over key; optional to Terraform, required by its validation."""
    reference = f"var.{variable.variable}"
    env = variable.environment_variable
    message = (
        f"Secret {variable.key} of {owner.kind.noun} {owner.name} is not set: export {env} before planning "
        "(the value is sent on the next apply and never stored)."
    )
    validation = _aligned(
        [
            ("condition", f'{reference} != null && {reference} != ""'),
            ("error_message", hcl_string(message)),
        ],
        2,
    )
    pairs = [
        ("type", "string"),
        ("description", hcl_string(f"Secret {variable.key} of {owner.kind.noun} {owner.name}, from {env}")),
        ("sensitive", "true"),
        ("ephemeral", "true"),
        ("default", "null"),
    ]
    return _block(
        f"variable {hcl_string(variable.variable)}",
        pairs,
        [f"{_INDENT}validation {{", *validation, f"{_INDENT}}}"],
    )


def _terraform_block() -> list[str]:
    provider = _aligned([("source", hcl_string(identity.SOURCE)), ("version", hcl_string(__version__))], 3)
    return [
        "terraform {",
        f"{_INDENT}required_providers {{",
        f"{_INDENT * 2}{identity.TYPE} = {{",
        *provider,
        f"{_INDENT * 2}}}",
        f"{_INDENT}}}",
        "}",
    ]


def render_main(adoption: Adoption, *, source: str) -> str:
    """``main.tf``: provider requirements and block, the taken-over secrets' variables, one resource per object.

    ``source`` says where the objects were read (a workspace and URL), for the header comment.
    """
    lines = [
        f"# Written by `blaxel-constructs import` from {one_line(source)}.",
        "# Terraform imports every resource below on the first apply (imports.tf); from then on this file is",
        "# the truth: edit it and plan as usual.",
        "",
        *_terraform_block(),
        "",
        "# Every setting comes from the environment where Terraform runs: BL_API_URL, BL_WORKSPACE,",
        "# BL_API_KEY (or BL_CLIENT_CREDENTIALS), BL_API_VERSION. Keep credentials out of code.",
        f"provider {hcl_string(identity.TYPE)} {{}}",
    ]
    for adopted in adoption.objects:
        for secret in adopted.secrets:
            if secret.taken_over:
                for variable in secret.variables:
                    lines += ["", *_variable(variable, adopted)]
    for adopted in adoption.objects:
        lines += ["", *_resource(adopted)]
    return "\n".join(lines) + "\n"


def render_imports(adoption: Adoption) -> str:
    """``imports.tf``: one ``import`` block per object (Terraform 1.5+), each importing it by its name."""
    lines = [
        "# Written by `blaxel-constructs import`: the first plan imports each of these objects; nothing is created.",
        "# Once applied, these blocks do nothing and may be deleted.",
    ]
    for adopted in adoption.objects:
        to = f"{adopted.kind.type_name}.{adopted.hcl}"
        lines += ["", *_block("import", [("to", to), ("id", hcl_string(adopted.name))])]
    return "\n".join(lines) + "\n"
