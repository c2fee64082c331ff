"""Typed environment configuration: shared defaults plus what each environment (dev, staging, prod) changes.

One file that the user edits, YAML (``.yaml``/``.yml``) or TOML (``.toml``), drives one stack per
environment::

    defaults:                       # shared by every environment
      workspace: acme
      labels: {team: assistant}
      endpoints:
        chat:
          runtime: {type: openai, model: gpt-4.1-mini}
          flavors: [{name: t4, type: cpu}]
      connections:                  # integration connections: the credentials the endpoints proxy with
        openai:
          integration: openai
          secret_env: {apiKey: OPENAI_API_KEY}   # by environment variable only: Terraform reads TF_VAR_OPENAI_API_KEY
      policies:                     # Blaxel policies (``policy`` below is this library's synth-time rules)
        eu-only:
          type: location
          locations: [{name: EU, type: continent}]
    environments:
      dev:
        name_suffix: -dev
        endpoints: {chat: {sandbox: true, integration_connections: [openai]}}
      prod:
        workspace: acme-prod
        policy: {allow_sandbox: false, require_flavors: true}
        connections: {openai: {secret_env: {apiKey: OPENAI_API_KEY_PROD}}}
        endpoints: {chat: {runtime: {model: gpt-4.1}, integration_connections: [openai], policies: [eu-only]}}

Each environment is its ``defaults`` deep-merged with its own entry: mappings (``labels``,
``runtime``, ``endpoints``, ``providers``, ``connections``, ``policies``) merge key by key, anything else
(lists such as ``flavors``, strings, booleans) replaces the default, and ``null`` removes a key (an
endpoint, connection or policy set to ``null`` is not deployed in that environment). Connections and
policies are deployed under ``name_prefix + name + name_suffix`` like endpoints; an endpoint's
``integration_connections`` and ``policies`` entries that are keys of the environment's
``connections``/``policies`` become references to them, any other entry is the name of one managed
elsewhere. A connection's secret is named by environment variable only (``secret_env``); a ``secret``
key is refused, so that no credential is ever written in the file. The result is validated with
pydantic (unknown keys rejected, the API's own models for ``runtime``, ``flavors`` and policies), and
every error names the file and the field where the bad value was written
(``defaults.endpoints.chat.runtime.type``, or ``environments.prod....``), before any construct exists.
"""

from __future__ import annotations

import re
import tomllib
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final, Union, get_args, get_origin

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from blaxel_constructs.document import PolicyLocation, PolicyMaxTokens, PolicyResourceType, PolicyType, rules, wire
from blaxel_constructs.document.model_document import Flavor, ModelRuntime
from blaxel_constructs.document.rules import name_problem
from blaxel_constructs.errors import EnvironmentConfigError

__all__ = [
    "ENVIRONMENT_LABEL",
    "BlaxelPolicyConfig",
    "ConnectionConfig",
    "EndpointConfig",
    "EnvironmentConfig",
    "EnvironmentConfigError",
    "PolicyConfig",
    "ProviderConfig",
    "load_environments",
]

#: Label every endpoint of an environment's stack carries, whose value is the environment's name.
ENVIRONMENT_LABEL: Final = "environment"

#: Environment names become stack ids, state schema names and label values: keep them plain.
ENVIRONMENT_NAME: Final = r"^[a-z][a-z0-9-]{0,29}$"
#: PostgreSQL schema names that need no quoting (at most 63 bytes).
SCHEMA_NAME: Final = r"^[a-z_][a-z0-9_]{0,62}$"
#: Provider aliases, as ``BlaxelProvider`` accepts them.
ALIAS_NAME: Final = r"^[A-Za-z_][A-Za-z0-9_-]*$"
#: Environment variable names, as ``Secret.from_env`` accepts them (Terraform reads ``TF_VAR_<name>``).
ENV_VARIABLE_NAME: Final = r"^[A-Za-z_][A-Za-z0-9_]*$"

_TOP_LEVEL: Final = ("defaults", "environments")
_MAX_SHOWN: Final = 60


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProviderConfig(_Config):
    """A further ``BlaxelProvider`` of an environment's stack, under an alias: another workspace to reach.

    Unset values come from the environment's own ``workspace``/``api_url``/``api_version``, then from
    the ``BL_*`` variables at deploy time.
    """

    workspace: StrictStr | None = None
    api_url: StrictStr | None = None
    api_version: StrictStr | None = None


class PolicyConfig(_Config):
    """Rules every endpoint of an environment must follow; ``EnvironmentPolicy`` enforces them at synth."""

    allow_sandbox: StrictBool = Field(default=True, description="false: an endpoint with sandbox=True fails synth.")
    require_flavors: StrictBool = Field(default=False, description="true: an endpoint without flavors fails synth.")
    required_labels: tuple[StrictStr, ...] = Field(default=(), description="Label keys every endpoint must carry.")


class EndpointConfig(_Config):
    """One ``ModelEndpoint`` as an environment deploys it (``EnvironmentStack.model_endpoint`` builds it).

    ``name`` is the base name (default: the endpoint's key), to which the environment adds its
    ``name_prefix`` and ``name_suffix``; ``provider`` is an alias from the environment's ``providers``.
    """

    runtime: ModelRuntime
    name: StrictStr | None = None
    display_name: StrictStr | None = None
    labels: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    flavors: list[Flavor] | None = None
    enabled: StrictBool = True
    sandbox: StrictBool = False
    policies: list[StrictStr] | None = None
    integration_connections: list[StrictStr] | None = None
    timeouts: dict[StrictStr, StrictStr] | None = None
    provider: StrictStr | None = None


class ConnectionConfig(_Config):
    """One ``IntegrationConnection`` as an environment deploys it (``EnvironmentStack.integration_connection``).

    ``secret_env`` maps each secret key to the *name* of an environment variable (``apiKey: OPENAI_API_KEY``),
    never to a value: Terraform reads ``TF_VAR_OPENAI_API_KEY`` where it runs. ``secret_version`` is bumped to
    send a rotated secret. ``name`` is the base name (default: the key), prefixed and suffixed like endpoints.
    """

    integration: StrictStr
    name: StrictStr | None = None
    display_name: StrictStr | None = None
    labels: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    config: dict[StrictStr, StrictStr] | None = None
    secret_env: dict[StrictStr, str] | None = Field(default=None, description="Secret key -> environment variable.")
    secret_version: StrictInt | None = Field(default=None, ge=1)
    sandbox: StrictBool = False
    provider: StrictStr | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_literal_secret(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "secret" in data:
            raise ValueError(
                "secrets are named by environment variable only, never written here: "
                "replace 'secret' with secret_env: {apiKey: OPENAI_API_KEY} (Terraform reads TF_VAR_OPENAI_API_KEY) "
                "(got a literal secret, not shown)"
            )
        return data

    @field_validator("secret_env")
    @classmethod
    def _variable_names(cls, secret_env: dict[str, str] | None) -> dict[str, str] | None:
        for key, variable in (secret_env or {}).items():
            if not re.match(ENV_VARIABLE_NAME, variable) or variable.startswith("TF_VAR_"):
                raise ValueError(
                    f"secret {key!r} must name an environment variable, without TF_VAR_ (letters, digits, '_')"
                )
        return secret_env


class BlaxelPolicyConfig(_Config):
    """One Blaxel ``Policy`` as an environment deploys it (``EnvironmentStack.blaxel_policy``).

    Not to be confused with the environment's ``policy``, this library's synth-time rules. ``type`` and the
    one rule of its type (``locations``, ``flavors`` or ``max_tokens``), as the ``Policy`` construct takes them.
    """

    type: PolicyType
    name: StrictStr | None = None
    display_name: StrictStr | None = None
    labels: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    locations: list[PolicyLocation] | None = None
    flavors: list[Flavor] | None = None
    max_tokens: PolicyMaxTokens | None = None
    resource_types: list[PolicyResourceType] | None = None
    sandbox: StrictBool = False
    provider: StrictStr | None = None

    def rule_problems(self) -> list[tuple[tuple[str, ...], str]]:
        """The policy rules across fields (the member of its type, positive counts), located in this entry."""
        attrs = self.model_dump(mode="json", exclude_none=True)
        document = wire.to_policy_document(attrs)["spec"]
        by_wire = {wire_name: name for name, wire_name in wire.POLICY_SPEC_ARGUMENTS.items()}
        tokens = {wire_name: name for name, wire_name in wire.MAX_TOKENS_FIELDS.items()}
        found = []
        for field, problem in rules.policy_spec_problems(document):
            parts = field.removeprefix("spec.").split(".")
            loc = (by_wire.get(parts[0], parts[0]), *(tokens.get(part, part) for part in parts[1:]))
            found.append((loc, problem))
        return found


class EnvironmentConfig(_Config):
    """Everything that makes one environment's stack: where it deploys, how it names and labels, its rules.

    ``name`` is the environment's key in the file (also the stack id and the ``environment`` label);
    ``workspace``, ``api_url`` and ``api_version`` configure the stack's default ``BlaxelProvider``
    (unset: ``BL_*`` at deploy time); ``state_schema`` is the PostgreSQL schema of its remote state
    (default ``blaxel_<name>``).
    """

    name: str = Field(pattern=ENVIRONMENT_NAME)
    workspace: StrictStr | None = None
    api_url: StrictStr | None = None
    api_version: StrictStr | None = None
    name_prefix: StrictStr = ""
    name_suffix: StrictStr = ""
    labels: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    providers: dict[StrictStr, ProviderConfig] = Field(default_factory=dict)
    policy: PolicyConfig = Field(default_factory=PolicyConfig)
    state_schema: StrictStr | None = Field(default=None, pattern=SCHEMA_NAME)
    endpoints: dict[StrictStr, EndpointConfig] = Field(default_factory=dict)
    connections: dict[StrictStr, ConnectionConfig] = Field(default_factory=dict)
    policies: dict[StrictStr, BlaxelPolicyConfig] = Field(default_factory=dict)

    @field_validator("providers")
    @classmethod
    def _aliases(cls, providers: dict[str, ProviderConfig]) -> dict[str, ProviderConfig]:
        for alias in providers:
            if not re.match(ALIAS_NAME, alias):
                raise ValueError(f"alias {alias!r} must start with a letter or '_' and hold letters, digits, '_', '-'")
        return providers

    def model_name(self, base: str) -> str:
        """The deployed model name of ``base`` in this environment: ``name_prefix + base + name_suffix``."""
        return f"{self.name_prefix}{base}{self.name_suffix}"

    @property
    def stamped_labels(self) -> dict[str, str]:
        """The labels stamped on every endpoint of the stack: ``labels`` plus ``environment: <name>``."""
        return {**self.labels, ENVIRONMENT_LABEL: self.name}


def load_environments(path: str | Path) -> dict[str, EnvironmentConfig]:
    """Every environment of the configuration file at ``path``, by name, in the file's order.

    Raises ``EnvironmentConfigError`` naming the file and the field for anything invalid: a YAML or
    TOML syntax error, an unknown key, a wrong type, a model name that the environment's prefix or
    suffix makes invalid, an endpoint ``provider`` alias that the environment does not define.
    """
    file = Path(path)
    shown = file.name
    document = _read(file, shown)
    if not isinstance(document, Mapping):
        raise EnvironmentConfigError(f"must be a mapping with {' and '.join(_TOP_LEVEL)}", file=shown)
    for key in document:
        if key not in _TOP_LEVEL:
            raise EnvironmentConfigError(
                f"unknown key; expected one of: {', '.join(_TOP_LEVEL)}", file=shown, field=str(key)
            )
    defaults = document.get("defaults") or {}
    if not isinstance(defaults, Mapping):
        raise EnvironmentConfigError(f"must be a mapping (got {_shown(defaults)})", file=shown, field="defaults")
    environments = document.get("environments")
    if not isinstance(environments, Mapping) or not environments:
        raise EnvironmentConfigError(
            "must map at least one environment name (dev, staging, prod, ...) to its settings",
            file=shown,
            field="environments",
        )
    if "name" in defaults:
        raise EnvironmentConfigError("is each environment's key, it cannot be set", file=shown, field="defaults.name")
    return {str(name): _environment(str(name), overrides, defaults, shown) for name, overrides in environments.items()}


def _read(file: Path, shown: str) -> Any:
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise EnvironmentConfigError(f"cannot be read: {error.strerror or error}", file=str(file)) from None
    try:
        if file.suffix == ".toml":
            return tomllib.loads(text)
        return yaml.safe_load(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as error:
        kind = "TOML" if file.suffix == ".toml" else "YAML"
        raise EnvironmentConfigError(f"is not valid {kind}: {error}", file=shown) from None


def _environment(name: str, overrides: Any, defaults: Mapping[str, Any], shown: str) -> EnvironmentConfig:
    prefix = f"environments.{name}"
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, Mapping):
        raise EnvironmentConfigError(f"must be a mapping (got {_shown(overrides)})", file=shown, field=prefix)
    if "name" in overrides:
        raise EnvironmentConfigError("is the environment's key, it cannot be set", file=shown, field=f"{prefix}.name")
    if not re.match(ENVIRONMENT_NAME, name):
        raise EnvironmentConfigError(
            "an environment name must be lowercase letters, digits and '-', starting with a letter, at most 30",
            file=shown,
            field=prefix,
        )
    merged = _merge(_merge({}, defaults), overrides)
    try:
        environment = EnvironmentConfig.model_validate({**merged, "name": name})
    except ValidationError as exc:
        raise _config_error(exc, name, defaults, overrides, shown) from None
    _check(environment, defaults, overrides, shown)
    return environment


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` on top: mappings merged recursively, other values replaced, None removes."""
    merged = {key: value for key, value in base.items() if value is not None}
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, Mapping):
            current = merged.get(key)
            merged[key] = _merge(current if isinstance(current, Mapping) else {}, value)
        else:
            merged[key] = value
    return merged


def _check(
    environment: EnvironmentConfig, defaults: Mapping[str, Any], overrides: Mapping[str, Any], shown: str
) -> None:
    """Rules across fields: valid deployed names, known provider aliases, no clash with the environment label."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    if ENVIRONMENT_LABEL in environment.labels and environment.labels[ENVIRONMENT_LABEL] != environment.name:
        found.append(
            (("labels", ENVIRONMENT_LABEL), f"is stamped with the environment's name {environment.name!r}; remove it")
        )
    for key, endpoint in environment.endpoints.items():
        deployed = environment.model_name(endpoint.name or key)
        problem = name_problem(deployed)
        if problem:
            loc: tuple[str | int, ...] = ("endpoints", key, "name") if endpoint.name else ("endpoints", key)
            found.append((loc, f"the deployed name name_prefix + name + name_suffix = {deployed!r} {problem}"))
        if endpoint.provider is not None and endpoint.provider not in environment.providers:
            known = ", ".join(environment.providers) or "none"
            reason = f"no provider alias {endpoint.provider!r}; 'providers' defines: {known}"
            found.append((("endpoints", key, "provider"), reason))
    resources: list[tuple[str, str, ConnectionConfig | BlaxelPolicyConfig]] = [
        *(("connections", key, item) for key, item in environment.connections.items()),
        *(("policies", key, item) for key, item in environment.policies.items()),
    ]
    for section, key, item in resources:
        deployed = environment.model_name(item.name or key)
        problem = name_problem(deployed)
        if problem:
            loc = (section, key, "name") if item.name else (section, key)
            found.append((loc, f"the deployed name name_prefix + name + name_suffix = {deployed!r} {problem}"))
        if item.provider is not None and item.provider not in environment.providers:
            known = ", ".join(environment.providers) or "none"
            found.append(
                ((section, key, "provider"), f"no provider alias {item.provider!r}; 'providers' defines: {known}")
            )
        if isinstance(item, BlaxelPolicyConfig):
            found.extend(((section, key, *loc), problem) for loc, problem in item.rule_problems())
    if found:
        loc, reason = found[0]
        raise _located(reason, loc, environment.name, defaults, overrides, shown, others=len(found) - 1)


def _config_error(
    exc: ValidationError, name: str, defaults: Mapping[str, Any], overrides: Mapping[str, Any], shown: str
) -> EnvironmentConfigError:
    errors = exc.errors()
    first = errors[0]
    return _located(_reason(first), tuple(first["loc"]), name, defaults, overrides, shown, others=len(errors) - 1)


def _located(
    reason: str,
    loc: tuple[str | int, ...],
    name: str,
    defaults: Mapping[str, Any],
    overrides: Mapping[str, Any],
    shown: str,
    *,
    others: int,
) -> EnvironmentConfigError:
    """The error at ``loc`` of the merged environment, named where the value was written in the file."""
    relative = _dotted(loc)
    if _holds(overrides, loc) or not _holds(defaults, loc):
        field, note = f"environments.{name}.{relative}", None
    else:
        field, note = f"defaults.{relative}", f"for environment {name!r}"
    if others > 0:
        reason = f"{reason} (and {others} more problem{'s' if others > 1 else ''})"
    return EnvironmentConfigError(reason, file=shown, field=field, note=note)


def _holds(document: Any, loc: Iterable[str | int]) -> bool:
    """True when ``document`` itself writes the value at ``loc`` (or a value replacing what holds it)."""
    current = document
    for part in loc:
        in_mapping = isinstance(current, Mapping) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if not (in_mapping or in_list):
            return not isinstance(current, Mapping) and current is not document
        current = current[part]
    return True


def _reason(error: ErrorDetails) -> str:
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        expected = _fields_at(EnvironmentConfig, loc[:-1])
        return f"unknown key {loc[-1]!r}; expected one of: {', '.join(expected) or 'none'}"
    if error["type"] == "missing":
        return "is required"
    reason = error["msg"].removeprefix("Value error, ")
    if "(got " in reason:  # the validator said what it got (a secret's value is never shown)
        return reason
    return f"{reason} (got {_shown(error['input'])})"


def _fields_at(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """The field names of the model found at ``loc`` inside ``model`` (through dicts and lists)."""
    current: Any = model
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                field = next((f for f in current.model_fields.values() if f.alias == part), None)
            current = _inner(field.annotation) if field is not None else None
        elif get_origin(current) in (dict, list):
            current = _inner(get_args(current)[-1])
        else:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        return inner[0] if len(inner) == 1 else annotation
    return annotation


def _dotted(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else f"{text[: _MAX_SHOWN - 3]}..."
