"""Which listed objects to adopt: ``--name`` globs and ``--label key=value`` pairs (``--kind`` decides what is listed).

An object is kept when its name matches any of the globs (``fnmatch``, case-sensitive, as names are lowercase),
or there is none, and when it carries every label pair given. What a filter leaves out is not adopted; a model
that names it keeps naming it by its name string (``adoption``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass

from blaxel_constructs.workspace_import.workspace_reading import ListedObject

__all__ = ["Filters", "parse_label"]


def parse_label(text: str) -> tuple[str, str]:
    """``team=ml`` -> ``("team", "ml")``; ``ValueError`` (argparse's usage error) when there is no ``=`` or key."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise ValueError(f"expected KEY=VALUE, e.g. team=ml (got {text!r})")
    return key, value


@dataclass(frozen=True)
class Filters:
    """The ``--name`` globs (any may match) and the ``--label`` pairs (all must match)."""

    names: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()

    def keeps(self, listed: ListedObject) -> bool:
        """Whether ``listed`` passes every filter."""
        if self.names and not any(fnmatch.fnmatchcase(listed.name, glob) for glob in self.names):
            return False
        labels = listed.labels
        return all(labels.get(key) == value for key, value in self.labels)

    def select(self, objects: Iterable[ListedObject]) -> tuple[ListedObject, ...]:
        """The objects kept, in their order."""
        return tuple(listed for listed in objects if self.keeps(listed))
