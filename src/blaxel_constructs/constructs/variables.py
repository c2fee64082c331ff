"""``ephemeral_variable``: a Terraform input variable that is never written to a plan or state file.

Secrets (an integration connection's API key) reach Terraform this way: ``"ephemeral": true`` in the
synthesized ``variable`` block (Terraform 1.10+) lets the value feed a write-only argument and keeps it
out of ``terraform.tfstate`` and saved plans. cdktf 0.21 has no such option, nor has CDK Terrain 0.24, so
the helper writes it as an override; a framework release whose ``TerraformVariable`` takes ``ephemeral``
itself is used directly. The variable is built on the scope's framework (cdktf or cdktn)::

    key = ephemeral_variable(stack, "openai_key", type="string", description="OpenAI API key")
    # terraform apply -var openai_key=...   (or TF_VAR_openai_key); the value never lands in state
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from constructs import Construct

from blaxel_constructs.constructs.framework import framework_of

if TYPE_CHECKING:
    from cdktf import TerraformVariable

__all__ = ["ephemeral_variable", "supports_ephemeral"]


def supports_ephemeral(variable_class: type) -> bool:
    """True when ``variable_class`` (a framework's ``TerraformVariable``) takes ``ephemeral`` itself."""
    init = next((klass.__dict__["__init__"] for klass in variable_class.__mro__ if "__init__" in klass.__dict__), None)
    try:
        parameters = inspect.signature(init).parameters if init is not None else {}
    except (TypeError, ValueError):  # a built-in without a signature: no such option
        return False
    return "ephemeral" in parameters


def ephemeral_variable(
    scope: Construct,
    id: str,
    *,
    type: str | None = None,
    description: str | None = None,
    sensitive: bool | None = True,
    nullable: bool | None = None,
    default: Any = None,
    validation: Sequence[tuple[str, str]] = (),
) -> TerraformVariable:
    """A ``TerraformVariable`` of the scope's framework, synthesized with ``"ephemeral": true``.

    ``sensitive`` defaults to true (it is meant for secrets, whose value Terraform then hides in its
    output too). Its value can only be used where Terraform allows ephemeral values: write-only
    arguments (such as ``secret_wo``), provider blocks, other ephemeral variables and locals.
    ``validation`` lists ``(condition, error_message)`` pairs, one ``validation`` block each (the
    condition a Terraform expression such as ``${var.x != null}``).
    """
    module = framework_of(scope).module
    variable_class = module.TerraformVariable
    rules = [module.TerraformVariableValidationConfig(condition=c, error_message=m) for c, m in validation]
    config = {
        "type": type,
        "description": description,
        "sensitive": sensitive,
        "nullable": nullable,
        "default": default,
        "validation": rules or None,
    }
    given = {name: value for name, value in config.items() if value is not None}
    if supports_ephemeral(variable_class):
        variable: TerraformVariable = variable_class(scope, id, ephemeral=True, **given)
        return variable
    variable = variable_class(scope, id, **given)
    variable.add_override("ephemeral", True)
    return variable
