"""Pydantic models of Blaxel's ``Policy`` document (schemas ``Policy``, ``PolicySpec``, ``PolicyLocation``,
``PolicyMaxTokens``, ``PolicyResourceType``, ``Flavors`` and ``PolicyUsageCounts`` of ``controlplane.yml``).

A policy governs where and how a resource runs: its ``type`` says which one rule it carries (``location``:
``locations``; ``flavor``: ``flavors``; ``maxToken``: ``max_tokens``), and ``rules.policy_spec_problems``
checks that, the same check the provider runs at plan and the emulator runs on every write.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

from blaxel_constructs.document import rules
from blaxel_constructs.document.model_document import Flavor, Metadata, _enum, _ValueObject, _Wire

__all__ = [
    "Policy",
    "PolicyLocation",
    "PolicyLocationType",
    "PolicyMaxTokens",
    "PolicyResourceType",
    "PolicySpec",
    "PolicyType",
    "PolicyUsageCounts",
]

PolicyType = _enum("PolicyType", rules.POLICY_TYPES)
"""Which rule a policy carries: ``location``, ``flavor`` or ``maxToken``."""
PolicyLocationType = _enum("PolicyLocationType", rules.POLICY_LOCATION_TYPES)
"""What a location names: a ``location`` (region), a ``country`` or a ``continent``."""
PolicyResourceType = _enum("PolicyResourceType", rules.POLICY_RESOURCE_TYPES)
"""A kind of resource a policy applies to: ``model``, ``function``, ``agent``, ``sandbox``, ``application``."""


class PolicyLocation(_ValueObject):
    """Where resources may run, e.g. ``PolicyLocation(name="EU", type="continent")``."""

    name: StrictStr = Field(description="Location name, e.g. EU, FR, us-west-2.")
    type: PolicyLocationType = Field(description="location, country or continent.")  # type: ignore[valid-type]


class PolicyMaxTokens(_ValueObject):
    """Token limits per ``granularity`` (e.g. minute); every count, when given, is a positive integer."""

    granularity: StrictStr | None = Field(default=None, description="Window of the limits, e.g. minute.")
    input: StrictInt | None = Field(default=None, description="Input tokens allowed per window.")
    output: StrictInt | None = Field(default=None, description="Output tokens allowed per window.")
    total: StrictInt | None = Field(default=None, description="Total tokens allowed per window.")
    step: StrictInt | None = Field(default=None, description="Step.")
    ratio_input_over_output: StrictInt | None = Field(default=None, description="Ratio of input over output tokens.")


class PolicySpec(_Wire):
    """The rule: ``type`` and the member of that type; ``resource_types`` says what it applies to."""

    type: PolicyType = Field(description="location, flavor or maxToken.")  # type: ignore[valid-type]
    locations: list[PolicyLocation] | None = Field(default=None, description="For type location.")
    flavors: list[Flavor] | None = Field(default=None, description="For type flavor.")
    max_tokens: PolicyMaxTokens | None = Field(default=None, description="For type maxToken.")
    resource_types: list[PolicyResourceType] | None = Field(  # type: ignore[valid-type]
        default=None, description="Kinds of resource the policy applies to."
    )
    sandbox: StrictBool | None = Field(default=None, description="Sandbox mode.")

    @model_validator(mode="after")
    def _rules(self) -> PolicySpec:
        problems = rules.policy_spec_problems(self.to_api())
        if problems:
            raise ValueError("; ".join(f"{field}: {problem}" for field, problem in problems))
        return self


class PolicyUsageCounts(_Wire):
    """How many resources of each kind name the policy (read-only, set by the API)."""

    model_config = ConfigDict(extra="ignore")

    agents: int | None = None
    functions: int | None = None
    jobs: int | None = None
    models: int | None = None
    sandboxes: int | None = None


class Policy(_Wire):
    """A governance policy: ``metadata`` and ``spec`` (required), ``usage`` (read-only)."""

    metadata: Metadata
    spec: PolicySpec
    usage: PolicyUsageCounts | None = None
