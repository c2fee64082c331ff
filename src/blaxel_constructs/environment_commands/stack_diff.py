"""``diff_stacks``: what environment B has that A has not, and each argument that differs, by logical resource.

Two environments of one app deploy the same constructs under different names (``chat-staging``, ``chat``), so
elements are matched by their construct path under the stack (``Element.key``), never by name or address. Each
argument is compared as synthesized: maps key by key (``runtime.model``, ``labels.tier``), lists and plain values
whole. References compare as written (cdktf derives a logical id from the construct path, so the same construct
has the same id in every stack).

A difference is *environment-only* when it comes from the environments' own settings rather than from what the
team configured differently, and is left out (and not counted) unless ``include_environment``:

- two strings equal once each has its environment's name prefix and suffix, or its stack path, taken off
  (``chat-staging`` against ``chat``; the ownership label ``staging/chat`` against ``prod/chat``);
- a label whose value on each side is that environment's own stamped label (``tier: staging`` against
  ``tier: prod``, ``environment: ...``), or is missing where that environment stamps none;
- a provider's ``workspace`` (each environment deploys into its own).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from blaxel_constructs.environment_commands.synthesized_stack import Element, SynthesizedStack

__all__ = ["ABSENT", "ArgumentChange", "ElementDiff", "StackDiff", "diff_stacks"]


class _Absent:
    """An argument a side does not set (shown as ``(not set)``; ``null`` in JSON)."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"


#: The value of an argument that one side does not set.
ABSENT: Final = _Absent()
#: Provider arguments that are each environment's own.
_ENVIRONMENT_PROVIDER_ARGUMENTS: Final = frozenset({"workspace"})
_LABELS: Final = "labels"


@dataclass(frozen=True)
class ArgumentChange:
    """One argument (``runtime.model``) whose value is ``a`` in environment A and ``b`` in B (``ABSENT``: unset)."""

    argument: str
    a: Any
    b: Any
    environment_only: bool


@dataclass(frozen=True)
class ElementDiff:
    """An element present on one side only (``side`` ``"a"`` or ``"b"``), or on both with ``changes``."""

    side: str  # "a": only in A; "b": only in B; "both": changed
    element: Element  # B's when it has one, else A's
    other: Element | None  # A's, for a changed element
    changes: tuple[ArgumentChange, ...] = ()

    @property
    def counted(self) -> bool:
        """Whether it counts as a difference (not only environment settings)."""
        return self.side != "both" or any(not change.environment_only for change in self.changes)


@dataclass(frozen=True)
class StackDiff:
    """The differences from environment ``a`` to ``b``; ``include_environment`` keeps environment-only ones."""

    a: SynthesizedStack
    b: SynthesizedStack
    elements: tuple[ElementDiff, ...]
    include_environment: bool

    @property
    def shown(self) -> tuple[ElementDiff, ...]:
        """What a report lists: counted elements, and with ``include_environment`` the rest as well; each with
        only the changes that are shown."""
        if self.include_environment:
            return self.elements
        kept = []
        for diff in self.elements:
            if not diff.counted:
                continue
            changes = tuple(change for change in diff.changes if not change.environment_only)
            kept.append(ElementDiff(diff.side, diff.element, diff.other, changes))
        return tuple(kept)

    @property
    def differences(self) -> int:
        """How many elements differ (environment-only ones too with ``include_environment``)."""
        return len(self.shown)

    @property
    def environment_only(self) -> int:
        """How many argument differences come only from the environments' own settings."""
        return sum(change.environment_only for diff in self.elements for change in diff.changes)

    @property
    def same(self) -> bool:
        return self.differences == 0


def diff_stacks(a: SynthesizedStack, b: SynthesizedStack, *, include_environment: bool = False) -> StackDiff:
    """Compare stack ``a`` with ``b``: elements only in B, only in A (in B's then A's order), then changed ones."""
    only_b = [ElementDiff("b", element, None) for key, element in b.elements.items() if key not in a.elements]
    only_a = [ElementDiff("a", element, None) for key, element in a.elements.items() if key not in b.elements]
    changed = []
    for key, element in b.elements.items():
        other = a.elements.get(key)
        if other is None:
            continue
        changes = tuple(_argument_changes(other, element, a, b))
        if changes:
            changed.append(ElementDiff("both", element, other, changes))
    return StackDiff(a, b, (*only_b, *only_a, *changed), include_environment)


def _argument_changes(old: Element, new: Element, a: SynthesizedStack, b: SynthesizedStack) -> list[ArgumentChange]:
    changes = []
    for argument, value_a, value_b in _leaves(old.body, new.body, ""):
        environment_only = _environment_only(new, argument, value_a, value_b, a, b)
        changes.append(ArgumentChange(argument, value_a, value_b, environment_only))
    return changes


def _leaves(a: Any, b: Any, prefix: str) -> list[tuple[str, Any, Any]]:
    """The differing leaves of two argument maps: nested maps compared key by key, anything else whole."""
    found: list[tuple[str, Any, Any]] = []
    for key in sorted(set(a) | set(b)):
        name = f"{prefix}{key}"
        value_a, value_b = a.get(key, ABSENT), b.get(key, ABSENT)
        if isinstance(value_a, Mapping) and isinstance(value_b, Mapping):
            found.extend(_leaves(value_a, value_b, f"{name}."))
        elif value_a != value_b:
            found.append((name, value_a, value_b))
    return found


def _environment_only(
    element: Element, argument: str, value_a: Any, value_b: Any, a: SynthesizedStack, b: SynthesizedStack
) -> bool:
    if element.block == "provider" and argument in _ENVIRONMENT_PROVIDER_ARGUMENTS:
        return True
    if argument.startswith(f"{_LABELS}.") and _stamped_label(argument.split(".", 1)[1], value_a, value_b, a, b):
        return True
    if value_a is ABSENT or value_b is ABSENT:
        return False
    return bool(_unaffixed(value_a, a) == _unaffixed(value_b, b))


def _stamped_label(key: str, value_a: Any, value_b: Any, a: SynthesizedStack, b: SynthesizedStack) -> bool:
    """Whether each side's value of label ``key`` is what its environment stamps (or absent where it stamps none)."""
    stamped_a = a.environment.labels if a.environment else {}
    stamped_b = b.environment.labels if b.environment else {}
    if key not in stamped_a and key not in stamped_b:
        return False
    return _is_stamped(key, value_a, stamped_a) and _is_stamped(key, value_b, stamped_b)


def _is_stamped(key: str, value: Any, stamped: Mapping[str, str]) -> bool:
    return bool(stamped.get(key, ABSENT) == value)


def _unaffixed(value: Any, stack: SynthesizedStack) -> Any:
    """``value`` with every string stripped of the stack's construct path and its environment's name affixes."""
    if isinstance(value, str):
        text = value.removeprefix(f"{stack.construct_path}/")
        environment = stack.environment
        if environment is not None:
            if environment.name_prefix:
                text = text.removeprefix(environment.name_prefix)
            if environment.name_suffix:
                text = text.removesuffix(environment.name_suffix)
        return text
    if isinstance(value, list):
        return [_unaffixed(item, stack) for item in value]
    if isinstance(value, Mapping):
        return {key: _unaffixed(item, stack) for key, item in value.items()}
    return value
