"""cdktf Aspects for environments: stamp labels on every ``ModelEndpoint`` of a scope, and enforce rules.

Add them to a stack (``EnvironmentStack`` does) and they visit every construct at synth time, also
the endpoints created after them, also those inside the user's own constructs::

    Aspects.of(stack).add(EnvironmentLabels({"environment": "prod", "team": "ml"}))
    Aspects.of(stack).add(EnvironmentPolicy("prod", allow_sandbox=False, require_flavors=True))

A violation does not raise inside the aspect: an exception thrown in a jsii callback would reach the
user as a ``RuntimeError`` wrapped in a Node.js stack, and only the first one. Each violation becomes
an error annotation on the offending construct instead, the mechanism cdktf (and cdk-nag) use: synth
then fails listing every violation with its construct path, ``cdktf synth``/``deploy`` prints
``ERROR [prod/chat]: field 'sandbox': ...`` for each, and a plain ``app.synth()`` raises one error
whose message lists them all, ``[prod/chat] field 'sandbox': ...``. ``violations`` keeps them as
``SpecError`` objects (field, construct path) for code and tests to inspect.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from constructs import IConstruct

from blaxel_constructs.constructs._tokens import is_token
from blaxel_constructs.constructs.annotations import ERROR_ANNOTATION
from blaxel_constructs.constructs.environments.environment_config import EnvironmentConfig
from blaxel_constructs.constructs.framework import framework_interfaces
from blaxel_constructs.constructs.model_endpoint import ModelEndpoint
from blaxel_constructs.errors import SpecError

if TYPE_CHECKING:
    _AspectBase = object
else:  # implements the IAspect of the app's framework (cdktf or cdktn): see constructs.framework
    _AspectBase = framework_interfaces("IAspect")

__all__ = ["EnvironmentLabels", "EnvironmentPolicy"]


class _Reporter(_AspectBase):
    """Records each violation once and turns it into an error annotation on the construct (no stack trace)."""

    def __init__(self) -> None:
        self._violations: dict[tuple[str | None, str | None, str], SpecError] = {}

    @property
    def violations(self) -> list[SpecError]:
        """Every violation found by the synths so far, as ``SpecError`` (field and construct path set)."""
        return list(self._violations.values())

    def _report(self, node: IConstruct, error: SpecError) -> None:
        key = (error.path, error.field, error.reason)
        if key in self._violations:  # a second synth of the same tree visits it again
            return
        self._violations[key] = error
        where = f"field {error.field!r}: " if error.field else ""
        node.node.add_metadata(ERROR_ANNOTATION, where + error.reason, stack_trace=False)


class EnvironmentLabels(_Reporter):
    """Stamps ``labels`` on every ``ModelEndpoint`` in the scope it is added to.

    A key an endpoint already sets to a different value is a violation (see ``ModelEndpoint.add_labels``);
    the same value is fine. The ownership label ``blaxel-constructs-owner`` is left alone.
    """

    def __init__(self, labels: Mapping[str, str]) -> None:
        super().__init__()
        pairs = labels.items() if isinstance(labels, Mapping) else [(None, None)]
        if not all(isinstance(key, str) and isinstance(value, str) for key, value in pairs):
            raise SpecError(f"must map strings to strings (got {labels!r})", field="labels")
        self._labels = dict(labels)

    @property
    def labels(self) -> dict[str, str]:
        """The labels this aspect stamps."""
        return dict(self._labels)

    def visit(self, node: IConstruct) -> None:
        """Add the labels to ``node`` when it is a ``ModelEndpoint`` (cdktf calls this at synth)."""
        if isinstance(node, ModelEndpoint):
            try:
                node.add_labels(self._labels)
            except SpecError as error:
                self._report(node, error)


class EnvironmentPolicy(_Reporter):
    """Rules every ``ModelEndpoint`` in the scope must follow, checked at synth.

    ``allow_sandbox=False`` rejects ``sandbox=True`` (prod must use production credentials);
    ``require_flavors=True`` rejects an endpoint without flavors; ``required_labels`` are keys every
    endpoint must carry (after stamping, when ``EnvironmentLabels`` was added first). A value that is
    a Terraform reference cannot be checked at synth, so a rule on it is a violation too.
    """

    def __init__(
        self,
        environment: str,
        *,
        allow_sandbox: bool = True,
        require_flavors: bool = False,
        required_labels: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.environment = environment
        self.allow_sandbox = allow_sandbox
        self.require_flavors = require_flavors
        self.required_labels = tuple(required_labels)

    @classmethod
    def of(cls, environment: EnvironmentConfig) -> EnvironmentPolicy:
        """The policy an environment's configuration asks for (its ``policy`` section)."""
        policy = environment.policy
        return cls(
            environment.name,
            allow_sandbox=policy.allow_sandbox,
            require_flavors=policy.require_flavors,
            required_labels=policy.required_labels,
        )

    def visit(self, node: IConstruct) -> None:
        """Check ``node`` when it is a ``ModelEndpoint`` (cdktf calls this at synth)."""
        if isinstance(node, ModelEndpoint):
            for error in self.check(node):
                self._report(node, error)

    def check(self, endpoint: ModelEndpoint) -> list[SpecError]:
        """What ``endpoint`` breaks of this policy, as it stands now (empty when it complies)."""
        arguments = endpoint.resource.arguments
        rule = f"in environment {self.environment!r}"
        found: list[tuple[str, str]] = []
        sandbox = arguments.get("sandbox")
        if not self.allow_sandbox and is_token(sandbox):
            found.append(("sandbox", f"must be a literal false {rule} (policy allow_sandbox: false), not a reference"))
        elif not self.allow_sandbox and sandbox is True:
            found.append(("sandbox", f"sandbox endpoints are not allowed {rule} (policy allow_sandbox: false)"))
        flavors = arguments.get("flavors")
        if self.require_flavors and not is_token(flavors) and not flavors:
            found.append(("flavors", f"at least one flavor is required {rule} (policy require_flavors: true)"))
        labels: Any = arguments.get("labels") or {}
        if self.required_labels and (not isinstance(labels, Mapping) or any(is_token(key) for key in labels)):
            found.append(("labels", f"must be a literal map {rule} (policy required_labels), not a reference"))
        elif self.required_labels:
            missing = [key for key in self.required_labels if key not in labels]
            found.extend((f"labels.{key}", f"is required {rule} (policy required_labels)") for key in missing)
        return [SpecError(reason, field=field, path=endpoint.node.path) for field, reason in found]
