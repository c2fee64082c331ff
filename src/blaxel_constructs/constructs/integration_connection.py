"""``IntegrationConnection``: the credentials a model gateway endpoint proxies with, as one cdktf construct (L2).

A ``ModelEndpoint`` of runtime ``openai`` does nothing without a connection holding the OpenAI API key.
This construct manages that connection (``blaxel_integration_connection``) in the same stack, so the
stack is the whole truth about the deployment, and pass it to the endpoint as an object
(``integration_connections=[connection]``): it renders as a reference, so Terraform creates the
connection before the model and destroys it after.

The secret never appears in ``cdk.tf.json``: each value is a ``Secret.from_env("VAR")``, which
synthesizes an ephemeral, sensitive Terraform variable read from ``TF_VAR_VAR`` at deploy time, wired
to the write-only argument ``secret_wo`` (Terraform 1.11+: never stored in a plan or state).
``secret_version`` (default 1 when a secret is given) becomes ``secret_wo_version``: Terraform cannot
compare a write-only value, so bumping the version is how a rotated key is sent again. A literal
string is refused, with the line to write instead. Like ``ModelEndpoint``, every argument is
validated at construction (``SpecError`` naming the field and the construct path).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from constructs import Construct

from blaxel_constructs.constructs._arguments import check_provider
from blaxel_constructs.constructs._resource_binding import ArgumentsResource, ObjectConstruct
from blaxel_constructs.constructs._tokens import is_token
from blaxel_constructs.constructs._validation import Problem, construct_path, problems, raise_problems
from blaxel_constructs.constructs.framework import inherit_framework
from blaxel_constructs.constructs.secret import Secret
from blaxel_constructs.document import IntegrationConnectionSpec, Metadata
from blaxel_constructs.kinds import INTEGRATION_CONNECTION

if TYPE_CHECKING:
    from cdktf import IResolvable, ITerraformDependable, TerraformProvider

__all__ = ["CONNECTION_RESOURCE_TYPE", "BlaxelIntegrationConnectionResource", "IntegrationConnection"]

#: Terraform resource type of a Blaxel integration connection (the credentials a model gateway proxies with).
CONNECTION_RESOURCE_TYPE: Final = INTEGRATION_CONNECTION.type_name
#: Default ``secret_version``: the first secret sent; bump it to send a rotated one.
DEFAULT_SECRET_VERSION = 1


class BlaxelIntegrationConnectionResource(ArgumentsResource):
    """The L1 binding of ``blaxel_integration_connection``: argument for argument; None means "not set".

    ``secret_wo`` is write-only (Terraform 1.11+: never in a plan or state), sent again when
    ``secret_wo_version`` changes; ``secret`` is the stored, sensitive alternative for older Terraform.
    Give at most one of them. Values are passed to Terraform as given.
    """

    KIND = INTEGRATION_CONNECTION

    @property
    def connection_name(self) -> str:
        """Reference to the connection's ``name`` (``${blaxel_integration_connection.<id>.name}``)."""
        return self.reference("name")


class IntegrationConnection(ObjectConstruct[BlaxelIntegrationConnectionResource]):
    """An integration connection: ``integration`` (e.g. ``openai``), its ``config`` and its ``secret``.

    ``secret`` maps each secret key to a ``Secret.from_env("ENV_VAR")`` (or to a Terraform reference,
    such as an ``ephemeral_variable``'s ``string_value``), never to a literal string. ``name`` and
    ``integration`` are immutable: changing either replaces the connection. ``sandbox`` defaults to
    false; other arguments left as None are not sent.

    Read-only attributes (``connection_name``, ``workspace``) are Terraform references; pass the
    construct itself to ``ModelEndpoint(integration_connections=[...])``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        integration: str,
        config: Mapping[str, str] | None = None,
        secret: Mapping[str, Secret | str] | None = None,
        secret_version: int | None = None,
        sandbox: bool | IResolvable = False,
        display_name: str | None = None,
        labels: Mapping[str, str] | None = None,
        provider: TerraformProvider | None = None,
        depends_on: Sequence[ITerraformDependable] | None = None,
    ) -> None:
        path = construct_path(scope, id)
        found = [
            *problems(Metadata, {"name": name, "display_name": display_name, "labels": labels}),
            *_spec_problems(integration, config, sandbox),
            *_secret_problems(secret, secret_version, integration),
        ]
        raise_problems(found, path)
        check_provider(provider, scope, path)

        super().__init__(scope, id)
        inherit_framework(self, scope)
        version = secret_version
        if secret is not None and version is None:
            version = DEFAULT_SECRET_VERSION
        self._secrets = {key: value for key, value in (secret or {}).items() if isinstance(value, Secret)}
        self._resource = BlaxelIntegrationConnectionResource(
            self,
            "Resource",
            name=name,
            integration=integration,
            config=dict(config) if isinstance(config, Mapping) else config,
            sandbox=sandbox,
            display_name=display_name,
            labels=labels,
            secret_wo=_write_only(secret, scope),  # the connection's stack is its scope's: known, cached
            secret_wo_version=version,
            provider=provider,
            depends_on=depends_on,
        )

    @property
    def secrets(self) -> Mapping[str, Secret]:
        """The secret keys read from the environment, each with its ``Secret`` (``environment_variable`` says which)."""
        return dict(self._secrets)

    @property
    def connection_name(self) -> str:
        """The connection's name as a Terraform reference (``${blaxel_integration_connection.<id>.name}``).

        What ``ModelEndpoint`` writes for a connection passed as an object, so that Terraform orders
        the model after the connection on create and before it on destroy.
        """
        return self._resource.connection_name


def _spec_problems(integration: Any, config: Any, sandbox: Any) -> list[Problem]:
    found = problems(IntegrationConnectionSpec, {"integration": integration, "config": config, "sandbox": sandbox})
    if integration is None:
        found = [p for p in found if p.field != "integration"]
        found.append(Problem("integration", "is required: the external service, e.g. 'openai' or 'anthropic'"))
    return found


def _secret_problems(secret: Any, version: Any, integration: Any) -> list[Problem]:
    """Why ``secret`` and ``secret_version`` are invalid; never quotes a secret value."""
    found: list[Problem] = []
    if version is not None and not is_token(version):
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            found.append(Problem("secret_version", f"must be a positive integer (got {version!r})"))
        elif secret is None:
            found.append(Problem("secret_version", "has no effect without a secret; remove it or give secret={...}"))
    if secret is None:
        return found
    if not isinstance(secret, Mapping):
        found.append(
            Problem("secret", "must be a mapping of secret keys to Secret.from_env('ENV_VAR'), e.g. {'apiKey': ...}")
        )
        return found
    if not secret:
        found.append(Problem("secret", "must hold at least one key, or be None for a connection without a secret"))
    for key, value in secret.items():
        field = f"secret.{key}"
        if not isinstance(key, str) or not key:
            found.append(Problem("secret", f"keys must be non-empty strings (got {key!r})"))
        elif isinstance(value, Secret) or is_token(value):
            continue
        elif isinstance(value, str):
            suggestion = _environment_name(integration, key)
            found.append(
                Problem(
                    field,
                    "is a literal string, which would be written in clear text to cdk.tf.json and then to the "
                    f"plan and the state; write Secret.from_env({suggestion!r}) and export "
                    f"TF_VAR_{suggestion} where cdktf deploy runs (the value is not shown here)",
                )
            )
        else:
            found.append(
                Problem(field, f"must be Secret.from_env('ENV_VAR') or a reference (got {type(value).__name__})")
            )
    return found


def _environment_name(integration: Any, key: str) -> str:
    """A conventional environment variable name for ``key`` of ``integration``: openai + apiKey -> OPENAI_API_KEY."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", key)
    prefix = integration if isinstance(integration, str) and not is_token(integration) else ""
    name = re.sub(r"[^A-Za-z0-9]+", "_", f"{prefix}_{words}" if prefix else words).strip("_").upper()
    return name if name and not name[0].isdigit() else f"SECRET_{name}"


def _write_only(secret: Mapping[str, Secret | str] | None, scope: Construct) -> dict[str, str] | None:
    """``secret_wo``: each ``Secret`` bound to its stack's ephemeral variable, references passed through."""
    if secret is None:
        return None
    return {key: value.bind(scope) if isinstance(value, Secret) else value for key, value in secret.items()}
