"""``EnvironmentStack``: one cdktf stack per environment, built from its ``EnvironmentConfig``.

What a team writes once and deploys to dev, staging and prod::

    app = App()
    for environment in load_environments("environments.yaml").values():
        stack = EnvironmentStack(app, environment)          # stack id = environment name
        for key, endpoint in stack.model_endpoints().items():
            TerraformOutput(stack, f"{key}_url", value=endpoint.url)
    app.synth()

    # cdktf deploy dev;  cdktf deploy staging prod

The stack holds the environment's ``BlaxelProvider`` (its ``workspace``), one aliased provider per
entry of ``providers`` (so one stack can target two workspaces), its state backend (PostgreSQL in
schema ``blaxel_<env>`` when ``BLAXEL_STATE_PG`` is set, else a local file), and two aspects that
visit every ``ModelEndpoint`` of the stack at synth, whether built from the configuration or written
by hand: ``EnvironmentLabels`` (the environment's labels plus ``environment: <name>``) and
``EnvironmentPolicy`` (the environment's ``policy``).

The environment's ``connections`` and ``policies`` become ``IntegrationConnection`` and ``Policy``
constructs (``integration_connection(key)``, ``blaxel_policy(key)``), named like the endpoints and
labelled with the environment's labels; an endpoint naming one of their keys gets the construct, so
its model references it and Terraform orders create and destroy. A connection's ``secret_env``
becomes ``Secret.from_env``: the stack synthesizes one ephemeral variable per environment variable.

The stack also records the environment's own settings (name, prefix, suffix, stamped labels, its place in the
app) in ``cdk.tf.json`` under ``"//"`` (``blaxel_constructs.environment_metadata``), which Terraform ignores and
``blaxel-constructs environments diff`` reads to leave out what differs only by them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from constructs import Construct

from blaxel_constructs.constructs._validation import construct_path
from blaxel_constructs.constructs.blaxel_provider import BlaxelProvider
from blaxel_constructs.constructs.environments.environment_aspects import EnvironmentLabels, EnvironmentPolicy
from blaxel_constructs.constructs.environments.environment_config import (
    BlaxelPolicyConfig,
    ConnectionConfig,
    EndpointConfig,
    EnvironmentConfig,
)
from blaxel_constructs.constructs.environments.state_backend import state_backend
from blaxel_constructs.constructs.framework import framework_base, framework_of
from blaxel_constructs.constructs.integration_connection import IntegrationConnection
from blaxel_constructs.constructs.model_endpoint import ModelEndpoint
from blaxel_constructs.constructs.policy import Policy
from blaxel_constructs.constructs.secret import Secret
from blaxel_constructs.environment_metadata import ENVIRONMENT_METADATA_KEY, EnvironmentMetadata
from blaxel_constructs.errors import SpecError

if TYPE_CHECKING:
    from cdktf import TerraformBackend
    from cdktf import TerraformStack as _StackBase
else:  # the app's framework (cdktf or cdktn) supplies the real base class: see constructs.framework
    _StackBase = framework_base("TerraformStack")

__all__ = ["EnvironmentStack"]


class EnvironmentStack(_StackBase):
    """A ``TerraformStack`` for one environment: providers, state backend, label stamp and policy.

    ``id`` defaults to the environment's name (what ``cdktf deploy <name>`` takes). ``environ`` is
    where ``BLAXEL_STATE_PG`` is read (default ``os.environ``, at synth time); ``local_state_path``
    moves the local state file when that variable is not set.
    """

    def __init__(
        self,
        scope: Construct,
        environment: EnvironmentConfig,
        *,
        id: str | None = None,
        environ: Mapping[str, str] | None = None,
        local_state_path: str | None = None,
    ) -> None:
        super().__init__(scope, id or environment.name)
        self._environment = environment
        self._provider = BlaxelProvider(
            self,
            "blaxel",
            workspace=environment.workspace,
            api_url=environment.api_url,
            api_version=environment.api_version,
        )
        self._aliased = {
            alias: BlaxelProvider(
                self,
                f"blaxel-{alias}",
                alias=alias,
                workspace=config.workspace or environment.workspace,
                api_url=config.api_url or environment.api_url,
                api_version=config.api_version or environment.api_version,
            )
            for alias, config in environment.providers.items()
        }
        self._backend = state_backend(
            self,
            environment.name,
            schema_name=environment.state_schema,
            local_path=local_state_path,
            environ=environ,
        )
        self._labels = EnvironmentLabels(environment.stamped_labels)
        self._policy = EnvironmentPolicy.of(environment)
        aspects = framework_of(self).module.Aspects
        aspects.of(self).add(self._labels)  # first, so that the policy sees the stamped labels
        aspects.of(self).add(self._policy)
        self._endpoints: dict[str, ModelEndpoint] = {}
        self._connections: dict[str, IntegrationConnection] = {}
        self._policies: dict[str, Policy] = {}
        self._record_environment(scope)

    def _record_environment(self, scope: Construct) -> None:
        """Write the environment's own settings under ``"//"`` (Terraform ignores it) for ``environments diff``
        and ``status``: what differs between two environments only because of these is left out of a diff."""
        siblings = [child for child in scope.node.children if isinstance(child, EnvironmentStack)]
        metadata = EnvironmentMetadata(
            name=self._environment.name,
            name_prefix=self._environment.name_prefix,
            name_suffix=self._environment.name_suffix,
            labels=self._environment.stamped_labels,
            position=len(siblings) - 1,
        )
        self.add_override(f"//.{ENVIRONMENT_METADATA_KEY}", metadata.to_json())

    @property
    def environment(self) -> EnvironmentConfig:
        """The configuration this stack was built from."""
        return self._environment

    @property
    def provider(self) -> BlaxelProvider:
        """The default ``blaxel`` provider (the environment's workspace)."""
        return self._provider

    @property
    def backend(self) -> TerraformBackend:
        """The state backend: a ``PgBackend`` or a ``LocalBackend``."""
        return self._backend

    @property
    def labels(self) -> EnvironmentLabels:
        """The aspect stamping the environment's labels on every endpoint."""
        return self._labels

    @property
    def policy(self) -> EnvironmentPolicy:
        """The aspect enforcing the environment's policy; its ``violations`` are filled at synth."""
        return self._policy

    def aliased_provider(self, alias: str) -> BlaxelProvider:
        """The provider the environment's ``providers`` defines under ``alias`` (``provider = blaxel.<alias>``)."""
        try:
            return self._aliased[alias]
        except KeyError:
            known = ", ".join(self._aliased) or "none"
            raise SpecError(
                f"no provider alias {alias!r} in environment {self._environment.name!r} (defined: {known})",
                field="provider",
                path=self.node.path,
            ) from None

    def model_endpoint(self, id: str, **overrides: Any) -> ModelEndpoint:
        """The ``ModelEndpoint`` ``id`` as this environment configures it, created on first call.

        Settings come from the configuration's ``endpoints.<id>``; ``overrides`` (any ``ModelEndpoint``
        keyword) win over them. ``name`` is the base name: the environment's ``name_prefix`` and
        ``name_suffix`` are always added. An ``id`` the configuration lacks needs a ``runtime`` override.
        """
        if id in self._endpoints:
            return self._endpoints[id]
        config = self._environment.endpoints.get(id)
        if config is None and "runtime" not in overrides:
            known = ", ".join(self._environment.endpoints) or "none"
            raise SpecError(
                f"is not configured for environment {self._environment.name!r} (configured: {known}); "
                "add it to the configuration file or pass runtime=...",
                field=f"endpoints.{id}",
                path=construct_path(self, id),
            )
        arguments = self._arguments(config, id) if config is not None else {}
        arguments.update(overrides)
        base = arguments.pop("name", None) or id
        endpoint = ModelEndpoint(self, id, name=self._environment.model_name(base), **arguments)
        self._endpoints[id] = endpoint
        return endpoint

    def model_endpoints(self) -> dict[str, ModelEndpoint]:
        """Every endpoint of the configuration, by key (created on first call), in the file's order.

        The configured connections and policies are created first, whether an endpoint names them or not:
        the configuration is the whole truth about the environment.
        """
        self.integration_connections()
        self.blaxel_policies()
        return {key: self.model_endpoint(key) for key in self._environment.endpoints}

    def integration_connection(self, key: str) -> IntegrationConnection:
        """The ``IntegrationConnection`` the configuration's ``connections.<key>`` describes, created on first call.

        Its construct id is ``connection-<key>``; its name gets the environment's prefix and suffix; its labels
        are the environment's stamped labels under its own; each ``secret_env`` entry is a ``Secret.from_env``.
        """
        if key in self._connections:
            return self._connections[key]
        config = self._environment.connections.get(key)
        if config is None:
            raise self._unknown("connections", key, f"connection-{key}")
        connection = IntegrationConnection(self, f"connection-{key}", **self._connection_arguments(config, key))
        self._connections[key] = connection
        return connection

    def integration_connections(self) -> dict[str, IntegrationConnection]:
        """Every connection of the configuration, by key (created on first call), in the file's order."""
        return {key: self.integration_connection(key) for key in self._environment.connections}

    def blaxel_policy(self, key: str) -> Policy:
        """The Blaxel ``Policy`` the configuration's ``policies.<key>`` describes, created on first call.

        (Not ``policy``, the aspect enforcing the environment's synth-time rules.) Its construct id is
        ``policy-<key>``; its name gets the environment's prefix and suffix, its labels the stamped ones.
        """
        if key in self._policies:
            return self._policies[key]
        config = self._environment.policies.get(key)
        if config is None:
            raise self._unknown("policies", key, f"policy-{key}")
        policy = Policy(self, f"policy-{key}", **self._policy_arguments(config, key))
        self._policies[key] = policy
        return policy

    def blaxel_policies(self) -> dict[str, Policy]:
        """Every Blaxel policy of the configuration, by key (created on first call), in the file's order."""
        return {key: self.blaxel_policy(key) for key in self._environment.policies}

    def _unknown(self, section: str, key: str, id: str) -> SpecError:
        known = ", ".join(getattr(self._environment, section)) or "none"
        return SpecError(
            f"is not configured for environment {self._environment.name!r} (configured: {known})",
            field=f"{section}.{key}",
            path=construct_path(self, id),
        )

    def _labels_of(self, own: Mapping[str, str]) -> dict[str, str]:
        return {**self._environment.stamped_labels, **own}

    def _provider_of(self, alias: str | None) -> BlaxelProvider | None:
        return self.aliased_provider(alias) if alias is not None else None

    def _connection_arguments(self, config: ConnectionConfig, key: str) -> dict[str, Any]:
        secret = None
        if config.secret_env is not None:
            secret = {name: Secret.from_env(variable) for name, variable in config.secret_env.items()}
        return {
            "name": self._environment.model_name(config.name or key),
            "integration": config.integration,
            "display_name": config.display_name,
            "labels": self._labels_of(config.labels),
            "config": config.config,
            "secret": secret,
            "secret_version": config.secret_version,
            "sandbox": config.sandbox,
            "provider": self._provider_of(config.provider),
        }

    def _policy_arguments(self, config: BlaxelPolicyConfig, key: str) -> dict[str, Any]:
        return {
            "name": self._environment.model_name(config.name or key),
            "type": config.type,
            "display_name": config.display_name,
            "labels": self._labels_of(config.labels),
            "locations": config.locations,
            "flavors": config.flavors,
            "max_tokens": config.max_tokens,
            "resource_types": config.resource_types,
            "sandbox": config.sandbox,
            "provider": self._provider_of(config.provider),
        }

    def _references(self, names: list[str] | None, section: str) -> list[Any] | None:
        """Each name that is a key of the environment's ``section`` as its construct, any other as the name."""
        if names is None:
            return None
        if section == "connections":
            return [self.integration_connection(n) if n in self._environment.connections else n for n in names]
        return [self.blaxel_policy(n) if n in self._environment.policies else n for n in names]

    def _arguments(self, config: EndpointConfig, id: str) -> dict[str, Any]:
        provider = self.aliased_provider(config.provider) if config.provider is not None else None
        return {
            "name": config.name or id,
            "runtime": config.runtime,
            "display_name": config.display_name,
            "labels": dict(config.labels) or None,
            "flavors": list(config.flavors) if config.flavors is not None else None,
            "integration_connections": self._references(config.integration_connections, "connections"),
            "policies": self._references(config.policies, "policies"),
            "enabled": config.enabled,
            "sandbox": config.sandbox,
            "timeouts": config.timeouts,
            "provider": provider,
        }
