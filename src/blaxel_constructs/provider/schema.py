"""Schemas of the provider and of ``blaxel_model``, with the descriptions the documentation is generated from.

One source: Terraform shows these descriptions, ``docs/`` is rendered from them, and the constructs'
schema test compares what ``ModelEndpoint`` synthesizes with the attribute names declared here.
"""

from __future__ import annotations

import functools
from typing import Final

from tf import types
from tf.schema import Attribute, Schema

from blaxel_constructs.document import rules
from blaxel_constructs.provider.tftypes import NestedAttribute
from blaxel_constructs.provider.write_only import WriteOnlyAttribute

__all__ = [
    "CONNECTION_DELETE_TIMEOUT",
    "CONNECTION_TIMEOUT",
    "DEFAULT_TIMEOUTS",
    "SCHEMA_VERSION",
    "integration_connection_data_schema",
    "integration_connection_schema",
    "model_data_schema",
    "model_schema",
    "provider_schema",
]

#: Bump with an ``upgrade()`` step whenever the stored state's shape changes.
SCHEMA_VERSION: Final = 0
#: Default waits, in seconds, when ``timeouts`` leaves one out (Terraform's usual 20m/20m/10m).
DEFAULT_TIMEOUTS: Final = {"create": 20 * 60.0, "update": 20 * 60.0, "delete": 10 * 60.0}
#: Seconds a connection's create or update may spend retrying a flaky API (one call, nothing to wait for).
CONNECTION_TIMEOUT: Final = 5 * 60.0
#: Seconds a connection's delete keeps retrying while the API answers 409 "in use" (a model naming it by a
#: plain string may be going away in the same apply): the models' own delete timeout.
CONNECTION_DELETE_TIMEOUT: Final = DEFAULT_TIMEOUTS["delete"]


def string_attribute(name: str, description: str, **kwargs: object) -> Attribute:
    """A string attribute: most of every resource's schema."""
    return Attribute(name, types.String(), description=description, **kwargs)


_s = string_attribute


@functools.cache  # built once: Terraform asks for it with every validate, plan and read
def provider_schema() -> Schema:
    """The ``provider "blaxel"`` block: every argument optional, each with an environment fallback."""
    return Schema(
        version=SCHEMA_VERSION,
        description="Deploys Blaxel model gateway endpoints. Every argument falls back to an environment variable.",
        attributes=[
            _s(
                "api_url",
                f"Control-plane base URL. Env `BL_API_URL`; default `{rules.DEFAULT_API_URL}`.",
                optional=True,
            ),
            _s("workspace", "Workspace to deploy into. Env `BL_WORKSPACE`.", optional=True),
            _s("api_key", "API key, sent as a bearer token. Env `BL_API_KEY`.", optional=True, sensitive=True),
            _s(
                "client_credentials",
                "OAuth client credentials, `base64(clientId:clientSecret)`. Env `BL_CLIENT_CREDENTIALS`.",
                optional=True,
                sensitive=True,
            ),
            _s(
                "api_version",
                f"Value of the `Blaxel-Version` header. Env `BL_API_VERSION`; default `{rules.DEFAULT_API_VERSION}`.",
                optional=True,
            ),
        ],
    )


@functools.cache  # built once: Terraform asks for it with every validate, plan and read
def model_schema() -> Schema:
    """The ``blaxel_model`` resource: arguments of the API's Model document plus server-set attributes."""
    runtime = NestedAttribute(
        "runtime",
        "single",
        [
            _s("type", f"LLM provider type, one of: {', '.join(rules.RUNTIME_TYPES)}.", optional=True),
            _s("model", "Model identifier at the provider, e.g. `gpt-4.1`.", optional=True),
            _s("endpoint_name", "Provider-side endpoint name (e.g. a HuggingFace endpoint).", optional=True),
            _s("organization", "Organization at the provider, e.g. `org-abc123`.", optional=True),
            _s("generation", "Infrastructure generation: `mk2` or `mk3`; unset uses the classic path.", optional=True),
        ],
        description="Which external LLM provider and model the endpoint proxies to.",
        required=True,
    )
    flavors = NestedAttribute(
        "flavors",
        "list",
        [
            _s("name", "Flavor name, e.g. `t4`.", required=True),
            _s("type", "Flavor type: `cpu` or `gpu`.", required=True),
        ],
        description="Hardware flavors for the deployment.",
        optional=True,
    )
    timeouts = NestedAttribute(
        "timeouts",
        "single",
        [
            _s("create", "How long to wait for a create to reach DEPLOYED (default `20m`).", optional=True),
            _s("update", "How long to wait for an update to reach DEPLOYED (default `20m`).", optional=True),
            _s("delete", "How long to wait for a delete to finish (default `10m`).", optional=True),
        ],
        description="Terraform duration strings (`30s`, `20m`, `1h30m`) bounding each wait. Never sent to the API.",
        optional=True,
    )
    return Schema(
        version=SCHEMA_VERSION,
        description="A Blaxel model gateway endpoint. Creating or updating it waits until it is DEPLOYED.",
        attributes=[
            _s(
                "name",
                "Unique name in the workspace: lowercase letters, digits and `-`, at most 49 characters. "
                "Changing it replaces the model.",
                required=True,
                requires_replace=True,
            ),
            _s("display_name", "Human-readable name, at most 63 characters.", optional=True),
            _s(
                "external_id", "Caller-owned identifier: letters, digits and `-`, at most 64 characters.", optional=True
            ),
            Attribute("labels", types.Map(types.String()), description="Key-value labels.", optional=True),
            Attribute(
                "enabled",
                types.Bool(),
                description="When false the endpoint is disabled (it settles in DEACTIVATED). Default `true`.",
                optional=True,
                computed=True,
                default=True,
            ),
            Attribute(
                "sandbox",
                types.Bool(),
                description="Use the sandbox credentials of the integration connection. Default `false`.",
                optional=True,
                computed=True,
                default=False,
            ),
            flavors,
            Attribute(
                "integration_connections",
                types.List(types.String()),
                description="Names of the integration connections holding the provider's credentials.",
                optional=True,
            ),
            Attribute("policies", types.List(types.String()), description="Names of policies to apply.", optional=True),
            runtime,
            timeouts,
            _s("id", "The model's name.", computed=True),
            _s("status", "Deployment status, e.g. `DEPLOYED`.", computed=True),
            _s("url", "URL of the endpoint.", computed=True),
            _s("workspace", "Workspace the model belongs to.", computed=True),
            _s("plan", "Billing plan of the workspace.", computed=True),
            _s("created_at", "Creation time (RFC 3339).", computed=True),
            _s("updated_at", "Last update time (RFC 3339).", computed=True),
            _s("created_by", "Who created the model.", computed=True),
            _s("updated_by", "Who last updated the model.", computed=True),
        ],
    )


def _read_only(attr: Attribute) -> Attribute:
    """The same attribute, computed only: what a data source exposes of a resource argument."""
    if isinstance(attr, NestedAttribute):
        return NestedAttribute(
            attr.name,
            attr.nesting,
            [_read_only(inner) for inner in attr.attributes],
            description=attr.description,
            computed=True,
        )
    return Attribute(attr.name, attr.type, description=attr.description, computed=True)


def data_schema(resource: Schema, *, kind: str, description: str, leave_out: tuple[str, ...] = ()) -> Schema:
    """A data source's schema derived from its resource's: look the object up by ``name``; every other
    attribute read-only, ``leave_out`` (configuration only, or secret) absent. Derived, so the two can never
    disagree on a name, type or description."""
    attributes = [
        Attribute("name", types.String(), description=f"Name of the {kind} to read.", required=True)
        if attr.name == "name"
        else _read_only(attr)
        for attr in resource.attributes
        if attr.name not in leave_out
    ]
    return Schema(version=SCHEMA_VERSION, description=description, attributes=attributes)


@functools.cache  # built once: Terraform asks for it with every validate, plan and read
def model_data_schema() -> Schema:
    """The ``blaxel_model`` data source: look a model up by ``name``; every other attribute is read-only."""
    return data_schema(
        model_schema(),
        kind="model",
        description="Reads a Blaxel model gateway endpoint by name, to reference a model managed elsewhere.",
        leave_out=("timeouts",),
    )


def computed_metadata(kind: str) -> list[Attribute]:
    """The computed attributes every named Blaxel object has: ``id`` (its name), workspace, times, authors."""
    return [
        _s("id", f"The {kind}'s name.", computed=True),
        _s("workspace", f"Workspace the {kind} belongs to.", computed=True),
        _s("created_at", "Creation time (RFC 3339).", computed=True),
        _s("updated_at", "Last update time (RFC 3339).", computed=True),
        _s("created_by", f"Who created the {kind}.", computed=True),
        _s("updated_by", f"Who last updated the {kind}.", computed=True),
    ]


@functools.cache  # built once: Terraform asks for it with every validate, plan and read
def integration_connection_schema() -> Schema:
    """The ``blaxel_integration_connection`` resource: the credentials a model gateway endpoint proxies with.

    The secret comes in two forms, at most one of them: ``secret_wo`` (write-only: never in the plan or the
    state; Terraform 1.11+) with ``secret_wo_version``, or ``secret`` (sensitive, stored in the state).
    """
    return Schema(
        version=SCHEMA_VERSION,
        description="A Blaxel integration connection: the credentials and settings of an external service "
        "(an LLM provider such as OpenAI or Anthropic) that model gateway endpoints use. Changes apply at once "
        "to every model using it, without redeploying them.",
        attributes=[
            _s(
                "name",
                "Unique name in the workspace: lowercase letters, digits and `-`, at most 49 characters. "
                "Changing it replaces the connection.",
                required=True,
                requires_replace=True,
            ),
            _s(
                "integration",
                "Integration type, e.g. `openai` or `anthropic`. Changing it replaces the connection.",
                required=True,
                requires_replace=True,
            ),
            Attribute(
                "config",
                types.Map(types.String()),
                description="Non-secret settings of the integration (e.g. organization or region).",
                optional=True,
            ),
            WriteOnlyAttribute(
                "secret_wo",
                types.Map(types.String()),
                instead="secret",
                description="Credentials (e.g. `{ apiKey = var.openai_key }`), **write-only**: sent to Blaxel on "
                "create and whenever `secret_wo_version` changes, never stored in the plan or the state. Needs "
                "Terraform 1.11 or later; feed it from an ephemeral variable. Conflicts with `secret`.",
                sensitive=True,
            ),
            Attribute(
                "secret_wo_version",
                types.Number(),
                description="Any number; change it (e.g. increment it) to send `secret_wo` again, which rotates "
                "the secret. Changing `secret_wo` alone sends nothing, since Terraform cannot compare a value "
                "it never stores.",
                optional=True,
            ),
            Attribute(
                "secret",
                types.Map(types.String()),
                description="Credentials, for Terraform older than 1.11: sensitive, but **stored in the state** in "
                "clear text. Prefer `secret_wo`. Conflicts with `secret_wo`. Blaxel masks secrets when read, so a "
                "change made outside Terraform is not detected.",
                optional=True,
                sensitive=True,
            ),
            Attribute(
                "sandbox",
                types.Bool(),
                description="Whether these are sandbox (test) credentials. Default `false`.",
                optional=True,
                computed=True,
                default=False,
            ),
            _s("display_name", "Human-readable name, at most 63 characters.", optional=True),
            Attribute("labels", types.Map(types.String()), description="Key-value labels.", optional=True),
            *computed_metadata("connection"),
        ],
    )


#: Arguments of ``blaxel_integration_connection`` that its data source does not expose: the API masks secrets.
_CONNECTION_SECRETS: Final = frozenset({"secret", "secret_wo", "secret_wo_version"})


@functools.cache  # built once: Terraform asks for it with every validate, plan and read
def integration_connection_data_schema() -> Schema:
    """The ``blaxel_integration_connection`` data source: look a connection up by ``name``; no secret."""
    return data_schema(
        integration_connection_schema(),
        kind="integration connection",
        description="Reads a Blaxel integration connection by name (never its secret, which Blaxel masks), to "
        "reference a connection managed elsewhere.",
        leave_out=tuple(_CONNECTION_SECRETS),
    )
