"""The provider's schemas: its own block's, and each kind's resource and data source, derived from the kind's
description (``blaxel_constructs.kinds``) with the descriptions the documentation is generated from.

One source: Terraform shows these descriptions, ``docs/`` is rendered from them, and the constructs'
schema tests compare what the constructs synthesize with the attributes declared here. Each schema is
built once per process: Terraform asks for it with every validate, plan and read.
"""

from __future__ import annotations

import functools
from typing import Final

from tf import types
from tf.schema import Attribute, Schema

from blaxel_constructs.document import rules
from blaxel_constructs.kinds import INTEGRATION_CONNECTION, MODEL, POLICY
from blaxel_constructs.kinds.description import Attr, Kind, Role, ValueType
from blaxel_constructs.provider.tftypes import NestedAttribute
from blaxel_constructs.provider.write_only import WriteOnlyAttribute

__all__ = [
    "CONNECTION_DELETE_TIMEOUT",
    "CONNECTION_TIMEOUT",
    "DEFAULT_TIMEOUTS",
    "SCHEMA_VERSION",
    "data_schema",
    "integration_connection_data_schema",
    "integration_connection_schema",
    "model_data_schema",
    "model_schema",
    "policy_data_schema",
    "policy_schema",
    "provider_schema",
    "resource_schema",
    "tf_attribute",
]

#: Bump with an ``upgrade()`` step whenever the stored state's shape changes.
SCHEMA_VERSION: Final = 0
#: A model's default waits, in seconds, when ``timeouts`` leaves one out (Terraform's usual 20m/20m/10m).
DEFAULT_TIMEOUTS: Final = {action: MODEL.timeouts.of(action) for action in ("create", "update", "delete")}
#: Seconds a connection's create or update may spend retrying a flaky API (one call, nothing to wait for).
CONNECTION_TIMEOUT: Final = INTEGRATION_CONNECTION.timeouts.create
#: Seconds a connection's delete keeps retrying while the API answers 409 "in use".
CONNECTION_DELETE_TIMEOUT: Final = INTEGRATION_CONNECTION.timeouts.delete

_SCALARS: Final = {
    ValueType.STRING: types.String,
    ValueType.BOOL: types.Bool,
    ValueType.NUMBER: types.Number,
}


def _s(name: str, description: str, **kwargs: object) -> Attribute:
    return Attribute(name, types.String(), description=description, **kwargs)


@functools.cache
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


def tf_attribute(attr: Attr) -> Attribute:
    """The ``tf`` attribute of one attribute of a description (nested members included)."""
    flags: dict[str, object] = {"description": attr.description}
    if attr.required:
        flags["required"] = True
    elif attr.role is Role.COMPUTED:
        flags["computed"] = True
    else:
        flags["optional"] = True
    if attr.default is not None:
        flags.update(computed=True, default=attr.default)
    if attr.sensitive:
        flags["sensitive"] = True
    if attr.forces_replacement:
        flags["requires_replace"] = True
    if attr.type in (ValueType.OBJECT, ValueType.OBJECT_LIST):
        members = [tf_attribute(m) for m in attr.members]
        if attr.type is ValueType.OBJECT:
            return NestedAttribute(attr.name, "single", members, **flags)
        return NestedAttribute(attr.name, "list", members, **flags)
    if attr.type is ValueType.STRING_LIST:
        kind: types.TfType = types.List(types.String())
    elif attr.type is ValueType.STRING_MAP:
        kind = types.Map(types.String())
    else:
        kind = _SCALARS[attr.type]()
    if attr.write_only:
        del flags["optional"]
        return WriteOnlyAttribute(attr.name, kind, instead=attr.instead or "", **flags)
    return Attribute(attr.name, kind, **flags)


@functools.cache
def resource_schema(kind: Kind) -> Schema:
    """The resource of ``kind``: its arguments and server-set attributes, in the description's order."""
    return Schema(
        version=SCHEMA_VERSION,
        description=kind.description,
        attributes=[tf_attribute(attr) for attr in kind.attributes],
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


@functools.cache
def data_schema(kind: Kind) -> Schema:
    """The data source of ``kind``: look the object up by ``name``; every attribute the API answers read-only,
    no local or secret argument. Derived from the resource's, so the two never disagree on a name or a type."""
    exposed = {attr.name for attr in kind.data_attributes}
    attributes = [
        Attribute("name", types.String(), description=f"Name of the {kind.noun} to read.", required=True)
        if attr.name == "name"
        else _read_only(attr)
        for attr in resource_schema(kind).attributes
        if attr.name in exposed
    ]
    return Schema(version=SCHEMA_VERSION, description=kind.data_description, attributes=attributes)


# -- the earlier names, one function per kind -----------------------------------------------------------


model_schema = functools.partial(resource_schema, MODEL)
model_data_schema = functools.partial(data_schema, MODEL)
integration_connection_schema = functools.partial(resource_schema, INTEGRATION_CONNECTION)
integration_connection_data_schema = functools.partial(data_schema, INTEGRATION_CONNECTION)
policy_schema = functools.partial(resource_schema, POLICY)
policy_data_schema = functools.partial(data_schema, POLICY)
