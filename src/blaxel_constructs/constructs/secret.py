"""``Secret``: a credential that Terraform reads from the environment at deploy time, never written by synth.

An integration connection holds the provider credentials a model gateway proxies with (an OpenAI
API key). Writing the key into the app would write it into ``cdk.tf.json``, then into plans and
state. ``Secret.from_env("OPENAI_API_KEY")`` instead synthesizes one sensitive, **ephemeral**
Terraform variable named ``OPENAI_API_KEY`` (Terraform 1.10+: never stored in a plan or state
file) and the reference ``${var.OPENAI_API_KEY}``, which ``IntegrationConnection`` wires to the
write-only argument ``secret_wo`` (Terraform 1.11+). Terraform reads the value where it runs, from
``TF_VAR_OPENAI_API_KEY``: ``cdktf deploy`` (and ``cdktn deploy``) start Terraform with their own
environment, so exporting it before the deploy is all it takes::

    export TF_VAR_OPENAI_API_KEY="$OPENAI_API_KEY"      # where cdktf deploy runs; never in code
    npx cdktf deploy quickstart

A secret that is not set fails the plan at once, before anything is created, with a message naming
``TF_VAR_OPENAI_API_KEY`` and how to set it. Terraform would otherwise prompt for a variable without a
default, and a deploy without a terminal (CI, ``cdktf deploy``, which cannot answer a variable prompt)
waits at that prompt until killed. So the variable is optional to Terraform (``default = null``) and a
``validation`` block rejects a null or empty value: Terraform checks it while planning, with no prompt.
An empty value is refused too, since that is what a CI system substitutes for a missing secret.

The app itself never reads the variable (synth needs no secret, and cannot leak one). Several
connections naming the same variable in one stack share one Terraform variable.
"""

from __future__ import annotations

import contextlib
import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from constructs import Construct

from blaxel_constructs.constructs.framework import framework_of
from blaxel_constructs.constructs.variables import ephemeral_variable
from blaxel_constructs.errors import SpecError

if TYPE_CHECKING:
    from cdktf import TerraformVariable

__all__ = ["TF_VAR_PREFIX", "Secret"]

#: Terraform reads the value of input variable ``x`` from the environment variable ``TF_VAR_x``.
TF_VAR_PREFIX: Final = "TF_VAR_"
#: A portable environment variable name, which is also a valid Terraform variable name.
_ENV_NAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Construct id of a secret's variable under its stack: its own namespace, so it cannot clash with the user's ids.
_VARIABLE_ID: Final = "BlaxelSecret--{}"
#: The stack a scope belongs to, and each stack's secret references by variable name. Binding a secret costs
#: four jsii round trips (find the stack, its ``node``, the child, the variable's value); a stack with one
#: connection per endpoint binds the same secret a thousand times, and pays them once this way.
_STACKS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_REFERENCES: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class Secret:
    """A secret value named by an environment variable; build one with ``Secret.from_env("OPENAI_API_KEY")``.

    ``name`` is the Terraform variable's name; Terraform reads its value from ``TF_VAR_<name>``
    (``environment_variable``) at plan and apply time.
    """

    name: str
    description: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _ENV_NAME.match(self.name):
            raise SpecError(
                "must be an environment variable name: letters, digits and '_', not starting with a digit "
                f"(got {self.name!r})",
                field="secret",
            )
        if self.name.startswith(TF_VAR_PREFIX):
            bare = self.name.removeprefix(TF_VAR_PREFIX)
            raise SpecError(
                f"name the variable without its {TF_VAR_PREFIX} prefix: Secret.from_env({bare!r}) is read by "
                f"Terraform from {self.name} (got {self.name!r})",
                field="secret",
            )

    @classmethod
    def from_env(cls, name: str, *, description: str | None = None) -> Secret:
        """The secret Terraform reads from the environment variable ``TF_VAR_<name>`` at deploy time.

        ``Secret.from_env("OPENAI_API_KEY")`` synthesizes the ephemeral, sensitive variable
        ``OPENAI_API_KEY``; export ``TF_VAR_OPENAI_API_KEY`` where ``cdktf deploy`` runs. ``description``
        is the variable's description (shown by Terraform when it asks for a missing value).
        """
        return cls(name, description)

    @property
    def environment_variable(self) -> str:
        """The environment variable Terraform reads the value from: ``TF_VAR_<name>``."""
        return f"{TF_VAR_PREFIX}{self.name}"

    @property
    def reference(self) -> str:
        """The Terraform expression of the value, ``${var.<name>}``: what ``cdk.tf.json`` holds instead of it."""
        return f"${{var.{self.name}}}"

    def variable(self, scope: Construct) -> TerraformVariable:
        """The stack's ephemeral, sensitive variable for this secret, created on first use (one per stack and name)."""
        stack = _stack_of(scope)
        id = _VARIABLE_ID.format(self.name)
        existing = stack.node.try_find_child(id)
        if existing is not None:
            return existing  # type: ignore[no-any-return]
        description = self.description or f"Secret read from {self.environment_variable} at deploy time"
        reference = f"var.{self.name}"
        required = (f'${{{reference} != null && {reference} != ""}}', self.missing_message)
        variable = ephemeral_variable(stack, id, type="string", description=description, validation=[required])
        variable.add_override("default", framework_of(stack).module.Token.null_value())  # optional: no prompt
        variable.override_logical_id(self.name)
        return variable

    @property
    def missing_message(self) -> str:
        """What Terraform says when the secret is unset or empty: the variable to set, and how (no ``${``)."""
        env = self.environment_variable
        return (
            f"Secret {self.name} is not set: Terraform reads it from the environment variable {env}, "
            "which is unset or empty where Terraform runs. "
            f"Export it before deploying (export {env}=...), or in CI set {env} from the CI's secret store "
            f"(GitHub Actions: env: {env} from secrets.{self.name})."
        )

    def bind(self, scope: Construct) -> str:
        """Create the variable in ``scope``'s stack if needed and return a token resolving to ``${var.<name>}``.

        The token is made once per stack and name, and handed out again (a token resolves any number of times).
        """
        stack = _stack_of(scope)
        references = _REFERENCES.get(stack)
        if references is None:
            references = {}
            with contextlib.suppress(TypeError):  # not weak-referenceable: bind again each time
                _REFERENCES[stack] = references
        if self.name not in references:
            references[self.name] = str(self.variable(stack).string_value)
        return references[self.name]


def _stack_of(scope: Construct) -> Any:
    """The framework's ``TerraformStack.of(scope)``, remembered per scope (a construct never changes stacks)."""
    try:
        return _STACKS[scope]
    except (KeyError, TypeError):
        pass
    stack = framework_of(scope).module.TerraformStack.of(scope)
    with contextlib.suppress(TypeError):
        _STACKS[scope] = stack
    return stack
