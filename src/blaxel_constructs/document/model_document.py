"""Pydantic models of Blaxel's ``Model`` document (the official ``controlplane.yml``, schema ``Model``).

snake_case in Python, camelCase on the wire: ``Model.model_validate(api_json)`` reads the API's JSON and
``model.to_api()`` writes it back. Writable documents forbid unknown fields so that a typo fails loudly;
the limits come from ``rules`` so that the provider and the emulator apply the very same ones.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError
from pydantic._internal._model_construction import ModelMetaclass
from pydantic.alias_generators import to_camel

from blaxel_constructs.document import rules
from blaxel_constructs.document.spec_errors import problems_of, spec_error

__all__ = [
    "CoreEvent",
    "Flavor",
    "FlavorType",
    "Generation",
    "Metadata",
    "Model",
    "ModelRuntime",
    "ModelSpec",
    "RuntimeType",
    "Status",
]


def _enum(name: str, values: tuple[str, ...]) -> Any:
    """A ``str`` enum whose members are its values in upper snake case (``azure-ai-inference``: AZURE_AI_INFERENCE)."""
    return Enum(name, {v.upper().replace("-", "_"): v for v in values}, type=str, module=__name__)


RuntimeType = _enum("RuntimeType", rules.RUNTIME_TYPES)
"""The 18 provider types a model gateway endpoint can proxy to."""
FlavorType = _enum("FlavorType", rules.FLAVOR_TYPES)
"""Hardware kind of a flavor: ``cpu`` or ``gpu``."""
Generation = _enum("Generation", rules.GENERATIONS)
"""Infrastructure generation: ``mk2`` or ``mk3`` (absent means the classic path)."""
Status = _enum("Status", rules.STATUSES)
"""Deployment status of a model (read-only, set by the API)."""


def _checked(problem: Any) -> Any:
    def check(value: str | None) -> str | None:
        if value is not None:
            reason = problem(value)
            if reason:
                raise ValueError(reason)
        return value

    return AfterValidator(check)


ModelName = Annotated[StrictStr, _checked(rules.name_problem)]
DisplayName = Annotated[StrictStr, _checked(rules.display_name_problem)]
ExternalId = Annotated[StrictStr, _checked(rules.external_id_problem)]


class _SpecErrorOnCall(ModelMetaclass):
    """Building a document by calling its class (``ModelRuntime(type="openia")``) raises ``SpecError``.

    Only the call is translated: ``model_validate`` (the API's JSON, nested documents) never goes through
    it, and keeps raising pydantic's ``ValidationError`` for the callers that translate it themselves.
    """

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except ValidationError as exc:
            error = spec_error(problems_of(cls, exc), prefix=cls.__name__)  # type: ignore[arg-type]
            if error is None:  # pragma: no cover - a ValidationError always names at least one problem
                raise
            raise error from None


class _Wire(BaseModel, metaclass=_SpecErrorOnCall):
    """camelCase aliases on the wire, snake_case names in Python, unknown fields rejected.

    Built with keyword arguments (``ModelRuntime(type="openia")``), a document with a bad value raises
    ``SpecError`` naming its class and the field (``field 'ModelRuntime.type': Input should be ...``),
    the library's one error for bad input, not pydantic's dump (see ``_SpecErrorOnCall``).
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=False,
        use_enum_values=False,
    )

    def to_api(self) -> dict[str, Any]:
        """This document as the API's JSON: camelCase keys, enum values as strings, absent fields omitted."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class _ValueObject(_Wire):
    """A typed argument of the constructs (``ModelRuntime``, ``Flavor``, ...): validated again wherever it is
    used inside another document, so that one changed after it was built is caught by the construct it is
    given to, which names the field and the construct path as for the equal dict."""

    model_config = ConfigDict(revalidate_instances="always")


class Flavor(_ValueObject):
    """A type of hardware available for deployments, e.g. ``Flavor(name="t4", type="cpu")``."""

    name: StrictStr = Field(description="Flavor name (e.g. t4).")
    type: FlavorType = Field(description="Flavor type: cpu or gpu.")  # type: ignore[valid-type]


class ModelRuntime(_ValueObject):
    """Which external LLM provider and model the gateway endpoint proxies to."""

    type: RuntimeType | None = Field(default=None, description="LLM provider type.")  # type: ignore[valid-type]
    model: StrictStr | None = Field(default=None, description="Model identifier at the provider, e.g. gpt-4.1.")
    endpoint_name: StrictStr | None = Field(default=None, description="Provider-side endpoint name.")
    organization: StrictStr | None = Field(default=None, description="Organization at the provider, e.g. org-abc123.")
    generation: Generation | None = Field(default=None, description="Infrastructure generation: mk2 or mk3.")  # type: ignore[valid-type]


class ModelSpec(_Wire):
    """Configuration of a model gateway endpoint. ``enabled`` defaults to true, as in the API."""

    enabled: StrictBool | None = Field(default=None, description="When false the endpoint is disabled.")
    flavors: list[Flavor] | None = Field(default=None, description="Hardware flavors.")
    integration_connections: list[StrictStr] | None = Field(default=None, description="Integration connection names.")
    policies: list[StrictStr] | None = Field(default=None, description="Policy names.")
    runtime: ModelRuntime | None = Field(default=None, description="Provider and model to proxy to.")
    sandbox: StrictBool | None = Field(default=None, description="Use the sandbox credentials of the connection.")


class Metadata(_Wire):
    """Name, labels and the server-set fields of a resource. Only ``name`` is required."""

    name: ModelName = Field(description="Unique, immutable name: lowercase letters, digits and '-', max 49.")
    display_name: DisplayName | None = Field(default=None, description="Human-readable name, max 63 characters.")
    external_id: ExternalId | None = Field(default=None, description="Caller-owned id, max 64, letters digits '-'.")
    labels: dict[StrictStr, StrictStr] | None = Field(default=None, description="Key-value labels.")
    workspace: StrictStr | None = Field(default=None, description="Workspace (read-only).")
    url: StrictStr | None = Field(default=None, description="Endpoint URL (read-only).")
    plan: StrictStr | None = Field(default=None, description="Billing plan (read-only).")
    created_at: StrictStr | None = Field(default=None, description="Creation time (read-only).")
    updated_at: StrictStr | None = Field(default=None, description="Last update time (read-only).")
    created_by: StrictStr | None = Field(default=None, description="Creator (read-only).")
    updated_by: StrictStr | None = Field(default=None, description="Last updater (read-only).")


class CoreEvent(_Wire):
    """One event in a model's history; the latest one's ``message`` explains a FAILED deployment."""

    model_config = ConfigDict(extra="ignore")

    type: StrictStr | None = None
    status: StrictStr | None = None
    message: StrictStr | None = None
    time: StrictStr | None = None
    revision: StrictStr | None = None
    canary_revision: StrictStr | None = None


class Model(_Wire):
    """A model gateway endpoint: ``metadata`` and ``spec`` (required), ``events`` and ``status`` (read-only)."""

    metadata: Metadata
    spec: ModelSpec
    events: list[CoreEvent] | None = None
    status: Status | None = None  # type: ignore[valid-type]

    @classmethod
    def from_manifest(cls, document: dict[str, Any]) -> Model:
        """Read a Blaxel CLI manifest (``apiVersion``, ``kind: Model``, ``metadata``, ``spec``) or a bare document."""
        body = dict(document)
        api_version = body.pop("apiVersion", None)
        kind = body.pop("kind", None)
        if kind is not None and kind != "Model":
            raise ValueError(f"manifest kind is {kind!r}, expected 'Model'")
        if api_version is not None and not isinstance(api_version, str):
            raise ValueError("manifest apiVersion must be a string")
        return cls.model_validate(body)
