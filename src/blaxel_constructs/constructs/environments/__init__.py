"""Several environments (dev, staging, prod) from one app and one typed configuration file.

- ``environment_config``: ``load_environments`` reads ``environments.yaml`` (shared ``defaults`` deep-merged
  into each environment) into ``EnvironmentConfig`` objects; a mistake raises ``EnvironmentConfigError``
  naming the file and the field.
- ``environment_stack``: ``EnvironmentStack``, one stack per environment: its providers, state backend,
  aspects, endpoints, integration connections (secrets by environment variable only) and Blaxel policies.
- ``environment_aspects``: ``EnvironmentLabels`` stamps the environment's labels on every endpoint;
  ``EnvironmentPolicy`` turns the environment's rules into error annotations naming the construct.
- ``state_backend``: Terraform's ``pg`` backend, one schema per environment, when ``BLAXEL_STATE_PG`` is set.

Built on the core constructs (``blaxel_constructs.constructs``), never the other way round.
"""

from __future__ import annotations

from blaxel_constructs.constructs.environments.environment_aspects import EnvironmentLabels, EnvironmentPolicy
from blaxel_constructs.constructs.environments.environment_config import (
    ENVIRONMENT_LABEL,
    BlaxelPolicyConfig,
    ConnectionConfig,
    EndpointConfig,
    EnvironmentConfig,
    PolicyConfig,
    ProviderConfig,
    load_environments,
)
from blaxel_constructs.constructs.environments.environment_stack import EnvironmentStack
from blaxel_constructs.constructs.environments.state_backend import (
    STATE_PG_VARIABLE,
    StatePasswordWarning,
    state_backend,
    state_schema,
)
from blaxel_constructs.errors import EnvironmentConfigError

__all__ = [
    "ENVIRONMENT_LABEL",
    "STATE_PG_VARIABLE",
    "BlaxelPolicyConfig",
    "ConnectionConfig",
    "EndpointConfig",
    "EnvironmentConfig",
    "EnvironmentConfigError",
    "EnvironmentLabels",
    "EnvironmentPolicy",
    "EnvironmentStack",
    "PolicyConfig",
    "ProviderConfig",
    "StatePasswordWarning",
    "load_environments",
    "state_backend",
    "state_schema",
]
