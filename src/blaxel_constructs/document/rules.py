"""The API's validation rules as plain data, shared by the pydantic models, the provider and the emulator.

Kept free of pydantic so that the Terraform provider, which starts many times per apply, can check
input without importing a validation library. ``models.py`` builds its field constraints from these
same constants, so there is one source for every limit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

__all__ = [
    "API_VERSIONS",
    "DEFAULT_API_URL",
    "DEFAULT_API_VERSION",
    "DISPLAY_NAME_MAX",
    "EXTERNAL_ID_MAX",
    "EXTERNAL_ID_PATTERN",
    "FAILURE_STATUSES",
    "FLAVOR_TYPES",
    "GENERATIONS",
    "IN_PROGRESS_STATUSES",
    "NAME_MAX",
    "NAME_PATTERN",
    "OWNER_LABEL",
    "PAGINATED_SINCE",
    "POLICY_LOCATION_TYPES",
    "POLICY_RESOURCE_TYPES",
    "POLICY_TOKEN_COUNTS",
    "POLICY_TYPES",
    "POLICY_TYPE_FIELDS",
    "RUNTIME_TYPES",
    "SECRET_MASK",
    "STATUSES",
    "connection_spec_problems",
    "display_name_problem",
    "external_id_problem",
    "name_problem",
    "policy_spec_problems",
]

DEFAULT_API_URL: Final = "https://api.blaxel.ai/v0"
DEFAULT_API_VERSION: Final = "2026-04-16"
#: Stable API versions known to this library, oldest first.
API_VERSIONS: Final = ("2026-04-16", "2026-04-28")
#: From this version on, list endpoints return ``{data, meta}`` with cursor pagination.
PAGINATED_SINCE: Final = "2026-04-28"

# The limits below are stated only in the prose of field descriptions in Blaxel's official OpenAPI document
# (``controlplane.yml``, not part of this repository); the official SDK types these fields as plain strings
# and carries none of them, so tests/emulator/test_emulator_validation.py checks them against these constants.

#: Schema ``Metadata``, field ``name``: lowercase letters, digits and hyphens, immutable once created.
#: The document gives the rule in words; this pattern is our reading of them.
NAME_PATTERN: Final = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"
#: Schema ``Metadata``, field ``name``: at most 49 characters.
NAME_MAX: Final = 49
#: Schema ``Metadata``, field ``displayName``: at most 63 characters, any characters (spaces included).
DISPLAY_NAME_MAX: Final = 63
#: Schema ``Metadata``, field ``externalId``: letters, digits and dashes only.
EXTERNAL_ID_PATTERN: Final = r"^[A-Za-z0-9-]+$"
#: Schema ``Metadata``, field ``externalId``: at most 64 characters.
EXTERNAL_ID_MAX: Final = 64

RUNTIME_TYPES: Final = (
    "hf_private_endpoint",
    "hf_public_endpoint",
    "huggingface",
    "public_model",
    "mcp",
    "openai",
    "anthropic",
    "gemini",
    "mistral",
    "deepseek",
    "cohere",
    "cerebras",
    "xai",
    "vertexai",
    "azure-openai-service",
    "azure-ai-inference",
    "azure-marketplace",
    "groq",
)
FLAVOR_TYPES: Final = ("cpu", "gpu")
GENERATIONS: Final = ("mk2", "mk3")

STATUSES: Final = (
    "DELETING",
    "TERMINATED",
    "FAILED",
    "DEACTIVATED",
    "DEACTIVATING",
    "UPLOADING",
    "BUILDING",
    "BUILT",
    "DEPLOYING",
    "DEPLOYED",
)
#: Terminal failures of a create or update (DEACTIVATED is the goal, not a failure, when disabled).
FAILURE_STATUSES: Final = frozenset({"FAILED", "TERMINATED", "DEACTIVATED"})
IN_PROGRESS_STATUSES: Final = frozenset({"DEACTIVATING", "UPLOADING", "BUILDING", "BUILT", "DEPLOYING", "DELETING"})

#: Label a ``ModelEndpoint`` writes on its model (value: the construct path) so that, after an apply
#: was interrupted between the POST and the state write, the next apply can recognise the model as
#: its own and adopt it instead of failing with 409 or creating a duplicate.
OWNER_LABEL: Final = "blaxel-constructs-owner"

_NAME_RE = re.compile(NAME_PATTERN)
_EXTERNAL_ID_RE = re.compile(EXTERNAL_ID_PATTERN)


def name_problem(value: str) -> str | None:
    """Why ``value`` is not a valid model name, or None when it is."""
    if not value:
        return "must not be empty"
    if len(value) > NAME_MAX:
        return f"must be at most {NAME_MAX} characters (got {len(value)})"
    if not _NAME_RE.match(value):
        return f"must be lowercase letters, digits and '-', starting and ending with a letter or digit (got {value!r})"
    return None


def display_name_problem(value: str) -> str | None:
    """Why ``value`` is not a valid display name, or None when it is."""
    if len(value) > DISPLAY_NAME_MAX:
        return f"must be at most {DISPLAY_NAME_MAX} characters (got {len(value)})"
    return None


def external_id_problem(value: str) -> str | None:
    """Why ``value`` is not a valid external id, or None when it is."""
    if len(value) > EXTERNAL_ID_MAX:
        return f"must be at most {EXTERNAL_ID_MAX} characters (got {len(value)})"
    if not _EXTERNAL_ID_RE.match(value):
        return f"must be letters, digits and '-' only (got {value!r})"
    return None


# Integration connections (schema ``IntegrationConnectionSpec``): ``integration`` names the external service
# ("openai", "anthropic", "github"...; a free string in the spec), ``config`` and ``secret`` are maps of strings.

#: What the API shows instead of each secret value (GET and list of a connection): the keys stay visible,
#: every value is replaced by this text, so a stored secret can never be read back or compared.
SECRET_MASK: Final = "********"

# Policies (schemas ``PolicySpec``, ``PolicyLocation``, ``PolicyMaxTokens``, ``PolicyResourceType``).

#: ``PolicySpec.type``.
POLICY_TYPES: Final = ("location", "flavor", "maxToken")
#: ``PolicyLocation.type``.
POLICY_LOCATION_TYPES: Final = ("location", "country", "continent")
#: ``PolicyResourceType``: the kinds of resource a policy applies to.
POLICY_RESOURCE_TYPES: Final = ("model", "function", "agent", "sandbox", "application")
#: The integer members of ``PolicyMaxTokens`` (wire names); each, when given, must be a positive integer.
POLICY_TOKEN_COUNTS: Final = ("input", "output", "total", "step", "ratioInputOverOutput")
#: Policy type -> the one ``spec`` member (wire name) that carries its rule. A policy must give the member of
#: its type and none of the others': the spec types them all optional, but a rule without its values, or with
#: values of another type, would govern nothing (our reading; the provider and the emulator apply the same).
POLICY_TYPE_FIELDS: Final = {"location": "locations", "flavor": "flavors", "maxToken": "maxTokens"}


def connection_spec_problems(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What is wrong with a connection's ``spec`` (wire names, types already checked), as (field, problem) pairs.

    Never quotes a ``secret`` value, only its key: the problems end up in error messages and logs.
    """
    problems: list[tuple[str, str]] = []
    integration = spec.get("integration")
    if integration is None:
        problems.append(("spec.integration", "is required"))
    elif not integration:
        problems.append(("spec.integration", "must not be empty"))
    for key in spec.get("secret") or {}:
        if not key:
            problems.append(("spec.secret", "keys must not be empty"))
    return problems


def policy_spec_problems(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What is wrong with a policy's ``spec`` (wire names, types and enums already checked), as (field, problem).

    The type is required; the member of its type must be given and not empty, those of other types must be
    absent; token counts must be positive and ``maxTokens`` must set at least one of input, output, total.
    """
    kind = spec.get("type")
    if kind is None:
        return [("spec.type", f"is required (one of {', '.join(POLICY_TYPES)})")]
    problems: list[tuple[str, str]] = []
    own = POLICY_TYPE_FIELDS.get(kind)
    for other_kind, member in POLICY_TYPE_FIELDS.items():
        value = spec.get(member)
        if member == own and not value:
            problems.append((f"spec.{member}", f"is required for a policy of type {kind!r}"))
        elif member != own and value:
            problems.append((f"spec.{member}", f"is only for a policy of type {other_kind!r} (this one is {kind!r})"))
    tokens = spec.get("maxTokens") or {}
    for member in POLICY_TOKEN_COUNTS:
        count = tokens.get(member)
        if count is not None and count < 1:
            problems.append((f"spec.maxTokens.{member}", f"must be a positive integer (got {count})"))
    if tokens and all(tokens.get(member) is None for member in ("input", "output", "total")):
        problems.append(("spec.maxTokens", "must set at least one of input, output, total"))
    return problems
