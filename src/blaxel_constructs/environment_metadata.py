"""What an ``EnvironmentStack`` records in ``cdk.tf.json`` about its environment, for the ``environments`` command.

``environments diff`` compares two environments' synthesized stacks and leaves out what differs only by each
environment's own settings (the name prefix and suffix added to every deployed name, the labels stamped on
every object). Those settings are not visible in the synthesized resources themselves (is ``tier: prod`` a label
of prod, or of that one endpoint?), so the stack writes them under Terraform's comment key, which Terraform
ignores::

    "//": {"blaxel_environment": {"name": "prod", "name_prefix": "", "name_suffix": "",
                                  "labels": {"team": "assistant", "environment": "prod"}, "position": 2}}

``position`` is the stack's place among the app's environments (the configuration file's order), so that the
commands list dev, staging, prod as the file does. The constructs layer writes this document and the command
layer reads it; this leaf module, which imports nothing of ours, is the one place that spells its shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = ["ENVIRONMENT_METADATA_KEY", "EnvironmentMetadata"]

#: The key under the stack's top-level ``"//"`` that holds the environment's settings.
ENVIRONMENT_METADATA_KEY: Final = "blaxel_environment"


@dataclass(frozen=True)
class EnvironmentMetadata:
    """An environment's own settings, as its stack synthesized them."""

    name: str
    name_prefix: str = ""
    name_suffix: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    position: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The document written under ``"//"`` (``position`` only when known)."""
        document: dict[str, Any] = {
            "name": self.name,
            "name_prefix": self.name_prefix,
            "name_suffix": self.name_suffix,
            "labels": dict(self.labels),
        }
        if self.position is not None:
            document["position"] = self.position
        return document

    @classmethod
    def of_stack(cls, stack: Mapping[str, Any]) -> EnvironmentMetadata | None:
        """The metadata a synthesized stack (``cdk.tf.json`` as a mapping) carries, or None (not an environment's).

        A malformed entry counts as none: the commands then compare the stack as it is, with nothing left out.
        """
        comment = stack.get("//")
        entry = comment.get(ENVIRONMENT_METADATA_KEY) if isinstance(comment, Mapping) else None
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            return None
        labels = entry.get("labels")
        position = entry.get("position")
        return cls(
            name=entry["name"],
            name_prefix=_text(entry.get("name_prefix")),
            name_suffix=_text(entry.get("name_suffix")),
            labels={str(k): str(v) for k, v in labels.items()} if isinstance(labels, Mapping) else {},
            position=position if isinstance(position, int) and not isinstance(position, bool) else None,
        )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
