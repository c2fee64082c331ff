"""``SynthesizedStack``: one stack's ``cdk.tf.json`` as the ``environments`` commands read it.

Everything the commands need from a synthesized stack is read here, from plain JSON, so that the commands never
import cdktf or cdktn: its elements (resources, data sources, providers) by *logical identity*, which is the
construct path under the stack (``chat/Resource``), the same in every environment, where the Terraform address
(``blaxel_model.chat_22ADE1FF``) and the deployed name (``chat-staging``) may not be; its backend; its input
variables; and the environment's own settings that an ``EnvironmentStack`` records (``environment_metadata``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Final

from blaxel_constructs import identity
from blaxel_constructs.environment_metadata import EnvironmentMetadata

__all__ = ["Element", "SynthesizedStack", "kind_of"]

#: The child id every construct of this library gives its Terraform resource (``chat/Resource``).
_RESOURCE_CHILD: Final = "/Resource"
_REFERENCE: Final = re.compile(r"\b((?:data\.)?[a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\b")


def kind_of(terraform_type: str) -> str:
    """What people call an element of ``terraform_type``: ``blaxel_model`` -> ``model``,
    ``blaxel_integration_connection`` -> ``integration connection``; another provider's type as it is."""
    if terraform_type.startswith(identity.RESOURCE_PREFIX):
        return terraform_type.removeprefix(identity.RESOURCE_PREFIX).replace("_", " ")
    return terraform_type


@dataclass(frozen=True)
class Element:
    """A resource, data source or provider block of a stack.

    ``key`` identifies it across environments: ``("resource", "blaxel_model", "chat/Resource")``, or
    ``("provider", "blaxel", "shared")`` for a provider (``"default"`` when it has no alias). ``address`` is
    its Terraform address in this stack; ``body`` its arguments without cdktf's ``"//"`` metadata.
    """

    block: str  # "resource", "data" or "provider"
    type: str
    path: str
    address: str
    body: Mapping[str, Any]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.block, self.type, self.path)

    @property
    def label(self) -> str:
        """How a person names it: ``model chat``, ``data model shared-chat``, ``provider blaxel.shared``."""
        if self.block == "provider":
            return f"provider {self.type}" if self.path == "default" else f"provider {self.type}.{self.path}"
        shown = self.path.removesuffix(_RESOURCE_CHILD)
        prefix = "data " if self.block == "data" else ""
        return f"{prefix}{kind_of(self.type)} {shown}"


@dataclass(frozen=True)
class SynthesizedStack:
    """One stack: ``name`` (what ``cdktf deploy <name>`` takes), its construct path, its document, the file it was
    read from, and ``working_directory``: where a deploy runs Terraform for it (``cdktf.out/stacks/<name>``), which
    a relative local state path is relative to."""

    name: str
    construct_path: str
    document: Mapping[str, Any]
    source: Path
    working_directory: Path

    @cached_property
    def environment(self) -> EnvironmentMetadata | None:
        """The environment's own settings, when the stack is an ``EnvironmentStack``."""
        return EnvironmentMetadata.of_stack(self.document)

    @property
    def position(self) -> tuple[int, str]:
        """Sort key: the environments' order in their configuration file, then the name."""
        environment = self.environment
        position = environment.position if environment and environment.position is not None else 1 << 30
        return (position, self.name)

    @cached_property
    def elements(self) -> dict[tuple[str, str, str], Element]:
        """Every resource, data source and provider block, by ``Element.key``."""
        return {element.key: element for element in self._elements()}

    @cached_property
    def paths_by_address(self) -> dict[str, str]:
        """``blaxel_model.chat_22ADE1FF`` -> ``chat``: how to show an address as its construct path."""
        return {
            element.address: element.path.removesuffix(_RESOURCE_CHILD)
            for element in self.elements.values()
            if element.block != "provider"
        }

    def shown_address(self, address: str) -> str:
        """``address`` as a person reads it: ``model chat`` for a resource of this stack, else the address."""
        path = self.paths_by_address.get(address)
        if path is None:
            return address
        block_type = address.split(".")[-2]
        prefix = "data " if address.startswith("data.") else ""
        return f"{prefix}{kind_of(block_type)} {path}"

    def with_paths(self, text: str) -> str:
        """``text`` with each ``<type>.<logical id>`` reference written ``<type>.<construct path>`` instead."""

        def replace(match: re.Match[str]) -> str:
            path = self.paths_by_address.get(match.group(0))
            return f"{match.group(1)}.{path}" if path is not None else match.group(0)

        return _REFERENCE.sub(replace, text)

    @property
    def backend(self) -> tuple[str, Mapping[str, Any]] | None:
        """The ``terraform.backend`` block as (type, arguments), or None (Terraform's default: local)."""
        terraform = self.document.get("terraform")
        backends = terraform.get("backend") if isinstance(terraform, Mapping) else None
        if not isinstance(backends, Mapping) or not backends:
            return None
        kind, arguments = next(iter(backends.items()))
        return str(kind), arguments if isinstance(arguments, Mapping) else {}

    @property
    def variables(self) -> Mapping[str, Mapping[str, Any]]:
        """The stack's input variables, by name."""
        variables = self.document.get("variable")
        if not isinstance(variables, Mapping):
            return {}
        return {str(name): body for name, body in variables.items() if isinstance(body, Mapping)}

    def _elements(self) -> Iterator[Element]:
        for block in ("resource", "data"):
            types = self.document.get(block)
            if not isinstance(types, Mapping):
                continue
            for terraform_type, instances in types.items():
                if not isinstance(instances, Mapping):
                    continue
                for logical_id, body in instances.items():
                    if isinstance(body, Mapping):
                        address = f"{terraform_type}.{logical_id}"
                        address = f"data.{address}" if block == "data" else address
                        path = self._relative_path(body) or logical_id
                        yield Element(block, str(terraform_type), path, address, _without_comments(body))
        providers = self.document.get("provider")
        if isinstance(providers, Mapping):
            for provider_type, configurations in providers.items():
                for body in configurations if isinstance(configurations, list) else [configurations]:
                    if isinstance(body, Mapping):
                        alias = str(body.get("alias") or "default")
                        address = f"{provider_type}.{alias}" if alias != "default" else str(provider_type)
                        yield Element("provider", str(provider_type), alias, address, _without_comments(body))

    def _relative_path(self, body: Mapping[str, Any]) -> str | None:
        """The construct path of a block under the stack's own (``staging/chat/Resource`` -> ``chat/Resource``)."""
        comment = body.get("//")
        metadata = comment.get("metadata") if isinstance(comment, Mapping) else None
        path = metadata.get("path") if isinstance(metadata, Mapping) else None
        if not isinstance(path, str):
            return None
        return path.removeprefix(f"{self.construct_path}/")


def _without_comments(body: Mapping[str, Any]) -> dict[str, Any]:
    return {str(key): value for key, value in body.items() if key != "//"}
