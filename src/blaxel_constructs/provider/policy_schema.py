"""Schemas of the ``blaxel_policy`` resource and data source, with the descriptions its documentation is generated from.

Every member of the API's ``PolicySpec`` is an argument: ``locations`` and ``flavors`` are lists of nested
objects, ``max_tokens`` one nested object (protocol-6 nested attributes, ``provider/tftypes.py``), so each
inner field is written in HCL as ``max_tokens = { total = 100000 }``. Which members a policy of each
``type`` takes, the enums and the positive token counts are checked at plan (``policy_validation``).
"""

from __future__ import annotations

import functools

from tf import types
from tf.schema import Attribute, Schema

from blaxel_constructs.document import rules
from blaxel_constructs.provider.schema import SCHEMA_VERSION, computed_metadata, data_schema, string_attribute
from blaxel_constructs.provider.tftypes import NestedAttribute

__all__ = ["policy_data_schema", "policy_schema"]


_s = string_attribute


def _n(name: str, description: str) -> Attribute:
    return Attribute(name, types.Number(), description=description, optional=True)


def _choices(values: tuple[str, ...]) -> str:
    return ", ".join(f"`{value}`" for value in values)


@functools.cache  # built once: Terraform asks for it with every validate, plan and read
def policy_schema() -> Schema:
    """The ``blaxel_policy`` resource: the arguments of the API's Policy document plus server-set attributes."""
    locations = NestedAttribute(
        "locations",
        "list",
        [
            _s("name", "Location name, e.g. `eu` for a continent or `fr` for a country.", required=True),
            _s("type", f"Location type: {_choices(rules.POLICY_LOCATION_TYPES)}.", required=True),
        ],
        description='Where deployments may run. Only for `type = "location"`, which requires at least one.',
        optional=True,
    )
    flavors = NestedAttribute(
        "flavors",
        "list",
        [
            _s("name", "Flavor name, e.g. `t4`.", required=True),
            _s("type", f"Flavor type: {_choices(rules.FLAVOR_TYPES)}.", required=True),
        ],
        description='Hardware flavors deployments may use. Only for `type = "flavor"`, which requires at least one.',
        optional=True,
    )
    max_tokens = NestedAttribute(
        "max_tokens",
        "single",
        [
            _s("granularity", "Period the limits apply to, e.g. `minute`.", optional=True),
            _n("input", "Maximum input tokens per period (a positive integer)."),
            _n("output", "Maximum output tokens per period (a positive integer)."),
            _n("total", "Maximum input plus output tokens per period (a positive integer)."),
            _n("step", "Step of the limit (a positive integer)."),
            _n("ratio_input_over_output", "Maximum ratio of input over output tokens (a positive integer)."),
        ],
        description='Token limits. Only for `type = "maxToken"`, which requires it with at least one of '
        "`input`, `output`, `total`.",
        optional=True,
    )
    return Schema(
        version=SCHEMA_VERSION,
        description="A Blaxel policy: a rule on where and how models (and other resources) are deployed and served.",
        attributes=[
            _s(
                "name",
                "Unique name in the workspace: lowercase letters, digits and `-`, at most 49 characters. "
                "Changing it replaces the policy.",
                required=True,
                requires_replace=True,
            ),
            _s("type", f"Policy type: {_choices(rules.POLICY_TYPES)}.", required=True),
            locations,
            flavors,
            max_tokens,
            Attribute(
                "resource_types",
                types.List(types.String()),
                description=f"Kinds of resource the policy applies to: {_choices(rules.POLICY_RESOURCE_TYPES)}.",
                optional=True,
            ),
            Attribute(
                "sandbox",
                types.Bool(),
                description="Sandbox mode. Default `false`.",
                optional=True,
                computed=True,
                default=False,
            ),
            _s("display_name", "Human-readable name, at most 63 characters.", optional=True),
            Attribute("labels", types.Map(types.String()), description="Key-value labels.", optional=True),
            *computed_metadata("policy"),
        ],
    )


@functools.cache  # built once: Terraform asks for it with every validate, plan and read
def policy_data_schema() -> Schema:
    """The ``blaxel_policy`` data source: look a policy up by ``name``; every other attribute is read-only."""
    return data_schema(
        policy_schema(),
        kind="policy",
        description="Reads a Blaxel policy by name, to reference a policy managed elsewhere.",
    )
