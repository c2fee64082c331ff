"""The API's validation rules as plain data, shared by the pydantic models, the provider and the emulator.

Kept free of pydantic so that the Terraform provider, which starts many times per apply, can check
input without importing a validation library. ``models.py`` builds its field constraints from these
same constants, so there is one source for every limit.
"""

from __future__ import annotations

import re
from typing import Final

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
    "RUNTIME_TYPES",
    "STATUSES",
    "display_name_problem",
    "external_id_problem",
    "name_problem",
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
