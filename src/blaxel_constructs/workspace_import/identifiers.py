"""The names generated code gives each adopted object: its HCL address, its Python variable, its secrets' variables.

Each is derived from the object's own name, never from the order the API listed it in, so that importing again
after objects were added or removed keeps every existing address (and so the state Terraform holds for it).

A valid Blaxel name (``rules.NAME_PATTERN``: lowercase letters, digits and ``-``) maps one to one onto an
identifier by writing ``-`` as ``_``: names never hold ``_``, so ``chat-1`` (``chat_1``) and ``chat1`` stay apart, and
``a--b`` (``a__b``) and ``a-b`` (``a_b``) too. A name outside that pattern (made by an older API, say) has every
other character written as ``_`` and a suffix from a hash of the whole name, so that it cannot meet another.
Should two identifiers still meet, each gets the suffix of its own name: which one is "first" never matters.

HCL identifiers start with a letter or ``_`` (``4o-mini`` -> ``_4o_mini``); Python variables carry the kind's
short noun (``model_4o_mini``, ``connection_openai_prod``), which also keeps kinds apart in one module;
secret variables are upper snake case, ``<CONNECTION>__<KEY>`` (``openai-prod`` + ``apiKey`` ->
``OPENAI_PROD__API_KEY``), what Terraform reads from ``TF_VAR_<variable>``. The double ``_`` keeps every
connection's variables apart from every other's: the key's part never holds two ``_`` in a row, nor starts or
ends with one, so the last ``__`` is the separator (``openai-prod`` + ``apiKey`` and ``openai`` + ``prodApiKey``
cannot meet, whatever connection appears later, and a variable that CI exports keeps its name).
"""

from __future__ import annotations

import hashlib
import keyword
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Final

from blaxel_constructs.document import rules

__all__ = [
    "core_identifier",
    "hcl_identifier",
    "python_identifier",
    "secret_variable",
    "suffixed",
    "unique_names",
]

_VALID_NAME: Final = re.compile(rules.NAME_PATTERN)
_NOT_IDENTIFIER: Final = re.compile(r"[^a-z0-9_]")
_NOT_UPPER_IDENTIFIER: Final = re.compile(r"[^A-Z0-9]+")
_CAMEL: Final = re.compile(r"([a-z0-9])([A-Z])")
_TF_VAR: Final = "TF_VAR_"
#: Hex digits of the name's SHA-256 that a suffix keeps: 8 make a meeting of two suffixed names unheard of.
_SUFFIX_DIGITS: Final = 8


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_SUFFIX_DIGITS]


def suffixed(identifier: str, source: str) -> str:
    """``identifier`` with the suffix derived from ``source`` (the whole name it was made from)."""
    return f"{identifier}_{_digest(source)}"


def core_identifier(name: str) -> str:
    """Lowercase letters, digits and ``_`` standing for ``name`` alone (it may start with a digit)."""
    if _VALID_NAME.match(name):
        return name.replace("-", "_")
    base = _NOT_IDENTIFIER.sub("_", name.lower()) or "object"
    return suffixed(base, name)


def hcl_identifier(name: str) -> str:
    """A Terraform resource name for ``name``: ``openai-prod`` -> ``openai_prod``, ``4o-mini`` -> ``_4o_mini``."""
    core = core_identifier(name)
    return core if core[0].isalpha() or core[0] == "_" else f"_{core}"


def python_identifier(prefix: str, name: str) -> str:
    """A Python variable for the object ``name`` of the kind whose short noun is ``prefix``: ``model_4o_mini``."""
    head = _NOT_IDENTIFIER.sub("_", prefix.lower())
    identifier = f"{head}_{core_identifier(name)}"
    return identifier if identifier.isidentifier() and not keyword.iskeyword(identifier) else f"_{identifier}"


def _upper_words(text: str) -> str:
    """``apiKey`` -> ``API_KEY``, ``openai-prod`` -> ``OPENAI_PROD``: camel humps and other characters as ``_``."""
    return _NOT_UPPER_IDENTIFIER.sub("_", _CAMEL.sub(r"\1_\2", text).upper()).strip("_")


def secret_variable(owner: str, key: str) -> str:
    """The variable (upper snake case) holding secret ``key`` of the object ``owner``: ``OPENAI_PROD__API_KEY``.

    The owner's part is its ``core_identifier`` in upper case (one to one for valid names), the key's its words
    (``apiKey`` -> ``API_KEY``, ``SECRET`` when it has none). A variable starting with a digit or with ``TF_VAR_``
    gets ``_`` first (no other starts with ``_``, so that cannot meet another): it stays a Terraform variable
    name and, once prefixed with ``TF_VAR_``, a portable environment variable name.
    """
    variable = f"{core_identifier(owner).upper()}__{_upper_words(key) or 'SECRET'}"
    if variable[0].isdigit() or variable.startswith(_TF_VAR):
        return f"_{variable}"  # Secret.from_env refuses a name that looks like its own environment variable
    return variable


def unique_names(sources: Iterable[str], make: Callable[[str], str]) -> dict[str, str]:
    """``make(source)`` for each source, except that sources whose results meet each get ``suffixed`` ones.

    Decided by the set of sources alone (not their order), so the same sources always get the same names.
    """
    made: dict[str, list[str]] = defaultdict(list)
    for source in sorted(set(sources)):
        made[make(source)].append(source)
    names: dict[str, str] = {}
    for name, owners in made.items():
        for source in owners:
            names[source] = name if len(owners) == 1 else suffixed(name, source)
    return names
