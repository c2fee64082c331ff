"""``ModelEndpoint``: a Blaxel model gateway endpoint as one cdktf construct (L2).

Like aws-lambda's ``Function`` or cdk8s-plus: the constructor resolves defaults, validates every
argument with the pydantic models of ``blaxel_constructs.document`` (the limits the API enforces), and
only then creates its one child, ``Resource``, a ``BlaxelModelResource`` (``blaxel_model``).
Bad input raises ``SpecError`` naming the field and the construct path, at the line that created
the construct, instead of a failed ``terraform apply`` minutes later. Values that are cdktf tokens
(variables, other resources' attributes) are passed through unchecked: only Terraform knows them.

``integration_connections`` and ``policies`` take names of existing ones, or the ``IntegrationConnection``
and ``Policy`` constructs of the same app: an object renders as a reference to its name
(``${blaxel_integration_connection.<id>.name}``), so Terraform creates it before the model and
destroys it after, with no ``depends_on`` to write.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from constructs import Construct
from pydantic import ValidationError

from blaxel_constructs.constructs._arguments import check_provider, plain
from blaxel_constructs.constructs._resource_binding import ArgumentsResource, ObjectConstruct
from blaxel_constructs.constructs._tokens import is_token
from blaxel_constructs.constructs._validation import (
    Problem,
    construct_path,
    problems,
    problems_of,
    raise_problems,
    with_path,
)
from blaxel_constructs.constructs.framework import inherit_framework
from blaxel_constructs.constructs.integration_connection import IntegrationConnection
from blaxel_constructs.constructs.policy import Policy
from blaxel_constructs.constructs.timeouts import Timeouts
from blaxel_constructs.document.model_document import Flavor, Metadata, Model, ModelRuntime, ModelSpec
from blaxel_constructs.document.rules import OWNER_LABEL
from blaxel_constructs.errors import SpecError
from blaxel_constructs.kinds import MODEL

if TYPE_CHECKING:
    from cdktf import IResolvable, ITerraformDependable, TerraformProvider

__all__ = ["RESOURCE_TYPE", "BlaxelModelResource", "ModelEndpoint"]

#: Terraform resource type of a Blaxel model gateway endpoint.
RESOURCE_TYPE: Final = MODEL.type_name
#: Keys a runtime mapping may use on the wire (camelCase) -> Terraform attribute (snake_case).
_RUNTIME_ATTRIBUTES: Final = {member.wire or member.name: member.name for member in MODEL.attribute("runtime").members}


class BlaxelModelResource(ArgumentsResource):
    """The L1 binding of ``blaxel_model``: argument for argument (snake_case); None means "not set".

    Reach for it directly only to set something ``ModelEndpoint`` does not model; values are passed to
    Terraform as given (the provider validates them at plan time).
    """

    KIND = MODEL

    @property
    def model_name(self) -> str:
        """Reference to the model's ``name`` (``${blaxel_model.<id>.name}``)."""
        return self.reference("name")

    @property
    def url(self) -> str:
        """Reference to the endpoint URL, known after apply."""
        return self.reference("url")

    @property
    def status(self) -> str:
        """Reference to the deployment status (``DEPLOYED`` once apply succeeded)."""
        return self.reference("status")

    @property
    def plan(self) -> str:
        """Reference to the billing plan."""
        return self.reference("plan")


class ModelEndpoint(ObjectConstruct[BlaxelModelResource]):
    """A model gateway endpoint that proxies to an external LLM provider (OpenAI, Anthropic, ...).

    ``runtime`` says where requests go, e.g. ``ModelRuntime(type="openai", model="gpt-4.1")`` or
    the equal dict; ``flavors`` is a list of ``Flavor(name=..., type="cpu" | "gpu")`` or dicts.
    ``integration_connections`` and ``policies`` are names or ``IntegrationConnection``/``Policy``
    objects (rendered as references, which order create and destroy).
    ``enabled`` defaults to true and ``sandbox`` to false, as in the API; other arguments left as
    None are not sent. ``timeouts`` bounds how long Terraform waits for a deployment
    (``Timeouts(create="30m")`` or ``{"create": "30m"}``), ``provider`` picks an aliased
    ``BlaxelProvider``, ``depends_on`` orders it after other resources or endpoints.

    Read-only attributes (``url``, ``status``, ``workspace``, ``model_name``) are Terraform
    references, resolved at apply time: pass them to a ``TerraformOutput`` or another resource.

    The model carries one more label, ``blaxel-constructs-owner`` = the construct path. When an apply
    is interrupted after Blaxel accepted the create but before Terraform recorded it, the next apply
    finds the model by that label and adopts it instead of failing or creating a duplicate.
    ``owner_label=False`` leaves that label off: for a model that already exists and is adopted with an
    import (``blaxel-constructs import`` writes it), so that the first plan imports it without adding a
    label; such a model is never created by this code, so it needs no way back to an interrupted create.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        runtime: ModelRuntime | Mapping[str, Any],
        display_name: str | None = None,
        external_id: str | None = None,
        labels: Mapping[str, str] | None = None,
        flavors: Sequence[Flavor | Mapping[str, Any]] | None = None,
        integration_connections: Sequence[str | IntegrationConnection] | None = None,
        policies: Sequence[str | Policy] | None = None,
        enabled: bool | IResolvable = True,
        sandbox: bool | IResolvable = False,
        timeouts: Timeouts | Mapping[str, str] | None = None,
        provider: TerraformProvider | None = None,
        depends_on: Sequence[ITerraformDependable | ModelEndpoint | IntegrationConnection | Policy] | None = None,
        owner_label: bool = True,
    ) -> None:
        path = construct_path(scope, id)
        integration_connections = _names(integration_connections)
        policies = _names(policies)
        metadata = {"name": name, "display_name": display_name, "external_id": external_id, "labels": labels}
        spec = {
            "enabled": enabled,
            "sandbox": sandbox,
            "flavors": flavors,
            "integration_connections": integration_connections,
            "policies": policies,
            "runtime": runtime,
        }
        found = [*problems(Metadata, metadata), *problems(ModelSpec, spec)]
        if runtime is None:
            found.append(Problem("runtime", "is required, e.g. ModelRuntime(type='openai', model='gpt-4.1')"))
        raise_problems(found, path)
        try:
            bounds = Timeouts.of(timeouts)
        except SpecError as error:
            raise with_path(error, path) from None
        check_provider(provider, scope, path)

        super().__init__(scope, id)
        inherit_framework(self, scope)
        self._resource = BlaxelModelResource(
            self,
            "Resource",
            name=name,
            display_name=display_name,
            external_id=external_id,
            labels=_owned(labels, path) if owner_label else labels,
            enabled=enabled,
            sandbox=sandbox,
            flavors=_flavors(flavors),
            integration_connections=_strings(integration_connections),
            policies=_strings(policies),
            runtime=_runtime(runtime),
            timeouts=(bounds.to_terraform() or None) if bounds else None,
            provider=provider,
            depends_on=_dependables(depends_on),
        )

    def add_labels(self, labels: Mapping[str, str]) -> None:
        """Add ``labels`` to the model before synth: how ``EnvironmentLabels`` stamps a whole stack.

        A key the endpoint already sets to the same value is fine; to another value it raises
        ``SpecError`` naming ``labels.<key>``, so that a stamp never silently changes what the code
        says. Labels given as one Terraform reference cannot be extended (``SpecError`` on ``labels``).
        """
        path = self.node.path
        if not isinstance(labels, Mapping):
            raise SpecError(f"must be a mapping of strings to strings (got {labels!r})", field="labels", path=path)
        for key, value in labels.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise SpecError(f"must be a string (got {value!r})", field=f"labels.{key}", path=path)
        current = self._resource.arguments.get("labels")
        if not isinstance(current, Mapping) or any(is_token(key) for key in current):
            reason = "is a Terraform reference, so no label can be added at synth time"
            raise SpecError(reason, field="labels", path=path)
        for key, value in labels.items():
            if key in current and current[key] != value:
                raise SpecError(
                    f"is {current[key]!r} on this endpoint but {value!r} is stamped on the whole stack; "
                    "drop it from the endpoint or change the stamp",
                    field=f"labels.{key}",
                    path=path,
                )
        self._resource.add_labels(labels)

    @property
    def owner(self) -> str:
        """The value of the ownership label: this construct's path."""
        return self.node.path

    @classmethod
    def from_model(
        cls,
        scope: Construct,
        id: str,
        model: Model | Mapping[str, Any],
        *,
        provider: TerraformProvider | None = None,
        timeouts: Timeouts | Mapping[str, str] | None = None,
        depends_on: Sequence[ITerraformDependable | ModelEndpoint] | None = None,
    ) -> ModelEndpoint:
        """An endpoint from a ``Model`` document: a ``Model``, the API's JSON, or a Blaxel CLI manifest.

        Use it to manage with Terraform what was written for the API or for ``bl apply``
        (``apiVersion``, ``kind: Model``, ``metadata``, ``spec``; e.g. parsed from YAML). Read-only
        fields (``status``, ``events``, ``metadata.url``...) are ignored. Errors name the document's
        fields (``spec.runtime.type``).
        """
        document = _document(model, construct_path(scope, id))
        meta, spec = document.metadata, document.spec
        return cls(
            scope,
            id,
            name=meta.name,
            runtime=spec.runtime,  # type: ignore[arg-type]  # _document ensured it is set
            display_name=meta.display_name,
            external_id=meta.external_id,
            labels=meta.labels,
            flavors=spec.flavors,
            integration_connections=spec.integration_connections,
            policies=spec.policies,
            enabled=True if spec.enabled is None else spec.enabled,
            sandbox=False if spec.sandbox is None else spec.sandbox,
            timeouts=timeouts,
            provider=provider,
            depends_on=depends_on,
        )

    @property
    def url(self) -> str:
        """The endpoint URL, as a Terraform reference (``${blaxel_model.<id>.url}``)."""
        return self._resource.url

    @property
    def status(self) -> str:
        """The deployment status (``DEPLOYED`` after a successful apply), as a Terraform reference."""
        return self._resource.status

    @property
    def model_name(self) -> str:
        """The model's name, as a Terraform reference (use it to make other resources depend on this one)."""
        return self._resource.model_name


def _document(model: Model | Mapping[str, Any], path: str) -> Model:
    """``model`` as a validated ``Model`` with a runtime, or ``SpecError`` naming the document field."""
    if isinstance(model, Mapping):
        kind = model.get("kind", "Model")
        if kind != "Model":
            raise SpecError(f"must be 'Model' to build a ModelEndpoint (got {kind!r})", field="kind", path=path)
        try:
            model = Model.from_manifest(dict(model))
        except ValidationError as exc:
            raise_problems(problems_of(Model, exc, allow_tokens=False), path)
            raise  # unreachable: a ValidationError always has at least one problem
        except ValueError as exc:
            raise SpecError(str(exc), field="apiVersion", path=path) from None
    elif not isinstance(model, Model):
        raise SpecError(
            f"must be a Model or a mapping (API JSON or CLI manifest), got {type(model).__name__}",
            field="model",
            path=path,
        )
    if model.spec.runtime is None:
        raise SpecError("is required to build a ModelEndpoint", field="spec.runtime", path=path)
    return model


def _runtime(runtime: Any) -> Any:
    if isinstance(runtime, Mapping):
        return {_RUNTIME_ATTRIBUTES.get(key, key): plain(value) for key, value in runtime.items()}
    return plain(runtime)  # a ModelRuntime, or a token


def _flavors(flavors: Any) -> Any:
    if isinstance(flavors, list | tuple):
        return [{k: plain(v) for k, v in f.items()} if isinstance(f, Mapping) else plain(f) for f in flavors]
    return flavors  # None, or a token


def _strings(values: Any) -> Any:
    return list(values) if isinstance(values, list | tuple) else values


def _names(values: Any) -> Any:
    """Names as given, and each ``IntegrationConnection`` or ``Policy`` as a reference to its name."""
    if not isinstance(values, list | tuple):
        return values  # None, or a token
    return [
        value.connection_name
        if isinstance(value, IntegrationConnection)
        else value.policy_name
        if isinstance(value, Policy)
        else value
        for value in values
    ]


def _dependables(depends_on: Sequence[Any] | None) -> list[Any] | None:
    if depends_on is None:
        return None
    constructs = (ModelEndpoint, IntegrationConnection, Policy)
    return [item.resource if isinstance(item, constructs) else item for item in depends_on]


def _owned(labels: Mapping[str, str] | None, path: str) -> Mapping[str, str] | None:
    """The user's labels plus the ownership label (a user-set one wins; a token is passed through as is)."""
    if labels is None:
        return {OWNER_LABEL: path}
    if not isinstance(labels, Mapping) or any(is_token(key) for key in labels):
        return labels  # a whole-map token: its keys are known only at apply time
    return {OWNER_LABEL: path, **labels}
