"""``main.py`` and ``cdktf.json`` of an ``Adoption``: a cdktf or CDK Terrain app with one stack.

The app builds each object with its kind's construct (``Kind.construct``: ``IntegrationConnection``, ``Policy``,
``ModelEndpoint``), keyword for keyword (``Attr.keyword``), passing the construct objects themselves where one
names another, so the synthesized configuration holds references and Terraform orders them. Each resource is
marked for import (``resource.import_from(name)``), so the first ``cdktf deploy`` imports it; a construct that
would add something of its own on adoption is told not to (``owner_label=False`` for a kind whose constructs
label their objects). Values are Python literals (``python_string``: every string comes back exactly, as
Terraform reads it), laid out as ``ruff format`` lays them out.

``cdktf.json`` runs the app as ``python3 main.py`` from the directory it is in, with whatever ``python3`` is on
the PATH (the user's activated virtual environment): no absolute path, so the directory can be committed.
Both CLIs read that file (``cdktn`` as well as ``cdktf``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from blaxel_constructs.workspace_import.adoption import (
    FIRST_SECRET_VERSION,
    AdoptedObject,
    Adoption,
    ObjectRef,
    WriteOnlySecret,
)

__all__ = [
    "APP_COMMAND",
    "OUTPUT_DIRECTORY",
    "python_lines",
    "python_string",
    "python_value",
    "render_app",
    "render_cdktf_json",
]

#: How the CLI runs the app: the ``python3`` of the PATH, in the app's directory.
APP_COMMAND: Final = "python3 main.py"
#: Where synth writes the stacks (cdktf's default).
OUTPUT_DIRECTORY: Final = "cdktf.out"
_INDENT: Final = "    "
#: Longest line written where a value can be split (ruff's and black's habit at this project's setting): a
#: long literal is split one member a line, as ``ruff format`` would, so the file passes a linter unchanged.
_WIDTH: Final = 120
_PYTHON_ESCAPES: Final = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_PROVIDER_MODULE: Final = "blaxel_constructs"


def python_string(text: str) -> str:
    """``text`` as a Python literal that synthesizes to exactly ``text`` in Terraform's JSON.

    Terraform reads every JSON string as a template, so ``${`` and ``%{`` are written ``$${`` and ``%%{`` (what
    ``cdk.tf.json`` must hold for the literal characters); then backslashes, the quote and characters that are not
    printable are escaped as Python escapes them. Double quotes unless single ones need fewer escapes, as
    ``ruff format`` writes strings, so that the generated file is already formatted.
    """
    text = text.replace("${", "$${").replace("%{", "%%{")
    quote = "'" if text.count('"') > text.count("'") else '"'
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char == quote:
            out.append("\\" + quote)
        elif char in _PYTHON_ESCAPES:
            out.append(_PYTHON_ESCAPES[char])
        elif char.isprintable() and not 0xD800 <= code <= 0xDFFF:
            out.append(char)
        else:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return quote + "".join(out) + quote


@dataclass(frozen=True)
class _Expression:
    """Python code written as it is (``Secret.from_env("X")``), where a value is expected."""

    code: str


def python_value(value: Any) -> str:
    """``value`` as a Python expression: literals, an adopted object as its variable, an ``_Expression`` as is."""
    if isinstance(value, ObjectRef):
        return value.python
    if isinstance(value, _Expression):
        return value.code
    if isinstance(value, str):
        return python_string(value)
    if isinstance(value, bool | int) or value is None:
        return repr(value)
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{python_value(key)}: {python_value(member)}" for key, member in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(python_value(item) for item in value) + "]"
    raise TypeError(f"no Python literal for a {type(value).__name__}")


def python_lines(head: str, value: Any, tail: str = ",", width: int = _WIDTH) -> list[str]:
    """``head`` + ``value`` + ``tail`` on one line when it fits in ``width``; else a mapping or list split one
    member a line (each member split again if it still does not fit), the members indented by four spaces."""
    line = f"{head}{python_value(value)}{tail}"
    if len(line) <= width or not value or not isinstance(value, Mapping | list | tuple):
        return [line]
    if isinstance(value, Mapping):
        opening, closing = "{", "}"
        members = [(f"{python_value(key)}: ", member) for key, member in value.items()]
    else:
        opening, closing = "[", "]"
        members = [("", member) for member in value]
    inner = width - len(_INDENT)
    lines = [f"{head}{opening}"]
    for prefix, member in members:
        lines += [f"{_INDENT}{part}" for part in python_lines(prefix, member, ",", inner)]
    return [*lines, f"{closing}{tail}"]


def _secret_keywords(secret: WriteOnlySecret, width: int = _WIDTH - len(_INDENT)) -> list[str]:
    """The construct's secret argument (each key read from its environment variable) and its version."""
    mapping = {v.key: _Expression(f"Secret.from_env({python_string(v.variable)})") for v in secret.variables}
    return [
        *python_lines(f"{secret.attr.keyword}=", mapping, ",", width),
        f"{secret.version.keyword}={FIRST_SECRET_VERSION},",
    ]


def _secret_comment(secret: WriteOnlySecret) -> list[str]:
    keys = ", ".join(python_string(v.key) for v in secret.variables)
    envs = ", ".join(v.environment_variable for v in secret.variables)
    return [
        f"# Blaxel keeps this secret ({keys}); it is never read. To manage it from here, rerun the import",
        "# with --take-over-secrets, or import Secret from blaxel_constructs, write the lines below and,",
        f"# before deploying, export {envs}:",
        *(f"#     {line}" for line in _secret_keywords(secret, _WIDTH - len(_INDENT) - len("#     "))),
    ]


def _construct(adopted: AdoptedObject) -> list[str]:
    _, cls = adopted.kind.construct
    body = ["stack,", f"{python_string(adopted.python)},"]
    for attr, value in adopted.arguments:
        body += python_lines(f"{attr.keyword}=", value, ",", _WIDTH - len(_INDENT))
    for secret in adopted.secrets:
        body += _secret_keywords(secret) if secret.taken_over else _secret_comment(secret)
    if adopted.kind.owner_label:
        body.append("owner_label=False,  # adopted: no label of this library's own, so the first deploy only imports")
    return [
        f"{adopted.python} = {cls}(",
        *(f"{_INDENT}{line}" for line in body),
        ")",
        f"{adopted.python}.resource.import_from({python_string(adopted.name)})",
    ]


def _imports(adoption: Adoption, framework: str) -> list[str]:
    by_module: dict[str, set[str]] = {_PROVIDER_MODULE: {"BlaxelProvider"}}
    if adoption.taken_over:
        by_module[_PROVIDER_MODULE].add("Secret")
    for kind in adoption.kinds:
        module, cls = kind.construct
        by_module.setdefault(module, set()).add(cls)
    lines = [f"from {framework} import App, TerraformStack", ""]
    lines += [f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(by_module.items())]
    return lines


def render_app(adoption: Adoption, *, framework: str, stack: str, source: str) -> str:
    """``main.py``: the app of one stack named ``stack`` on ``framework`` (``cdktf`` or ``cdktn``)."""
    lines = [
        f'"""Written by `blaxel-constructs import` from {_docstring_safe(source)}.',
        "",
        f"Run from this directory, where blaxel-constructs and {framework} are installed (the active virtual",
        f"environment's python3): `{framework} deploy {stack}` imports every object below on its first run, and",
        "creates nothing. From then on this file is the truth: edit it and deploy as usual.",
        '"""',
        "",
        *_imports(adoption, framework),
        "",
        "app = App()",
        f"stack = TerraformStack(app, {python_string(stack)})",
        "# Every setting comes from the environment at deploy time: BL_API_URL, BL_WORKSPACE, BL_API_KEY",
        "# (or BL_CLIENT_CREDENTIALS), BL_API_VERSION. Keep credentials out of code.",
        'BlaxelProvider(stack, "blaxel")',
    ]
    body: list[str] = []
    for adopted in adoption.objects:
        body += ["", *_construct(adopted)]
    if any("$${" in line or "%%{" in line for line in body):
        lines += [
            "# A string holding $${ or %%{ stands for the characters ${ or %{: Terraform reads every string of",
            "# cdk.tf.json as a template, where $${ and %%{ are how the literal characters are written.",
        ]
    lines += [*body, "", "app.synth()"]
    return "\n".join(lines) + "\n"


def _docstring_safe(text: str) -> str:
    """``text`` inside a docstring: no control character, backslash or closing quotes."""
    cleaned = "".join("?" if ord(char) < 0x20 or char == "\\" else char for char in text)
    return cleaned.replace('"""', "'''")


def render_cdktf_json(stack: str) -> str:
    """``cdktf.json``: the portable app command, the output directory, no providers to generate."""
    config = {
        "language": "python",
        "app": APP_COMMAND,
        "projectId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"blaxel-constructs-import/{stack}")),
        "sendCrashReports": "false",
        "terraformProviders": [],
        "terraformModules": [],
        "output": OUTPUT_DIRECTORY,
        "codeMakerOutput": "imports",
        "context": {},
    }
    return json.dumps(config, indent=2) + "\n"
