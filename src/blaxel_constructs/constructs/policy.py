"""``Policy``: a Blaxel governance policy (where a model may run, on which flavors, how many tokens), as a construct.

A policy carries one rule, named by its ``type``: ``location`` (``locations``, each ``{name, type}``
with type location, country or continent), ``flavor`` (``flavors``, each ``{name, type}`` cpu or gpu)
or ``maxToken`` (``max_tokens``: ``granularity``, ``input``, ``output``, ``total``, ``step``,
``ratio_input_over_output``). Pass the construct to ``ModelEndpoint(policies=[policy])``: it renders as
a reference, so Terraform creates the policy before the model and destroys it after.

Every argument is validated at construction with the document types and rules the provider and the
emulator apply (``SpecError`` naming the field and the construct path): a rule of another type, a
missing rule, an unknown enum value or a token count below 1 fail here, before synth.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from constructs import Construct

from blaxel_constructs.constructs._arguments import check_provider, plain, plain_object, plain_objects
from blaxel_constructs.constructs._resource_binding import ArgumentsResource, ObjectConstruct
from blaxel_constructs.constructs._tokens import is_token
from blaxel_constructs.constructs._validation import Problem, construct_path, problems, raise_problems
from blaxel_constructs.constructs.framework import inherit_framework
from blaxel_constructs.document import Flavor, Metadata, PolicyLocation, PolicyMaxTokens, PolicySpec, rules
from blaxel_constructs.kinds import POLICY

if TYPE_CHECKING:
    from cdktf import IResolvable, ITerraformDependable, TerraformProvider

__all__ = ["POLICY_RESOURCE_TYPE", "BlaxelPolicyResource", "Policy"]

#: Terraform resource type of a Blaxel policy (where a model may run, on which flavors, how many tokens).
POLICY_RESOURCE_TYPE: Final = POLICY.type_name
#: Wire key (camelCase) -> Terraform attribute, for the arguments and for ``max_tokens``.
_SPEC_ATTRIBUTES: Final = {a.wire_path[-1]: a.name for a in POLICY.arguments if a.wire_path[0] == "spec"}
_MAX_TOKENS_ATTRIBUTES: Final = {m.wire or m.name: m.name for m in POLICY.attribute("max_tokens").members}


class BlaxelPolicyResource(ArgumentsResource):
    """The L1 binding of ``blaxel_policy``: argument for argument (snake_case); None means "not set".

    ``locations`` and ``flavors`` are lists of ``{name, type}``, ``max_tokens`` one object of
    ``granularity, input, output, total, step, ratio_input_over_output``. Values are passed to
    Terraform as given (the provider validates them at plan time).
    """

    KIND = POLICY

    @property
    def policy_name(self) -> str:
        """Reference to the policy's ``name`` (``${blaxel_policy.<id>.name}``)."""
        return self.reference("name")


class Policy(ObjectConstruct[BlaxelPolicyResource]):
    """A policy of ``type`` location, flavor or maxToken, with the one rule of its type.

    ``locations`` is a list of ``PolicyLocation(name="EU", type="continent")`` or equal dicts;
    ``flavors`` a list of ``Flavor(name="t4", type="cpu")`` or dicts; ``max_tokens`` a
    ``PolicyMaxTokens(granularity="minute", total=10000)`` or dict (snake_case or the API's camelCase);
    ``resource_types`` the kinds of resource it applies to (``model``, ``agent``, ...). ``sandbox``
    defaults to false; other arguments left as None are not sent. ``name`` is immutable.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        type: str,
        locations: Sequence[PolicyLocation | Mapping[str, Any]] | None = None,
        flavors: Sequence[Flavor | Mapping[str, Any]] | None = None,
        max_tokens: PolicyMaxTokens | Mapping[str, Any] | None = None,
        resource_types: Sequence[str] | None = None,
        sandbox: bool | IResolvable = False,
        display_name: str | None = None,
        labels: Mapping[str, str] | None = None,
        provider: TerraformProvider | None = None,
        depends_on: Sequence[ITerraformDependable] | None = None,
    ) -> None:
        path = construct_path(scope, id)
        spec = {
            "type": plain(type),
            "locations": plain_objects(locations),
            "flavors": plain_objects(flavors),
            "max_tokens": plain_object(max_tokens, _MAX_TOKENS_ATTRIBUTES),
            "resource_types": [plain(item) for item in resource_types]
            if isinstance(resource_types, list | tuple)
            else resource_types,
            "sandbox": sandbox,
        }
        found = [
            *problems(Metadata, {"name": name, "display_name": display_name, "labels": labels}),
            *_spec_problems(spec),
        ]
        raise_problems(found, path)
        check_provider(provider, scope, path)

        super().__init__(scope, id)
        inherit_framework(self, scope)
        self._resource = BlaxelPolicyResource(
            self,
            "Resource",
            name=name,
            display_name=display_name,
            labels=labels,
            provider=provider,
            depends_on=depends_on,
            **spec,
        )

    @property
    def policy_name(self) -> str:
        """The policy's name as a Terraform reference (``${blaxel_policy.<id>.name}``).

        What ``ModelEndpoint`` writes for a policy passed as an object, so that Terraform orders the
        model after the policy on create and before it on destroy.
        """
        return self._resource.policy_name


def _spec_problems(spec: Mapping[str, Any]) -> list[Problem]:
    """Field problems first (types, enums); once the fields are sound, the rules across them (type-specific
    members, positive token counts), named the Terraform way (``max_tokens.total``)."""
    if spec["type"] is None:
        return [Problem("type", f"is required: one of {', '.join(rules.POLICY_TYPES)}")]
    found = [problem for problem in problems(PolicySpec, spec) if problem.field]
    if found or is_token(dict(spec)):
        return found
    document = POLICY.document_of(spec)["spec"]
    return [Problem(_attribute(field), problem) for field, problem in rules.policy_spec_problems(document)]


def _attribute(field: str) -> str:
    """``spec.maxTokens.total`` -> ``max_tokens.total``: a rule's wire path as the construct's argument."""
    parts = field.removeprefix("spec.").split(".")
    head = _SPEC_ATTRIBUTES.get(parts[0], parts[0])
    rest = [_MAX_TOKENS_ATTRIBUTES.get(part, part) for part in parts[1:]]
    return ".".join([head, *rest])
