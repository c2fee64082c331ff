"""Pydantic models of Blaxel's ``IntegrationConnection`` document (schemas ``IntegrationConnection`` and
``IntegrationConnectionSpec`` of the official ``controlplane.yml``).

A connection holds the credentials a model gateway endpoint proxies with: ``integration`` (the external
service, e.g. ``openai``), ``config`` (non-sensitive settings) and ``secret`` (the credentials). The API stores
the secret and answers it masked (every value ``rules.SECRET_MASK``). Here the secret is kept out of ``repr``
and out of validation errors, so a connection printed or refused never shows a credential.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, StrictBool, StrictStr, model_validator

from blaxel_constructs.document import rules
from blaxel_constructs.document.model_document import Metadata, _Wire

__all__ = ["IntegrationConnection", "IntegrationConnectionSpec"]


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


class IntegrationConnectionSpec(_Wire):
    """What the connection connects to and with which credentials; ``integration`` is required."""

    model_config = ConfigDict(hide_input_in_errors=True)

    integration: Annotated[StrictStr, AfterValidator(_non_empty)] = Field(
        description="Integration provider type, e.g. openai, anthropic (immutable: a change replaces the connection)."
    )
    config: dict[StrictStr, StrictStr] | None = Field(
        default=None, description="Non-sensitive configuration parameters (organization id, region...)."
    )
    sandbox: StrictBool | None = Field(default=None, description="Use sandbox/test credentials, not production ones.")
    secret: dict[StrictStr, StrictStr] | None = Field(
        default=None,
        repr=False,
        description=f"Credentials (API keys). Stored by the API, answered masked as {rules.SECRET_MASK!r}.",
    )

    @model_validator(mode="after")
    def _rules(self) -> IntegrationConnectionSpec:
        problems = rules.connection_spec_problems(self.to_api())
        if problems:
            raise ValueError("; ".join(f"{field}: {problem}" for field, problem in problems))
        return self


class IntegrationConnection(_Wire):
    """An integration connection: ``metadata`` and ``spec``, both required."""

    model_config = ConfigDict(hide_input_in_errors=True)

    metadata: Metadata
    spec: IntegrationConnectionSpec
