"""``MODEL``: a Blaxel model gateway endpoint (``blaxel_model``), described once.

The one kind with a deployment: a create or update is followed by waiting until the model is ``DEPLOYED``
(``DEACTIVATED`` when ``enabled = false``), or ``FAILED`` with the latest event's message; a ``timeouts``
argument bounds each wait. A plan's refreshes of many models are served from one list of the workspace.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from blaxel_constructs.document import rules
from blaxel_constructs.kinds.description import (
    Attr,
    Docs,
    Kind,
    Lifecycle,
    OperationTimeouts,
    ValueType,
    argument,
    computed,
    computed_history,
    display_name_argument,
    duration_problem,
    labels_argument,
    local,
    name_argument,
)

__all__ = ["MODEL", "goal_for"]

DEPLOYED: Final = "DEPLOYED"
DEACTIVATED: Final = "DEACTIVATED"


def goal_for(document: Mapping[str, Any]) -> str:
    """The status a create or update of ``document`` ends in: ``DEACTIVATED`` if ``spec.enabled`` is False."""
    spec = document.get("spec")
    if isinstance(spec, Mapping) and spec.get("enabled") is False:
        return DEACTIVATED
    return DEPLOYED


def _s(name: str, description: str, **options: Any) -> Attr:
    return Attr(name, ValueType.STRING, description, **options)


_RUNTIME = argument(
    "runtime",
    ValueType.OBJECT,
    "Which external LLM provider and model the endpoint proxies to.",
    wire="spec.runtime",
    required=True,
    members=(
        _s(
            "type",
            f"LLM provider type, one of: {', '.join(rules.RUNTIME_TYPES)}.",
            wire="type",
            choices=rules.RUNTIME_TYPES,
        ),
        _s("model", "Model identifier at the provider, e.g. `gpt-4.1`.", wire="model"),
        _s("endpoint_name", "Provider-side endpoint name (e.g. a HuggingFace endpoint).", wire="endpointName"),
        _s("organization", "Organization at the provider, e.g. `org-abc123`.", wire="organization"),
        _s(
            "generation",
            "Infrastructure generation: `mk2` or `mk3`; unset uses the classic path.",
            wire="generation",
            choices=rules.GENERATIONS,
        ),
    ),
)

_TIMEOUTS = local(
    "timeouts",
    ValueType.OBJECT,
    "Terraform duration strings (`30s`, `20m`, `1h30m`) bounding each wait. Never sent to the API.",
    members=(
        _s("create", "How long to wait for a create to reach DEPLOYED (default `20m`).", check=duration_problem),
        _s("update", "How long to wait for an update to reach DEPLOYED (default `20m`).", check=duration_problem),
        _s("delete", "How long to wait for a delete to finish (default `10m`).", check=duration_problem),
    ),
)

MODEL: Final = Kind(
    noun="model",
    short_noun="model",
    type_name="blaxel_model",
    document_kind="Model",
    collection="/models",
    description="A Blaxel model gateway endpoint. Creating or updating it waits until it is DEPLOYED.",
    data_description="Reads a Blaxel model gateway endpoint by name, to reference a model managed elsewhere.",
    attributes=(
        name_argument("model"),
        display_name_argument(),
        argument(
            "external_id",
            ValueType.STRING,
            "Caller-owned identifier: letters, digits and `-`, at most 64 characters.",
            wire="metadata.externalId",
            check=rules.external_id_problem,
        ),
        labels_argument(),
        argument(
            "enabled",
            ValueType.BOOL,
            "When false the endpoint is disabled (it settles in DEACTIVATED). Default `true`.",
            wire="spec.enabled",
            default=True,
        ),
        argument(
            "sandbox",
            ValueType.BOOL,
            "Use the sandbox credentials of the integration connection. Default `false`.",
            wire="spec.sandbox",
            default=False,
        ),
        argument(
            "flavors",
            ValueType.OBJECT_LIST,
            "Hardware flavors for the deployment.",
            wire="spec.flavors",
            unordered=True,
            members=(
                _s("name", "Flavor name, e.g. `t4`.", wire="name", required=True),
                _s("type", "Flavor type: `cpu` or `gpu`.", wire="type", required=True, choices=rules.FLAVOR_TYPES),
            ),
        ),
        argument(
            "integration_connections",
            ValueType.STRING_LIST,
            "Names of the integration connections holding the provider's credentials.",
            wire="spec.integrationConnections",
            unordered=True,
            refers_to="blaxel_integration_connection",
        ),
        argument(
            "policies",
            ValueType.STRING_LIST,
            "Names of policies to apply.",
            wire="spec.policies",
            unordered=True,
            refers_to="blaxel_policy",
        ),
        _RUNTIME,
        _TIMEOUTS,
        computed("id", "The model's name.", wire="metadata.name"),
        computed("status", "Deployment status, e.g. `DEPLOYED`.", wire="status", changes_on_update=True),
        computed("url", "URL of the endpoint.", wire="metadata.url"),
        computed("workspace", "Workspace the model belongs to.", wire="metadata.workspace"),
        computed("plan", "Billing plan of the workspace.", wire="metadata.plan"),
        *computed_history("model"),
    ),
    timeouts=OperationTimeouts(create=20 * 60.0, update=20 * 60.0, delete=10 * 60.0),
    configurable_timeouts=True,
    docs=Docs(
        intro="Creating or updating waits until the model is `DEPLOYED` (or `DEACTIVATED` when `enabled = false`). "
        "A deployment that ends `FAILED` reports the latest event's message; after a create the model stays "
        "in state, tainted, so the next apply replaces it. Changing `name` replaces the model.",
        import_what="a model",
    ),
    construct=("blaxel_constructs.constructs", "ModelEndpoint"),
    document=("blaxel_constructs.document", "Model"),
    lifecycle=Lifecycle(goal=goal_for, failure_hint="Check the runtime, integration connections and policies"),
    list_refresh=True,
    owner_label=True,
)
